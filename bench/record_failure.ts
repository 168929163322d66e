/**
 * How fast a record failure stops output, on the real 50 Hz runner: the store is locked by another connection
 * (a real "database is locked") at a random moment while output flows, and the time to the first 0 µA frame
 * is measured, per checkpoint period. Also the cost of one checkpoint (session totals + telemetry summary).
 *
 *   deno run -A bench/record_failure.ts [trials=20] [periods in frames=5,50]
 */
import { DatabaseSync } from "node:sqlite";
import { createEngine } from "../core/engine/mod.ts";
import { attachRecords, createSessionRunner } from "../kiosk/session/mod.ts";
import { openStore } from "../kiosk/store/mod.ts";
import { percentile } from "../kiosk/session/mod.ts";

const trials = Number(Deno.args[0] ?? 20);
const periods = (Deno.args[1] ?? "5,50").split(",").map(Number);
const CHEEK = { u: 0.277, v: 0.532 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function trial(every: number): Promise<{ ms: number; frames: number }> {
  const dir = Deno.makeTempDirSync({ prefix: "gp-bench-rec-" });
  const store = openStore(dir);
  const runner = createSessionRunner(createEngine(), { spinMs: 0, onError: () => {} });
  const records = attachRecords(runner, store, {
    logDir: `${dir}/sessions`,
    everyFrames: every,
    log: () => {},
  });
  let lockedAt: number | null = null;
  let framesAfter = 0;
  const stopped = Promise.withResolvers<number>();
  runner.observe({
    frame(f) {
      if (lockedAt === null) return;
      framesAfter++;
      if (f.currentUa === 0) stopped.resolve(performance.now());
    },
  });
  runner.start();
  runner.submit({ type: "contact", on: true, impedanceOhm: 4000 }, "device");
  runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} });
  const probe = setInterval(() => runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 }), 20);
  await sleep(300 + Math.random() * every * 20);
  // A loaded box can delay a probe past the 150 ms staleness: lock only while output flows.
  for (let i = 0; i < 200 && !(runner.lastFrame!.currentUa > 0); i++) await sleep(5);
  if (!(runner.lastFrame!.currentUa > 0)) throw new Error("no output before the failure");
  const other = new DatabaseSync(store.path);
  other.exec("BEGIN EXCLUSIVE");
  lockedAt = performance.now();
  const at = await stopped.promise;
  clearInterval(probe);
  other.exec("ROLLBACK");
  other.close();
  await runner.dispose();
  records.close("bench");
  store.dispose();
  Deno.removeSync(dir, { recursive: true });
  return { ms: at - lockedAt, frames: framesAfter };
}

function checkpointCost(): { p50: number; p99: number; slow: number; max: number } {
  const dir = Deno.makeTempDirSync({ prefix: "gp-bench-rec-" });
  const store = openStore(dir);
  store.startSession({ id: "s", routine: "free", startedAt: 1 });
  const us: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    store.updateSession("s", { stimulationMs: i * 20, maxCurrentUa: 200, at: Date.now() });
    store.recordTelemetry({
      sessionId: "s",
      samples: i + 1,
      contactSamples: i + 1,
      meanImpedanceOhm: 4000,
      maxMeasuredUa: 200,
      minBatteryPct: 80,
      faults: [],
    });
    us.push((performance.now() - t0) * 1000);
  }
  store.dispose();
  Deno.removeSync(dir, { recursive: true });
  us.sort((a, b) => a - b);
  // Slow ones are SQLite's automatic WAL checkpoint (an fsync), every ~1000 WAL pages.
  const slow = us.filter((x) => x > 1000).length / us.length;
  return { p50: percentile(us, 0.5), p99: percentile(us, 0.99), slow, max: us.at(-1)! };
}

const cost = checkpointCost();
console.log(
  `checkpoint (totals + telemetry summary, WAL): p50 ${cost.p50.toFixed(0)} µs, p99 ${
    cost.p99.toFixed(0)
  } µs, ` +
    `max ${(cost.max / 1000).toFixed(1)} ms, ${(cost.slow * 100).toFixed(1)} % over 1 ms`,
);
for (const every of periods) {
  const ms: number[] = [];
  let maxFrames = 0;
  for (let i = 0; i < trials; i++) {
    const r = await trial(every);
    ms.push(r.ms);
    maxFrames = Math.max(maxFrames, r.frames);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `checkpoint every ${every} frames: lock → 0 µA p50 ${percentile(ms, 0.5).toFixed(0)} ms, max ${
      ms.at(-1)!.toFixed(0)
    } ms; frames after the lock up to the first 0 µA ≤ ${maxFrames} (${trials} trials)`,
  );
}
