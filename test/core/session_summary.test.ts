/** The session summary accumulator: time per zone from the engine's count, passes per step, a bounded series, coverage only where output flowed. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createEngine, type EngineFrame, type Guidance, type UvPoint } from "../../core/engine/mod.ts";
import {
  createSummaryAccumulator,
  type SessionSummary,
  validateSessionSummary,
} from "../../core/session/mod.ts";
import { FieldError } from "../../core/engine/mod.ts";

/** A frame with the fields the accumulator reads; the rest as the engine would fill them. */
function frame(t: number, currentUa: number, zone: string | null, guidance?: Guidance): EngineFrame {
  const f: EngineFrame = {
    t,
    currentUa,
    freqHz: 3,
    polarity: "alternating",
    zone,
    state: "running",
    limit: "zone",
    validForMs: 100,
  };
  if (guidance) f.guidance = guidance;
  return f;
}

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
/** Index of the 24 × 24 default grid cell of a point. */
const cellOf = (p: UvPoint) => Math.floor(((p.v - 0.1) / 1.25) * 24) * 24 + Math.floor(p.u * 24);

test("output time goes to the zone of the frame that delivered it, from the engine's own count", () => {
  const acc = createSummaryAccumulator();
  const cheek = { u: 0.277, v: 0.532 };
  acc.probe([cheek]);
  acc.frame(frame(0, 50, "cheek-left"), 0);
  acc.frame(frame(20, 60, "cheek-left"), 20); // the first frame ran 20 ms
  acc.probe([{ u: 0.5, v: 0.17 }]);
  acc.frame(frame(40, 0, "forehead"), 40); // the second ran 20 ms more, still in the cheek
  acc.frame(frame(60, 0, null), 40);
  const s = acc.snapshot("ended");
  assert.equal(s.zones, { "cheek-left": 40 });
  assert.is(s.stimulationMs, 40);
  assert.is(s.maxUa, 60);
  assert.is(s.durationMs, 60);
  assert.is(s.endReason, "ended");
  assert.is(s.coverage.ms[cellOf(cheek)], 40);
  assert.is(sum(s.coverage.ms), 40, "nothing booked at the forehead, where output was 0");
});

test("a count increase after a frame at 0 µA books nothing anywhere", () => {
  const acc = createSummaryAccumulator();
  acc.probe([{ u: 0.277, v: 0.532 }]);
  acc.frame(frame(0, 0, "cheek-left"), 0);
  acc.frame(frame(20, 0, "cheek-left"), 20);
  const s = acc.snapshot();
  assert.equal(s.zones, {});
  assert.is(sum(s.coverage.ms), 0);
  assert.is(s.endReason, null);
});

test("two probe points in one cell count once; each in its own cell gets the frame's time", () => {
  const acc = createSummaryAccumulator();
  const a = { u: 0.27, v: 0.53 }, b = { u: 0.271, v: 0.531 }, c = { u: 0.8, v: 0.53 };
  acc.probe([a, b]);
  acc.frame(frame(0, 40, "cheek-left"), 0);
  acc.probe([a, c]);
  acc.frame(frame(20, 40, "cheek-left"), 20);
  acc.frame(frame(40, 0, null), 40);
  const ms = acc.snapshot().coverage.ms;
  assert.is(ms[cellOf(a)], 40);
  assert.is(ms[cellOf(c)], 20);
});

test("passes per step follow the guidance; a step moved past is done; the block's end means the routine completed", () => {
  const acc = createSummaryAccumulator();
  const g = (stepIndex: number, passesDone: number): Guidance => ({
    stepIndex,
    stepCount: 3,
    stepId: `s${stepIndex}`,
    targetZone: ["forehead", "chin", "cheek-left"][stepIndex]!,
    stroke: { from: { u: 0, v: 0 }, to: { u: 0, v: 0 } },
    strokeProgress: 0,
    holdRemainingS: 0,
    passesDone,
    passes: 2,
  });
  acc.frame(frame(0, 0, null, g(0, 0)), 0);
  acc.frame(frame(20, 0, null, g(0, 1)), 0);
  acc.frame(frame(40, 0, null, g(1, 0)), 0);
  let s = acc.snapshot();
  assert.equal(s.steps.map((x) => [x.id, x.zone, x.passesDone, x.passes]), [
    ["s0", "forehead", 2, 2],
    ["s1", "chin", 0, 2],
  ]);
  assert.is(s.stepCount, 3);
  assert.is(s.completed, false);
  acc.frame(frame(60, 0, null, g(2, 1)), 0);
  acc.frame(frame(80, 0, null), 0);
  s = acc.snapshot();
  assert.is(s.completed, true);
  assert.equal(s.steps.map((x) => x.passesDone), [2, 2, 2]);
});

test("the series has one point a second: the mean and the highest current of each second", () => {
  const acc = createSummaryAccumulator();
  for (let t = 0; t < 3000; t += 20) {
    acc.frame(frame(t, t < 1000 ? 10 : t < 2000 ? (t % 40 ? 0 : 100) : 0, "chin"), 0);
  }
  const { series } = acc.snapshot();
  assert.is(series.stepMs, 1000);
  assert.equal(series.meanUa, [10, 50, 0]);
  assert.equal(series.maxUa, [10, 100, 0]);
});

test("the shipped engine, driven along a cheek stroke: zone times add up to its own stimulation count", () => {
  const engine = createEngine();
  const acc = createSummaryAccumulator();
  engine.apply({ t: 0, type: "start", routine: "free", comfort: 10, screening: {} });
  engine.apply({ t: 0, type: "contact", on: true, impedanceOhm: 4000 });
  let t = 0;
  for (; t < 5000; t += 20) {
    if (t % 40 === 0) {
      const p = { u: 0.2 + (t / 5000) * 0.15, v: 0.55 };
      engine.apply({ t, type: "probe", points: [p], confidence: 0.95 });
      acc.probe([p]);
    }
    acc.frame(engine.frame(t), engine.stimulationMs);
  }
  engine.apply({ t, type: "end" });
  acc.frame(engine.frame(t), engine.stimulationMs);
  const s = acc.snapshot("user-end");
  assert.ok(engine.stimulationMs > 4000, `output flowed: ${engine.stimulationMs} ms`);
  assert.equal(Object.keys(s.zones), ["cheek-left"]);
  assert.ok(
    Math.abs(s.stimulationMs - engine.stimulationMs) <= 0.5,
    `${s.stimulationMs} vs ${engine.stimulationMs}`,
  );
  assert.ok(sum(s.coverage.ms) >= s.stimulationMs, "every ms of output is on the map");
  assert.equal(validateSessionSummary(JSON.parse(JSON.stringify(s))), s, "it survives its own check");
});

// ---- properties ----

const ZONES = ["forehead", "chin", "cheek-left", "neck-right", null] as const;
/** A random frame sequence: per step a probe position, a current (often 0), a zone and a count increase. */
const steps = fc.array(
  fc.record({
    dt: fc.integer({ min: 0, max: 120 }),
    ua: fc.oneof(fc.constant(0), fc.double({ min: 0.001, max: 500, noNaN: true })),
    zone: fc.constantFrom(...ZONES),
    u: fc.double({ min: 0, max: 0.999, noNaN: true }),
    v: fc.double({ min: 0.1, max: 1.349, noNaN: true }),
    // The engine adds at most the elapsed time, capped at a frame's validity; an adversarial count may add more.
    extra: fc.integer({ min: 0, max: 200 }),
  }),
  { minLength: 1, maxLength: 300 },
);

test("property: total stimulation is the sum of the per-zone times, and each zone matches an independent tally", () => {
  fc.assert(
    fc.property(steps, (seq) => {
      const acc = createSummaryAccumulator();
      const model = new Map<string, number>();
      let t = 0, count = 0, prev: { ua: number; zone: string | null } | null = null;
      for (const s of seq) {
        t += s.dt;
        const delta = Math.min(s.dt, 100) + (s.extra > 150 ? s.extra : 0);
        count += delta;
        if (prev && prev.ua > 0 && delta > 0) {
          const z = prev.zone ?? "other";
          model.set(z, (model.get(z) ?? 0) + delta);
        }
        acc.probe([{ u: s.u, v: s.v }]);
        acc.frame(frame(t, s.ua, s.zone), count);
        prev = { ua: s.ua, zone: s.zone };
      }
      const out = acc.snapshot();
      assert.is(out.stimulationMs, sum(Object.values(out.zones)));
      for (const [z, ms] of model) if (Math.round(ms) > 0) assert.is(out.zones[z], Math.round(ms), z);
      assert.is(Object.keys(out.zones).length, [...model.values()].filter((ms) => Math.round(ms) > 0).length);
    }),
    { numRuns: 500 },
  );
});

test("property: coverage never counts a frame at 0 µA, whatever the count does", () => {
  fc.assert(
    fc.property(steps, (seq) => {
      const acc = createSummaryAccumulator();
      let t = 0, count = 0;
      for (const s of seq) {
        t += s.dt;
        count += s.extra; // any increase, even after frames at 0 µA
        // Frames at 0 µA have their probe on the left half of the grid, frames with output on the right half.
        const u = s.ua > 0 ? 0.5 + s.u / 2 : s.u / 2 - 1e-9;
        acc.probe([{ u, v: s.v }]);
        acc.frame(frame(t, s.ua, s.zone), count);
      }
      const { coverage } = acc.snapshot();
      for (let r = 0; r < coverage.rows; r++) {
        for (let c = 0; c < coverage.cols / 2; c++) {
          assert.is(coverage.ms[r * coverage.cols + c], 0, `cell ${r},${c}`);
        }
      }
    }),
    { numRuns: 500 },
  );
});

test("property: the series stays within its point bound, however long, and keeps the peak", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          gap: fc.integer({ min: 1, max: 120_000 }),
          ua: fc.double({ min: 0, max: 500, noNaN: true }),
        }),
        {
          minLength: 1,
          maxLength: 400,
        },
      ),
      fc.integer({ min: 2, max: 64 }),
      (seq, maxPoints) => {
        const acc = createSummaryAccumulator({ maxPoints, stepMs: 500 });
        let t = 0, peak = 0;
        for (const s of seq) {
          t += s.gap;
          peak = Math.max(peak, s.ua);
          acc.frame(frame(t, s.ua, "chin"), 0);
        }
        const { series, durationMs, maxUa }: SessionSummary = acc.snapshot();
        assert.ok(series.meanUa.length <= maxPoints, `${series.meanUa.length} points > ${maxPoints}`);
        assert.is(series.maxUa.length, series.meanUa.length);
        assert.ok(series.meanUa.length * series.stepMs > durationMs, "the last bucket holds the last frame");
        assert.is(Math.max(...series.maxUa), maxUa);
        assert.is(maxUa, Math.round(peak * 10) / 10);
        series.meanUa.forEach((m, i) => assert.ok(m <= series.maxUa[i]!, `bucket ${i}: mean ${m} > max`));
      },
    ),
    { numRuns: 300 },
  );
});

test("a 20-minute session at 50 Hz keeps at most 1200 series points and 24 × 24 cells", () => {
  const acc = createSummaryAccumulator();
  let count = 0;
  for (let t = 0; t <= 20 * 60_000; t += 20) {
    acc.probe([{ u: (t % 7000) / 7000, v: 0.5 }]);
    acc.frame(frame(t, 100, "cheek-left"), count += 20);
  }
  const s = acc.snapshot();
  assert.ok(s.series.meanUa.length <= 1200, `${s.series.meanUa.length}`);
  assert.is(s.coverage.ms.length, 576);
  assert.ok(JSON.stringify(s).length < 40_000, `stored size ${JSON.stringify(s).length} characters`);
});

test("a stored summary is refused, naming the field, when it does not add up or has the wrong shape", () => {
  const acc = createSummaryAccumulator();
  acc.frame(frame(0, 10, "chin"), 0);
  acc.frame(frame(20, 10, "chin"), 20);
  const good = JSON.parse(JSON.stringify(acc.snapshot("ended")));
  const bad = (patch: Record<string, unknown>, field: string) => {
    try {
      validateSessionSummary({ ...good, ...patch });
      assert.unreachable(`accepted ${JSON.stringify(patch)}`);
    } catch (error) {
      assert.instance(error, FieldError);
      assert.is((error as FieldError).field, field);
    }
  };
  bad({ stimulationMs: 21 }, "stimulationMs");
  bad({ zones: { chin: -1 } }, "zones.chin");
  bad({ zones: { "Not An Id": 20 } }, "zones.Not An Id");
  bad({ v: 2 }, "v");
  bad({ coverage: { ...good.coverage, ms: [1] } }, "coverage.ms");
  bad({ series: { ...good.series, maxUa: [] } }, "series.maxUa");
  bad({ steps: [{ index: 0, id: "a", zone: "chin", passes: 1, passesDone: 2 }] }, "steps[0].passesDone");
  bad({ endReason: 5 }, "endReason");
  assert.equal(validateSessionSummary(good), good);
});

test.run();
