/**
 * What a client code's central pull costs (issue 10): a throwaway PostgreSQL with a client's sessions at another
 * station of the salon (real-size summaries: 10 min of output each), read by a second station as the profile desk
 * does. Prints the read's round trip, and the synchronous part on the kiosk's thread (checking the rows and
 * writing the cache), which is what could delay a 50 Hz tick.
 *
 *   deno run -A bench/client_history.ts [sessions=50] [reads=20]
 */
import postgres from "postgres";
import { DatabaseSync } from "node:sqlite";
import { migrateCentral, parseDatabaseUrl, registerStation, startReplicator } from "../kiosk/central/mod.ts";
import { checkCentralHistory } from "../kiosk/central/history.ts";
import { openStore } from "../kiosk/store/mod.ts";
import { createSummaryAccumulator } from "../core/session/mod.ts";
import type { EngineFrame } from "../core/engine/mod.ts";
import { startPgCluster } from "../test/central/_pg_cluster.ts";

const sessions = Number(Deno.args[0] ?? 50);
const reads = Number(Deno.args[1] ?? 20);
const ZONES = ["forehead", "cheek-left", "cheek-right", "jawline-left", "jawline-right", "chin"];

/** The summary of a 10-minute session gliding over six zones. */
function tenMinutes(): string {
  const acc = createSummaryAccumulator();
  for (let t = 0, on = 0; t <= 600_000; t += 20) {
    acc.probe([{ u: 0.2 + (t % 9000) / 15_000, v: 0.3 + (t % 13_000) / 20_000 }]);
    const frame: EngineFrame = {
      t,
      currentUa: 100 + (t % 5000) / 50,
      freqHz: 3,
      polarity: "alternating",
      zone: ZONES[Math.floor(t / 100_001)]!,
      state: "running",
      limit: "zone",
      validForMs: 100,
    };
    acc.frame(frame, t === 0 ? 0 : (on += 20));
  }
  return JSON.stringify(acc.snapshot("completed"));
}

const cluster = await startPgCluster();
const admin = postgres(cluster.adminUrl, { onnotice: () => {}, max: 1 });
try {
  await migrateCentral(admin);
  const a = await registerStation(admin, "bench", "hist-a");
  const b = await registerStation(admin, "bench", "hist-b");

  // Station A: the client's sessions, shipped.
  const storeA = openStore(Deno.makeTempDirSync({ prefix: "gp-bench-hist-a-" }));
  storeA.profiles.create({ id: "p-a", kind: "walk-in", name: "K7Q2", language: "en", createdAt: 1 });
  const summary = tenMinutes();
  const raw = new DatabaseSync(storeA.path);
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < sessions; i++) {
    const id = `s-${i}`;
    storeA.startSession({ id, routine: "express-lift", startedAt: t0 + i * 86_400_000, profileId: "p-a" });
    storeA.endSession(id, {
      endedAt: t0 + i * 86_400_000 + 600_000,
      endReason: "completed",
      stimulationMs: 600_000,
      maxCurrentUa: 200,
    });
    raw.prepare("INSERT INTO session_summaries (session_id, summary) VALUES (?, ?)").run(id, summary);
  }
  raw.close();
  const repA = startReplicator(storeA.path, parseDatabaseUrl(cluster.url(a.role, a.secret)), {
    log: () => {},
  });
  await repA.flush();
  await repA.stop();
  storeA.dispose();

  // Station B reads it as its profile desk does.
  const storeB = openStore(Deno.makeTempDirSync({ prefix: "gp-bench-hist-b-" }));
  storeB.profiles.create({ id: "p-b", kind: "walk-in", name: "K7Q2", language: "en", createdAt: 2 });
  const repB = startReplicator(storeB.path, parseDatabaseUrl(cluster.url(b.role, b.secret)), {
    log: () => {},
  });
  await repB.flush();
  const round: number[] = [];
  const sync: number[] = [];
  let bytes = 0;
  for (let i = 0; i < reads; i++) {
    const t = performance.now();
    const answer = await repB.clientHistory("K7Q2");
    round.push(performance.now() - t);
    bytes = JSON.stringify(answer).length;
    const s = performance.now();
    const checked = checkCentralHistory(answer);
    storeB.saveCentralHistory("p-b", {
      pulledAt: Date.now(),
      stationId: checked.stationId,
      sessions: checked.sessions,
    });
    sync.push(performance.now() - s);
  }
  await repB.stop();
  const cached = storeB.centralHistory("p-b")!;
  storeB.dispose();

  const q = (xs: number[], p: number) =>
    [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  console.log(
    `client history: ${sessions} sessions at another station, summary ${
      (summary.length / 1024).toFixed(1)
    } KiB each, answer ${(bytes / 1024).toFixed(0)} KiB`,
  );
  console.log(
    `  central read (round trip, ${reads} reads): p50 ${ms(q(round, 0.5))}, max ${ms(Math.max(...round))}`,
  );
  console.log(
    `  on the kiosk thread (check + cache write): p50 ${ms(q(sync, 0.5))}, max ${ms(Math.max(...sync))}`,
  );
  console.log(
    `  cached: ${cached.sessions.length} sessions, ${
      (JSON.stringify(cached.sessions).length / 1024).toFixed(1)
    } KiB`,
  );
} finally {
  await admin.end({ timeout: 1 });
  await cluster.dispose();
}
