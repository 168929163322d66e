/** Property tests: every rule of the safety envelope (DESIGN §3) holds on every frame of random event sequences. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  createEngine,
  type EngineEvent,
  type EngineFrame,
  HARD_CEILING_UA,
  type UvPoint,
} from "../../core/engine/mod.ts";
import { createZoneClassifier, defaultZoneMap } from "../../core/zones/mod.ts";
import zonesJson from "../../models/zones.json" with { type: "json" };
import {
  comfortDraft,
  type Draft,
  inside,
  pointNear,
  type Poly,
  pressDraft,
  routines,
} from "./_arbitraries.ts";
import { engineFrame } from "./_engine_helpers.ts";

const RUNS = Number(Deno.env.get("ENVELOPE_RUNS") ?? "10000");
const LATCH_RUNS = Math.max(1, Math.round(RUNS / 5));
const MAX_STIM_MS = 3000;
const zones = createZoneClassifier(defaultZoneMap);
const MM_PER_UV = zonesJson.mmPerUv;

/**
 * The oracle's own reading of models/zones.json, written independently of core/zones (no bounding boxes,
 * no early exits): keep-out within its margin → "keep-out"; outside face and neck → "off-face"; else the set
 * of treatment zones holding the point, whose lowest level bounds the output.
 */
function nearEdge(poly: Poly, u: number, v: number, distance: number): boolean {
  return poly.some((a, i) => {
    const b = poly[(i + 1) % poly.length]!;
    const [au, av] = a as [number, number], [bu, bv] = b as [number, number];
    const len2 = (bu - au) ** 2 + (bv - av) ** 2;
    const s = Math.max(0, Math.min(1, ((u - au) * (bu - au) + (v - av) * (bv - av)) / len2));
    return Math.hypot(au + s * (bu - au) - u, av + s * (bv - av) - v) <= distance;
  });
}
type OracleClass = { kind: "blocked" } | { kind: "treatment"; zones: string[]; levelUa: number };
function oracleClassify({ u, v }: UvPoint): OracleClass {
  for (const z of zonesJson.zones) {
    if (
      z.kind === "keep-out" &&
      (inside(z.polygon, u, v) || nearEdge(z.polygon, u, v, (z.marginMm ?? 0) / MM_PER_UV))
    ) {
      return { kind: "blocked" };
    }
  }
  if (!inside(zonesJson.outline.face, u, v) && !inside(zonesJson.outline.neck, u, v)) {
    return { kind: "blocked" };
  }
  const holding = zonesJson.zones.filter((z) => z.kind === "treatment" && inside(z.polygon, u, v));
  if (holding.length === 0) return { kind: "blocked" };
  return {
    kind: "treatment",
    zones: holding.map((z) => z.id),
    levelUa: Math.min(...holding.map((z) => z.levelUa!)),
  };
}
const express = routines.find((r) => r.id === "express-lift")!;

// Points: mostly near places that matter (treatment zones, keep-out edges, stroke ends), some anywhere.
const SPOTS: UvPoint[] = [
  { u: 0.277, v: 0.532 },
  { u: 0.343, v: 0.355 },
  { u: 0.343, v: 0.30 },
  { u: 0.382, v: 0.695 },
  { u: 0.5, v: 0.18 },
  { u: 0.5, v: 1.0 },
  { u: 0.265, v: 1.05 },
  { u: 0.5, v: 0.5 },
  { u: 0.128, v: 0.792 },
  { u: 0.21, v: 0.845 }, // jawline-left ∩ neck-left
  { u: 0.79, v: 0.845 }, // jawline-right ∩ neck-right
  { u: 0.385, v: 0.86 }, // jawline-left ∩ chin
  ...express.steps.flatMap((s) => [s.stroke.from, s.stroke.to]),
];
const point = pointNear(SPOTS, { weight: 6, jitter: 0.03, u: [-0.3, 1.3], v: [-0.1, 1.6] });
const dt = fc.integer({ min: 0, max: 90 });
const draft: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 30,
    arbitrary: fc.record({
      dt,
      type: fc.constant("probe" as const),
      points: fc.array(point, { minLength: 0, maxLength: 2 }),
      confidence: fc.oneof({ weight: 4, arbitrary: fc.constant(0.95) }, {
        weight: 1,
        arbitrary: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      dt,
      type: fc.constant("contact" as const),
      on: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
  { weight: 1, arbitrary: comfortDraft(dt) },
  {
    weight: 1,
    arbitrary: fc.record({
      dt,
      type: fc.constant("cap" as const),
      operatorCapUa: fc.integer({ min: 0, max: 900 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      dt,
      type: fc.constant("device" as const),
      maxCurrentUa: fc.integer({ min: 0, max: 900 }),
      netDc: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      dt,
      type: fc.constant("start" as const),
      routine: fc.constantFrom("free", "free", "express-lift"),
      comfort: fc.integer({ min: 1, max: 10 }),
      screening: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, {
        weight: 1,
        arbitrary: fc.dictionary(fc.constantFrom("pacemaker", "pregnancy", "epilepsy"), fc.boolean()),
      }),
      operatorCapUa: fc.option(fc.integer({ min: 0, max: 700 }), { nil: undefined }),
      netDc: fc.option(fc.boolean(), { nil: undefined }),
    }, { requiredKeys: ["dt", "type", "routine", "comfort", "screening"] }),
  },
  { weight: 1, arbitrary: pressDraft(dt, ["begin", "estop", "reset", "pause", "resume", "end"]) },
  {
    weight: 1,
    arbitrary: fc.record({
      dt,
      type: fc.constant("fault" as const),
      source: fc.constant("device"),
      reason: fc.constant("overcurrent"),
    }),
  },
);
const TREATMENT_SPOTS = SPOTS.filter((p) => zones.classify(p).kind === "treatment");
// A dwell: the probe held in one treatment zone at camera rate, so that output builds up between disruptions.
const dwell: fc.Arbitrary<Draft[]> = fc
  .tuple(
    fc.constantFrom(...TREATMENT_SPOTS),
    fc.integer({ min: 10, max: 80 }),
    fc.integer({ min: 15, max: 40 }),
  )
  .map(([p, n, every]) =>
    Array.from({ length: n }, () => ({ dt: every, type: "probe" as const, points: [p], confidence: 0.9 }))
  );
const START: Draft = { dt: 0, type: "start", routine: "free", comfort: 10, screening: {} };
const CONTACT: Draft = { dt: 0, type: "contact", on: true };
const chunk = fc.oneof({ weight: 6, arbitrary: draft.map((d) => [d]) }, { weight: 1, arbitrary: dwell });
const sequence = fc.array(chunk, { minLength: 1, maxLength: 40 }).map((chunks) => chunks.flat()).map((ds) => {
  let t = 0;
  return [START, CONTACT, ...ds].map(({ dt, ...rest }) => ({ ...rest, t: t += dt }) as EngineEvent);
});

// Around the latch: a stop while output flows, then what a page can send (end, start, resume, pause, contact,
// the probe held still) and now and then an operator reset, so both the latch and the wait for resume are hit.
const STOP = fc.constantFrom<Draft>(
  { dt: 0, type: "estop" },
  { dt: 0, type: "fault", source: "device", reason: "overcurrent" },
);
const pageMove: fc.Arbitrary<Draft[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<Draft>(
      { dt: 20, type: "end" },
      { ...START, dt: 20 },
      { dt: 20, type: "resume" },
      { dt: 20, type: "pause" },
      { dt: 20, type: "contact", on: true },
      { dt: 20, type: "contact", on: false },
      { dt: 20, type: "begin" },
    ).map((d) => [d]),
  },
  { weight: 3, arbitrary: dwell },
  { weight: 2, arbitrary: fc.constant<Draft[]>([{ dt: 20, type: "reset" }]) },
  { weight: 1, arbitrary: STOP.map((d) => [d]) },
);
const latchSequence = fc
  .tuple(dwell, STOP, fc.array(pageMove, { minLength: 1, maxLength: 24 }))
  .map(([before, stop, moves]) => {
    let t = 0;
    return [START, CONTACT, ...before, stop, ...moves.flat()].map(({ dt, ...rest }) =>
      ({ ...rest, t: t += dt }) as EngineEvent
    );
  });

/** An independent model of what the envelope forbids, tracked from the events alone. */
interface Oracle {
  session: null | {
    contraindicated: boolean;
    comfort: number;
    capUa: number;
    netDc: boolean;
    guided: boolean;
    over: boolean;
    stimulatedMs: number;
  };
  estop: boolean; // since the last reset (neither end nor a new start clears it)
  fault: boolean; // since the last reset (a new session does not clear it)
  paused: boolean; // by the person, or by a reset that lifted a latch (output waits for resume)
  contact: boolean;
  brokeSinceFrame: boolean; // contact lost, estop, fault, pause or end since the last frame
  badObservationSinceFrame: boolean;
  lastProbeT: number;
  points: UvPoint[] | null;
  confidence: number;
  deviceMaxUa: number;
  deviceNetDc: boolean;
}

function observe(o: Oracle, e: EngineEvent): void {
  switch (e.type) {
    case "start":
      o.session = {
        contraindicated: Object.values(e.screening).some(Boolean),
        comfort: e.comfort,
        capUa: e.operatorCapUa ?? HARD_CEILING_UA,
        netDc: e.netDc ?? false,
        guided: e.routine !== "free",
        over: false,
        stimulatedMs: 0,
      };
      o.paused = false;
      break;
    case "contact":
      if (!e.on) o.brokeSinceFrame = true;
      o.contact = e.on;
      break;
    case "probe": {
      o.lastProbeT = e.t;
      o.points = e.points;
      o.confidence = e.confidence;
      if (
        e.points.length === 0 || e.confidence < 0.6 ||
        e.points.some((p) => oracleClassify(p).kind !== "treatment")
      ) {
        o.badObservationSinceFrame = true;
      }
      break;
    }
    case "comfort":
      if (o.session) o.session.comfort = e.level;
      break;
    case "cap":
      if (o.session) o.session.capUa = Math.min(e.operatorCapUa, HARD_CEILING_UA);
      break;
    case "device":
      o.deviceMaxUa = e.maxCurrentUa;
      o.deviceNetDc = e.netDc;
      break;
    case "estop":
      o.estop = true;
      o.brokeSinceFrame = true;
      break;
    case "fault":
      o.fault = true;
      o.brokeSinceFrame = true;
      break;
    case "reset":
      // Lifting a latch never restarts output: a live session waits for the person's resume.
      if ((o.estop || o.fault) && o.session && !o.session.over) o.paused = true;
      o.estop = false;
      o.fault = false;
      break;
    case "pause":
      o.paused = true;
      o.brokeSinceFrame = true;
      break;
    case "resume":
      o.paused = false;
      break;
    case "end":
      if (o.session) o.session.over = true;
      o.brokeSinceFrame = true;
      break;
  }
}

/** Returns a description of the first rule this frame breaks, or null. */
function violation(o: Oracle, f: EngineFrame, prev: EngineFrame | null, t: number): string | null {
  const I = f.currentUa;
  if (!(I >= 0)) return `current must be ≥ 0, got ${I}`;
  if (prev && I - prev.currentUa > 2 + 1e-9) {
    return `rule 4: rose ${I - prev.currentUa} µA in one 20 ms frame`;
  }
  if ((f.state === "ended" || f.state === "aborted") && I > 0) {
    return `output on a frame whose state is ${f.state}`;
  }
  // The page tells a latched stop by the limit, so every frame under the latch must name it.
  if (o.estop && f.limit !== "estop") return `rule 6: limit ${f.limit} while an emergency stop is latched`;
  if (!o.estop && o.fault && f.limit !== "device-fault") {
    return `limit ${f.limit} while a device fault is latched`;
  }
  if (I === 0) return null;
  const s = o.session;
  if (!s) return "output with no session";
  if (s.over) return "output after the session ended";
  if (s.contraindicated) return "rule 8: output in a contraindicated session";
  if (o.estop) return "rule 6: output while an emergency stop is latched";
  if (o.fault) return "output while a device fault is latched";
  if (o.paused) return "output while paused";
  if (!o.contact || o.brokeSinceFrame) {
    return "rule 3: output without skin contact (or without a restart from 0)";
  }
  if (prev && prev.currentUa === 0 && I > 2 + 1e-9) {
    return "rule 3/4: output restarted above one frame's ramp";
  }
  if (t - o.lastProbeT > 150) return "rule 5: output with tracking older than 150 ms";
  if (o.badObservationSinceFrame || !o.points || o.points.length === 0 || o.confidence < 0.6) {
    return "rule 2: output with a probe point not located or not in a treatment zone";
  }
  const classes = o.points.map(oracleClassify);
  if (classes.some((c) => c.kind !== "treatment")) {
    return "rule 2: output with a point outside treatment zones";
  }
  const levels = classes.map((c) => (c.kind === "treatment" ? c.levelUa : 0));
  const bound = Math.min(HARD_CEILING_UA, o.deviceMaxUa, s.capUa, ...levels.map((l) => (l * s.comfort) / 10));
  if (I > bound + 1e-9) return `rule 1: ${I} µA above the bound ${bound} µA`;
  if (
    s.guided && classes.some((c) => c.kind === "treatment" && !c.zones.includes(f.guidance?.targetZone ?? ""))
  ) {
    return "guided routine: output outside the step's target zone";
  }
  if (f.polarity !== "alternating" && !(s.netDc && o.deviceNetDc)) {
    return "rule 9: net-DC without device and operator consent";
  }
  return null;
}

function check(events: EngineEvent[]): string | null {
  const engine = createEngine({ routines, maxStimulationMs: MAX_STIM_MS });
  const o: Oracle = {
    session: null,
    estop: false,
    fault: false,
    paused: false,
    contact: false,
    brokeSinceFrame: false,
    badObservationSinceFrame: false,
    lastProbeT: -Infinity,
    points: null,
    confidence: 0,
    deviceMaxUa: HARD_CEILING_UA,
    deviceNetDc: false,
  };
  let prev: EngineFrame | null = null;
  let i = 0;
  const until = events.at(-1)!.t + 300;
  for (let t = 0; t <= until; t += 20) {
    while (i < events.length && events[i]!.t <= t) {
      const e = events[i++]!;
      try {
        engine.apply(e);
      } catch (error) {
        // Only a start over a live session may be refused; the oracle then ignores it as the engine did.
        if (e.type === "start" && o.session && !o.session.over) continue;
        return `t=${e.t}: engine refused ${JSON.stringify(e)}: ${(error as Error).message}`;
      }
      observe(o, e);
    }
    const f = engine.frame(t);
    const broken = violation(o, f, prev, t);
    if (broken) return `t=${t}: ${broken} (frame ${JSON.stringify(f)})`;
    if (f.currentUa > 0 && o.session) {
      o.session.stimulatedMs += 20;
      if (o.session.stimulatedMs > MAX_STIM_MS) return `rule 7: ${o.session.stimulatedMs} ms of stimulation`;
    }
    if (f.state === "ended" || f.state === "aborted") o.session && (o.session.over = true);
    o.brokeSinceFrame = false;
    o.badObservationSinceFrame = false;
    prev = f;
  }
  return null;
}

// Reported so a failure can be re-run exactly: ENVELOPE_SEED=<seed> deno task test envelope
const SEED = Number(Deno.env.get("ENVELOPE_SEED") ?? Date.now() % 2 ** 31);
console.log(`envelope property seed: ${SEED}`);

/** Every rule holds on `runs` sequences drawn from `sequences` (and that many were checked, none skipped). */
function rulesHoldOn(sequences: fc.Arbitrary<EngineEvent[]>, runs: number): void {
  let sequencesChecked = 0;
  fc.assert(
    fc.property(sequences, (events) => {
      const broken = check(events);
      if (broken) throw new Error(broken);
      sequencesChecked++;
    }),
    { numRuns: runs, seed: SEED },
  );
  assert.is(sequencesChecked, runs);
}

test(`every envelope rule holds on every frame of ${RUNS} random event sequences`, () =>
  rulesHoldOn(sequence, RUNS));

test(
  `an estop or fault stays latched through end, start and resume on ${LATCH_RUNS} sequences`,
  () => rulesHoldOn(latchSequence, LATCH_RUNS),
);

test("the latch sequences do restart output after a reset and a resume: that property is not vacuous", () => {
  let restarted = 0;
  for (const events of fc.sample(latchSequence, { numRuns: 500, seed: 7 })) {
    const engine = createEngine({ routines, maxStimulationMs: MAX_STIM_MS });
    let i = 0, resetSeen = false, flowed = false;
    for (let t = 0; t <= events.at(-1)!.t + 300 && !flowed; t += 20) {
      while (i < events.length && events[i]!.t <= t) {
        const e = events[i++]!;
        if (e.type === "reset") resetSeen = true;
        try {
          engine.apply(e);
        } catch { /* a start over a live session is refused */ }
      }
      flowed = resetSeen && engine.frame(t).currentUa > 0;
    }
    if (flowed) restarted++;
  }
  console.log(`latch sequences with output again after a reset: ${restarted} of 500`);
  assert.ok(restarted > 25, `only ${restarted} of 500`);
});

test("the random sequences do reach output: the property is not vacuous", () => {
  const samples = fc.sample(sequence, { numRuns: 500, seed: 7 });
  let nonZero = 0;
  for (const events of samples) {
    const engine = createEngine({ routines, maxStimulationMs: MAX_STIM_MS });
    let i = 0;
    for (let t = 0; t <= events.at(-1)!.t + 300; t += 20) {
      while (i < events.length && events[i]!.t <= t) {
        try {
          engine.apply(events[i++]!);
        } catch { /* a start over a live session is refused; the sequence goes on */ }
      }
      if (engine.frame(t).currentUa > 0) nonZero++;
    }
  }
  console.log(`frames with output in 500 sequences: ${nonZero}`);
  assert.ok(nonZero > 10000, `only ${nonZero} frames with output in 500 sequences`);
});

test("the oracle catches a broken engine: a frame that skips the slew limit is reported", () => {
  const o = {
    session: {
      contraindicated: false,
      comfort: 10,
      capUa: 500,
      netDc: false,
      guided: false,
      over: false,
      stimulatedMs: 0,
    },
    estop: false,
    fault: false,
    paused: false,
    contact: true,
    brokeSinceFrame: false,
    badObservationSinceFrame: false,
    lastProbeT: 0,
    points: [{ u: 0.277, v: 0.532 }],
    confidence: 0.9,
    deviceMaxUa: 500,
    deviceNetDc: false,
  };
  const frame = (ua: number) => engineFrame({ t: 20, currentUa: ua, zone: "cheek-left" });
  assert.match(violation(o, frame(10), frame(2), 20) ?? "", /rule 4/);
  assert.match(violation({ ...o, estop: true }, frame(2), frame(0), 20) ?? "", /rule 6/);
  assert.match(violation({ ...o, estop: true }, frame(0), frame(0), 20) ?? "", /rule 6: limit zone/);
  assert.match(violation({ ...o, paused: true }, frame(2), frame(0), 20) ?? "", /while paused/);
  assert.match(violation({ ...o, points: [{ u: 0.343, v: 0.36 }] }, frame(2), frame(0), 20) ?? "", /rule 2/);
  assert.match(violation(o, frame(300), frame(299), 20) ?? "", /rule 1/);
  assert.is(violation(o, frame(4), frame(2), 20), null);
});

test.run();
