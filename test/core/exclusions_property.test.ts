/** Property tests: a profile's exclusions and level ceiling only ever lower the output, and excluded zones get 0 µA. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  createEngine,
  type Engine,
  type EngineEvent,
  type EngineFrame,
  type UvPoint,
} from "../../core/engine/mod.ts";
import { comfortDraft, type Draft, inside, pointNear, pressDraft, routines } from "./_arbitraries.ts";
import zonesJson from "../../models/zones.json" with { type: "json" };

const RUNS = Math.max(50, Math.round(Number(Deno.env.get("ENVELOPE_RUNS") ?? "10000") / 5));
const GUIDED = routines.map((r) => r.id);

// The test's own reading of the zone map (inside(): even-odd rule), independent of core/zones.
const TREATMENT = zonesJson.zones.filter((z) => z.kind === "treatment");
const TREATMENT_IDS = TREATMENT.map((z) => z.id);
const POLYGON = new Map(TREATMENT.map((z) => [z.id, z.polygon]));
const LEVEL = new Map(TREATMENT.map((z) => [z.id, z.levelUa!]));
const inExcluded = (p: UvPoint, excluded: readonly string[]) =>
  excluded.some((id) => inside(POLYGON.get(id)!, p.u, p.v));

// Points near what matters: each treatment zone's centre area, the overlaps, the eyes; some anywhere.
const SPOTS: UvPoint[] = [
  ...TREATMENT.map((z) => {
    const n = z.polygon.length;
    return {
      u: z.polygon.reduce((a, p) => a + p[0]!, 0) / n,
      v: z.polygon.reduce((a, p) => a + p[1]!, 0) / n,
    };
  }),
  { u: 0.21, v: 0.845 }, // jawline-left ∩ neck-left
  { u: 0.79, v: 0.845 },
  { u: 0.38, v: 0.895 }, // jawline-left ∩ chin
  { u: 0.343, v: 0.355 },
  ...routines.flatMap((r) => r.steps.flatMap((s) => [s.stroke.from, s.stroke.to])),
];
const point = pointNear(SPOTS, { weight: 8, jitter: 0.02, u: [-0.2, 1.2], v: [0, 1.4] });

const dt = fc.integer({ min: 0, max: 60 });
const draft = (startRoutines: string[]): fc.Arbitrary<Draft> =>
  fc.oneof(
    {
      weight: 30,
      arbitrary: fc.record({
        dt,
        type: fc.constant("probe" as const),
        points: fc.array(point, { minLength: 1, maxLength: 2 }),
        confidence: fc.constant(0.95),
      }),
    },
    // A dwell's worth of the same spot, so output builds up.
    {
      weight: 6,
      arbitrary: fc.record({
        dt: fc.integer({ min: 400, max: 1500 }),
        type: fc.constant("probe" as const),
        points: fc.array(point, { minLength: 1, maxLength: 1 }),
        confidence: fc.constant(0.95),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ dt, type: fc.constant("contact" as const), on: fc.boolean() }),
    },
    { weight: 2, arbitrary: comfortDraft(dt) },
    {
      weight: 1,
      arbitrary: fc.record({
        dt,
        type: fc.constant("start" as const),
        routine: fc.constantFrom(...startRoutines),
        comfort: fc.integer({ min: 1, max: 10 }),
        screening: fc.constant({}),
      }),
    },
    {
      weight: 1,
      arbitrary: pressDraft(dt, ["pause", "resume", "end", "estop", "reset"]),
    },
  );

/** Events with times; a dwell draft becomes probes every 30 ms for its dt. */
function timed(first: Draft, drafts: Draft[]): EngineEvent[] {
  let t = 0;
  const out: EngineEvent[] = [];
  for (const d of [first, { dt: 0, type: "contact", on: true } as Draft, ...drafts]) {
    const { dt: gap, ...rest } = d;
    if (rest.type === "probe" && gap >= 400) {
      for (let k = 0; k < gap; k += 30) out.push({ ...rest, t: t += 30 } as EngineEvent);
    } else out.push({ ...rest, t: t += gap } as EngineEvent);
  }
  return out;
}

const profile = fc.record({
  exclusions: fc.uniqueArray(fc.constantFrom(...TREATMENT_IDS), { minLength: 0, maxLength: 4 }),
  maxComfort: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
});
type Profile = { exclusions: string[]; maxComfort?: number };

/** The same events with the profile's exclusions and ceiling on every start, as the kiosk sends them. */
function withProfile(events: EngineEvent[], p: Profile): EngineEvent[] {
  return events.map((e) =>
    e.type === "start"
      ? {
        ...e,
        exclusions: p.exclusions,
        ...(p.maxComfort === undefined ? {} : { maxComfort: p.maxComfort }),
      }
      : e
  );
}

/** Runs events on a 20 ms grid; a refused event (a start over a live session) is skipped, as the kiosk would. */
function run(
  engine: Engine,
  events: EngineEvent[],
  each: (f: EngineFrame, last: EngineEvent | null) => void,
) {
  let i = 0;
  let lastProbe: EngineEvent | null = null;
  for (let t = 0; t <= events.at(-1)!.t + 200; t += 20) {
    while (i < events.length && events[i]!.t <= t) {
      const e = events[i++]!;
      try {
        engine.apply(e);
      } catch { /* refused: the engine is unchanged */ }
      if (e.type === "probe") lastProbe = e;
    }
    each(engine.frame(t), lastProbe);
  }
}

function frames(events: EngineEvent[]): EngineFrame[] {
  const out: EngineFrame[] = [];
  run(createEngine({ routines }), events, (f) => out.push(f));
  return out;
}

const SEED = Number(Deno.env.get("ENVELOPE_SEED") ?? Date.now() % 2 ** 31);
console.log(`exclusions property seed: ${SEED}`);

const freeSequence = fc.tuple(
  fc.integer({ min: 1, max: 10 }),
  fc.array(draft(["free"]), { minLength: 5, maxLength: 60, size: "max" }),
).map(([comfort, ds]) =>
  timed({ dt: 0, type: "start", routine: "free", comfort, screening: {} } as Draft, ds)
);

test(`free routine: with a profile the output is never above the output without it (${RUNS} sequences)`, () => {
  fc.assert(
    fc.property(freeSequence, profile, (events, p) => {
      const plain = frames(events);
      const personal = frames(withProfile(events, p));
      personal.forEach((f, k) => {
        const base = plain[k]!;
        if (f.currentUa > base.currentUa + 1e-9) {
          throw new Error(`t=${f.t}: ${f.currentUa} µA with the profile, ${base.currentUa} µA without`);
        }
      });
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

const guidedSequence = fc.tuple(
  fc.constantFrom(...GUIDED),
  fc.integer({ min: 1, max: 10 }),
  fc.array(draft(GUIDED), { minLength: 5, maxLength: 60, size: "max" }),
).map(([routine, comfort, ds]) =>
  timed({ dt: 0, type: "start", routine, comfort, screening: {} } as Draft, ds)
);

test(`guided routines: a level ceiling alone is never above the output without it (${RUNS} sequences)`, () => {
  fc.assert(
    fc.property(guidedSequence, fc.integer({ min: 1, max: 10 }), (events, maxComfort) => {
      const plain = frames(events);
      const personal = frames(withProfile(events, { exclusions: [], maxComfort }));
      personal.forEach((f, k) => {
        const base = plain[k]!;
        if (f.currentUa > base.currentUa + 1e-9) {
          throw new Error(
            `t=${f.t}: ${f.currentUa} µA with maxComfort ${maxComfort}, ${base.currentUa} µA without`,
          );
        }
        assert.is(f.guidance?.stepIndex, base.guidance?.stepIndex, "the same guidance");
      });
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

test(`any routine: 0 µA whenever a probe is in an excluded zone, within the ceiling, never guided there (${RUNS} sequences)`, () => {
  const both = fc.oneof(freeSequence, guidedSequence);
  fc.assert(
    fc.property(both, profile, (events, p) => {
      const engine = createEngine({ routines });
      run(engine, withProfile(events, p), (f, last) => {
        const points = last?.type === "probe" ? last.points : [];
        if (points.some((q) => inExcluded(q, p.exclusions)) && f.currentUa !== 0) {
          throw new Error(
            `t=${f.t}: ${f.currentUa} µA with a probe in an excluded zone ${JSON.stringify(points)}`,
          );
        }
        if (f.limit.startsWith("excluded:") && !p.exclusions.includes(f.limit.slice(9))) {
          throw new Error(`t=${f.t}: limit ${f.limit} names a zone that is not excluded`);
        }
        if (f.guidance && p.exclusions.includes(f.guidance.targetZone)) {
          throw new Error(`t=${f.t}: guided to excluded zone ${f.guidance.targetZone}`);
        }
        // The ceiling: the level of any treatment zone holding a point, scaled by at most maxComfort / 10.
        if (f.currentUa > 0 && p.maxComfort !== undefined) {
          const levels = points.flatMap((q) =>
            TREATMENT_IDS.filter((id) => inside(POLYGON.get(id)!, q.u, q.v)).map((id) => LEVEL.get(id)!)
          );
          const bound = Math.min(...levels) * p.maxComfort / 10;
          if (f.currentUa > bound + 1e-9) {
            throw new Error(`t=${f.t}: ${f.currentUa} µA above ${bound} µA (maxComfort ${p.maxComfort})`);
          }
        }
      });
    }),
    { numRuns: RUNS, seed: SEED },
  );
});

test("the sequences reach output in excluded-free zones and touch excluded zones: the properties are not vacuous", () => {
  let flowing = 0, excludedFrames = 0;
  const samples = fc.sample(fc.tuple(freeSequence, profile), { numRuns: 300, seed: 7 });
  for (const [events, p] of samples) {
    run(createEngine({ routines }), withProfile(events, p), (f) => {
      if (f.currentUa > 0) flowing++;
      if (f.limit.startsWith("excluded:")) excludedFrames++;
    });
  }
  console.log(`in 300 sequences: ${flowing} frames with output, ${excludedFrames} held by an exclusion`);
  assert.ok(flowing > 5000, `only ${flowing} frames with output`);
  assert.ok(excludedFrames > 1000, `only ${excludedFrames} frames held by an exclusion`);
});

test.run();
