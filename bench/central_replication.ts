/**
 * Replication to one PostgreSQL from 50 stations (issue 10): a throwaway cluster, 50 registered stations (10 salons),
 * each a local store with its replicator in this process. Phase 1, live: every station writes like a running
 * session (a checkpoint of totals and telemetry every 100 ms, an audit row a second, a new session with screening
 * and the lag from the local write to the central commit is read from the central rows (received_at − queued_at,
 * audit rows: never folded). Phase 2, backlog: 1000 queued rows per station (as after an outage) drained at once.
 *
 *   deno run -A bench/central_replication.ts [stations=50] [live seconds=20] [backlog rows per station=1000]
 */
import postgres from "postgres";
import {
  migrateCentral,
  parseDatabaseUrl,
  registerStation,
  startReplicator,
  type StationCredential,
} from "../kiosk/central/mod.ts";
import { openStore, type Store } from "../kiosk/store/mod.ts";
import { startPgCluster } from "../test/central/_pg_cluster.ts";

const stations = Number(Deno.args[0] ?? 50);
const liveS = Number(Deno.args[1] ?? 20);
const backlog = Number(Deno.args[2] ?? 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};

const cluster = await startPgCluster();
const admin = postgres(cluster.adminUrl, { onnotice: () => {}, max: 4 });
await migrateCentral(admin);
const creds: StationCredential[] = [];
for (let i = 0; i < stations; i++) creds.push(await registerStation(admin, `salon-${i % 10}`, `st-${i}`));
const stores: Store[] = creds.map(() => openStore(Deno.makeTempDirSync({ prefix: "gp-bench-central-" })));

// Phase 1: live.
const replicators = stores.map((s, i) =>
  startReplicator(s.path, parseDatabaseUrl(cluster.url(creds[i]!.role, creds[i]!.secret)), { log: () => {} })
);
let seq = 0;
const open = new Map<number, string>();
const newSession = (i: number, t: number) => {
  const id = `s-${i}-${seq++}`;
  stores[i]!.startSession({ id, routine: "express-lift", startedAt: t, comfort: 5 });
  stores[i]!.recordScreening({
    sessionId: id,
    recordedAt: t,
    answers: { pregnancy: false, epilepsy: false },
    contraindicated: false,
    consent: true,
    consentBy: "client",
  });
  open.set(i, id);
};
const liveStart = Date.now();
stores.forEach((_, i) => newSession(i, liveStart));
let writes = 0;
for (let tick = 1; Date.now() - liveStart < liveS * 1000; tick++) {
  const t = Date.now();
  for (let i = 0; i < stations; i++) {
    const id = open.get(i)!;
    // The recorder's checkpoint: the session's totals and its telemetry summary, every 5 frames.
    stores[i]!.updateSession(id, { stimulationMs: tick * 100, maxCurrentUa: 80, at: t });
    stores[i]!.recordTelemetry({
      sessionId: id,
      samples: tick * 5,
      contactSamples: tick * 5,
      meanImpedanceOhm: 4000,
      maxMeasuredUa: 79,
      minBatteryPct: null,
      faults: [],
    });
    writes += 2;
    if (tick % 10 === i % 10) {
      stores[i]!.audit({ at: t, action: "checkpoint-note", actor: "bench", sessionId: id });
      writes++;
    }
    if (tick % 100 === i % 100) {
      stores[i]!.endSession(id, {
        endedAt: t,
        endReason: "completed",
        stimulationMs: tick * 100,
        maxCurrentUa: 80,
      });
      newSession(i, t);
      writes += 3;
    }
  }
  await sleep(Math.max(0, liveStart + tick * 100 - Date.now()));
}
const liveEnd = Date.now();
const drainStart = Date.now();
while (replicators.some((r) => r.health().pending > 0)) await sleep(20);
const tail = Date.now() - drainStart;
const lags = (await admin`SELECT (extract(epoch FROM received_at - queued_at) * 1000)::float8 AS ms
  FROM glidepath.audit_log`).map((r) => Number(r.ms));
const shipped = replicators.reduce((n, r) => n + r.health().shippedSeq, 0);
const [{ rows: centralRows }] = await admin`SELECT
  (SELECT count(*) FROM glidepath.sessions) + (SELECT count(*) FROM glidepath.screenings) +
  (SELECT count(*) FROM glidepath.audit_log) + (SELECT count(*) FROM glidepath.telemetry_summaries) AS rows` as [
  { rows: string },
];
console.log(
  `central replication: ${stations} stations in one process (one SQLite file and one connection each), ` +
    `PostgreSQL ${(await admin`SHOW server_version`)[0]!.server_version}, replicator every 1000 ms`,
);
console.log(
  `live ${((liveEnd - liveStart) / 1000).toFixed(1)} s: ${writes} local writes (${
    (writes / ((liveEnd - liveStart) / 1000)).toFixed(0)
  }/s), outbox rows shipped ${shipped} (checkpoints folded), central rows ${centralRows}; outboxes empty ${tail} ms after the writers stopped`,
);
console.log(
  `lag local write → central commit (audit rows, n=${lags.length}): p50 ${
    pct(lags, 0.5).toFixed(0)
  } ms, p99 ${pct(lags, 0.99).toFixed(0)} ms, max ${Math.max(...lags).toFixed(0)} ms`,
);

// Phase 2: a backlog, as after an outage.
await Promise.all(replicators.map((r) => r.stop()));
const t0 = Date.now();
for (const s of stores) {
  for (let k = 0; k < backlog; k++) s.audit({ at: t0, action: "backlog", actor: "bench" });
}
const drainers = stores.map((s, i) =>
  startReplicator(s.path, parseDatabaseUrl(cluster.url(creds[i]!.role, creds[i]!.secret)), { log: () => {} })
);
const b0 = performance.now();
await Promise.all(drainers.map((r) => r.flush()));
while (drainers.some((r) => r.health().pending > 0)) await sleep(10);
const bMs = performance.now() - b0;
const total = stations * backlog;
console.log(
  `backlog: ${total} queued rows (${backlog} per station) shipped in ${(bMs / 1000).toFixed(2)} s = ${
    (total / (bMs / 1000)).toFixed(0)
  } rows/s (batches of 500, one transaction each)`,
);
await Promise.all(drainers.map((r) => r.stop()));
for (const s of stores) s.dispose();
await admin.end();
await cluster.dispose();
