/** Benchmark: what a profile's exclusions cost the engine: per probe point, and once at start (which steps are left out). */
import { createExclusionCompiler } from "../core/engine/exclusions.ts";
import { createEngine, type EngineEvent } from "../core/engine/mod.ts";
import { defaultZoneMap } from "../core/zones/mod.ts";
import { loadCoreRoutines } from "../kiosk/routines/mod.ts";
import { measure } from "./_measure.ts";

/** Median per-operation time in µs over `batches` batches of `perBatch` operations. */
const median = (batches: number, perBatch: number, run: (i: number) => void) =>
  measure(batches, perBatch, run).median;

const compiler = createExclusionCompiler(defaultZoneMap);
const points = Array.from(
  { length: 4096 },
  (_, i) => ({ u: -0.1 + ((i * 7919) % 4096) / 4096 * 1.2, v: ((i * 104729) % 4096) / 4096 * 1.4 }),
);
const rows: string[] = [];
for (const n of [1, 4, compiler.zoneIds.length]) {
  const ex = compiler.compile(compiler.zoneIds.slice(0, n));
  for (let i = 0; i < 100_000; i++) ex.holding(points[i & 4095]!);
  rows.push(
    `exclusion check, ${n} zones: ${
      median(200, 5000, (i) => ex.holding(points[i & 4095]!)).toFixed(3)
    } µs/point`,
  );
}

const routines = await loadCoreRoutines();
const express = routines.find((r) => r.id === "express-lift")!;
// Worst case: no step targets the excluded zones, so every stroke is sampled against each of them.
const neck = compiler.compile(["neck-left", "neck-right"]);
const skipUs = median(50, 20, () => express.steps.filter((s) => neck.skips(s)));
rows.push(
  `steps checked at start, express-lift (13 strokes, none left out) × 2 zones: ${
    (skipUs / 1000).toFixed(3)
  } ms`,
);

// The engine step with and without a profile (frame + the observations between frames, as bench/core.ts).
for (const exclusions of [[], ["jawline-left", "jawline-right", "chin", "neck-left"]]) {
  const engine = createEngine({ routines });
  engine.apply({
    t: 0,
    type: "start",
    routine: "free",
    comfort: 8,
    screening: {},
    exclusions,
    maxComfort: 6,
  });
  engine.apply({ t: 0, type: "contact", on: true, impedanceOhm: 4000 });
  let t = 0;
  const step = () => {
    t += 20;
    if (t % 60 !== 0) {
      const p = { u: 0.277, v: 0.5 + (t % 3000) / 30000 };
      engine.apply(
        { t, type: "probe", points: [p, { u: p.u + 0.02, v: p.v }], confidence: 0.9 } as EngineEvent,
      );
    }
    engine.frame(t);
  };
  for (let i = 0; i < 50_000; i++) step();
  rows.push(`engine step, ${exclusions.length} exclusions: ${median(200, 2000, step).toFixed(2)} µs/frame`);
}
for (const r of rows) console.log(r);
