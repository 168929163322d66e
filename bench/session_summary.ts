/** Benchmark: the session summary's cost per 50 Hz frame, and the cost and size of writing it (a 20-minute session). */
import type { EngineFrame } from "../core/engine/mod.ts";
import { createSummaryAccumulator, type SummaryAccumulator } from "../core/session/mod.ts";
import { openStore } from "../kiosk/store/mod.ts";
import { engineFrame } from "../test/core/_engine_helpers.ts";
import { percentiles } from "./_measure.ts";

const FRAMES_20_MIN = 20 * 60 * 50;

const ZONES = ["forehead", "cheek-left", "cheek-right", "jawline-left", "chin"];
/** Feeds frame i of a session gliding over the face: a probe observation on 3 frames of 5, output on 4 of 5. */
function feed(acc: SummaryAccumulator, i: number, frame: EngineFrame) {
  if (i % 5 < 3) acc.probe([{ u: 0.1 + (i % 800) / 1000, v: 0.2 + (i % 900) / 1000 }, { u: 0.5, v: 0.6 }]);
  frame.t = i * 20;
  frame.currentUa = i % 5 === 0 ? 0 : 100 + (i % 50);
  frame.zone = ZONES[Math.floor(i / 3000) % ZONES.length]!;
  acc.frame(frame, i * 16);
}

function benchFrames() {
  const frame = engineFrame();
  // Warm up the JIT on a throwaway session.
  const warm = createSummaryAccumulator();
  for (let i = 0; i < FRAMES_20_MIN; i++) feed(warm, i, frame);
  const acc = createSummaryAccumulator();
  const samples: number[] = [];
  const batch = 500;
  for (let i = 0; i < FRAMES_20_MIN; i += batch) {
    const start = performance.now();
    for (let k = i; k < i + batch; k++) feed(acc, k, frame);
    samples.push(((performance.now() - start) * 1000) / batch);
  }
  return { perFrame: percentiles(samples), acc };
}

function benchWrite(acc: SummaryAccumulator) {
  const dir = Deno.makeTempDirSync({ prefix: "gp-bench-summary-" });
  const store = openStore(dir);
  try {
    store.startSession({ id: "bench", routine: "free", startedAt: Date.now() });
    const snap: number[] = [], write: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 200; i++) {
      const a = performance.now();
      const s = acc.snapshot(null);
      const b = performance.now();
      store.saveSummary("bench", s); // checks, serialises and writes it (an upsert of the one row)
      const c = performance.now();
      snap.push((b - a) * 1000);
      write.push((c - b) * 1000);
      bytes = JSON.stringify(s).length;
    }
    return { snapshot: percentiles(snap), write: percentiles(write), bytes };
  } finally {
    store.dispose();
    Deno.removeSync(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { perFrame, acc } = benchFrames();
  const w = benchWrite(acc);
  const s = acc.snapshot();
  const line = (name: string, x: { median: number; p99: number }, unit: string, target: string) =>
    console.log(
      `${name.padEnd(44)} median ${x.median.toFixed(3)} ${unit}  p99 ${x.p99.toFixed(3)}  (target ${target})`,
    );
  line("summary accumulator (frame + observations)", perFrame, "µs/frame", "≤ 5 µs median");
  line("summary snapshot at 20 min", w.snapshot, "µs", "—");
  line("summary write at 20 min (check + JSON + SQLite)", w.write, "µs", "≤ 5 ms, once a second");
  console.log(
    `summary at 20 min: ${w.bytes} characters stored, ${s.series.meanUa.length} series points of ${s.series.stepMs} ms, ${s.coverage.ms.length} cells`,
  );
}
