/** Benchmark: engine cost per 50 Hz frame and zone classification cost per point, as medians over batches. */
import { createEngine, type EngineEvent } from "../core/engine/mod.ts";
import { createZoneClassifier, defaultZoneMap } from "../core/zones/mod.ts";
import { loadCoreRoutines } from "../kiosk/routines/mod.ts";
import { measure } from "./_measure.ts";

/** Runs the core benchmarks and returns printable rows. */
async function benchCore(): Promise<
  { name: string; median: number; p99: number; unit: string; target: string }[]
> {
  const zones = createZoneClassifier(defaultZoneMap);
  // Points spread over the face box, including keep-out margins and off-face.
  const points = Array.from(
    { length: 4096 },
    (_, i) => ({ u: -0.1 + ((i * 7919) % 4096) / 4096 * 1.2, v: ((i * 104729) % 4096) / 4096 * 1.4 }),
  );
  for (let i = 0; i < 200_000; i++) zones.classify(points[i % points.length]!); // warm up the JIT
  const classify = measure(200, 5000, (i) => zones.classify(points[i & 4095]!));

  const engine = createEngine({ routines: await loadCoreRoutines() });
  engine.apply({ t: 0, type: "start", routine: "express-lift", comfort: 8, screening: {} });
  engine.apply({ t: 0, type: "contact", on: true, impedanceOhm: 4000 });
  const route = [{ u: 0.36, v: 0.22 }, { u: 0.36, v: 0.15 }];
  let t = 0;
  // One frame plus the probe observation(s) that arrive between frames (30 fps camera ≈ 0.6 per frame).
  const step = () => {
    t += 20;
    if (t % 60 !== 0) {
      const s = (t % 3000) / 3000;
      const p = { u: route[0]!.u, v: route[0]!.v + (route[1]!.v - route[0]!.v) * s };
      engine.apply(
        { t, type: "probe", points: [p, { u: p.u + 0.02, v: p.v }], confidence: 0.9 } as EngineEvent,
      );
    }
    engine.frame(t);
  };
  for (let i = 0; i < 50_000; i++) step();
  const frame = measure(200, 2000, step);
  return [
    { name: "engine step (frame + observations)", ...frame, unit: "µs/frame", target: "≤ 20 µs median" },
    { name: "zone classification", ...classify, unit: "µs/point", target: "≤ 5 µs" },
  ];
}

if (import.meta.main) {
  for (const r of await benchCore()) {
    console.log(
      `${r.name.padEnd(40)} median ${r.median.toFixed(3)} ${r.unit}  p99 ${
        r.p99.toFixed(3)
      }  (target ${r.target})`,
    );
  }
}
