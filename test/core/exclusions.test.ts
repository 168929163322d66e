/** Personal exclusions and the level ceiling in the engine: examples (the properties are in exclusions_property). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  createEngine,
  type EngineEvent,
  errorField,
  FieldError,
  FieldRangeError,
  parseEvent,
} from "../../core/engine/mod.ts";
import { byTime, CHEEK, CONTACT, EYE, probes, runFrames, START } from "./_engine_helpers.ts";
import { parseRoutineFile } from "../../kiosk/routines/mod.ts";

const routines = parseRoutineFile(
  await Deno.readTextFile("plugins/routines-core/routines.json"),
  "routines.json",
);
const frameAt = <F extends { t: number }>(frames: F[], t: number): F => frames.find((f) => f.t === t)!;
const CHEEK_RIGHT = { u: 0.723, v: 0.532 };
/** Inside both jawline-left and neck-left; the engine classifies it as neck-left (the lower level). */
const JAW_NECK = { u: 0.21, v: 0.845 };
const start = (over: Partial<Extract<EngineEvent, { type: "start" }>>): EngineEvent =>
  ({ ...START, ...over }) as EngineEvent;

test("a probe in an excluded zone gets 0 µA with limit excluded:<zone>; other zones still flow", () => {
  const excluded = start({ exclusions: ["cheek-left"] });
  const left = runFrames(byTime([excluded, CONTACT, ...probes(0, 3000, CHEEK)]));
  assert.ok(left.every((f) => f.currentUa === 0));
  assert.is(frameAt(left, 2000).limit, "excluded:cheek-left");
  assert.is(frameAt(left, 2000).zone, "cheek-left");
  const right = runFrames(byTime([excluded, CONTACT, ...probes(0, 3000, CHEEK_RIGHT)]));
  assert.is(frameAt(right, 2600).currentUa, 250);
  assert.is(frameAt(right, 2600).limit, "zone");
});

test("an excluded zone holds where it overlaps another: the polygon counts, not only the zone the point is classed in", () => {
  const free = runFrames(byTime([START, CONTACT, ...probes(0, 2000, JAW_NECK)]));
  assert.is(frameAt(free, 2000).zone, "neck-left");
  assert.ok(frameAt(free, 2000).currentUa > 0);
  const jawOut = runFrames(
    byTime([start({ exclusions: ["jawline-left"] }), CONTACT, ...probes(0, 2000, JAW_NECK)]),
  );
  assert.ok(jawOut.every((f) => f.currentUa === 0));
  assert.is(frameAt(jawOut, 2000).limit, "excluded:jawline-left");
});

test("two probe points: one in an excluded zone is enough for 0 µA; a keep-out point still names the keep-out", () => {
  const events = (points: { u: number; v: number }[]) =>
    byTime([
      start({ exclusions: ["cheek-left"] }),
      CONTACT,
      ...probes(0, 1000, CHEEK_RIGHT),
      ...Array.from({ length: 10 }, (_, i) => ({
        t: 1010 + i * 30,
        type: "probe" as const,
        points,
        confidence: 0.95,
      })),
    ]);
  const both = runFrames(events([CHEEK_RIGHT, CHEEK]));
  assert.ok(frameAt(both, 1000).currentUa > 0);
  assert.is(frameAt(both, 1020).currentUa, 0, "cut on the next frame");
  assert.is(frameAt(both, 1020).limit, "excluded:cheek-left");
  const eye = runFrames(events([CHEEK, EYE]));
  assert.is(frameAt(eye, 1020).limit, "keep-out:eye-left");
});

test("an excluded-zone touch between two frames forces the next frame to 0 and the ramp restarts from 0", () => {
  const events = byTime([
    start({ exclusions: ["cheek-left"] }),
    CONTACT,
    ...probes(0, 990, CHEEK_RIGHT),
    { t: 1005, type: "probe", points: [CHEEK], confidence: 0.95 },
    ...probes(1010, 1500, CHEEK_RIGHT),
  ]);
  const frames = runFrames(events);
  assert.ok(frameAt(frames, 1000).currentUa > 50);
  assert.is(frameAt(frames, 1020).currentUa, 0);
  assert.is(frameAt(frames, 1020).limit, "excluded:cheek-left");
  assert.is(frameAt(frames, 1040).currentUa, 2);
});

test("maxComfort clamps the start's comfort and every comfort event, and a lower level still applies", () => {
  const events = byTime([
    start({ comfort: 10, maxComfort: 4 }),
    CONTACT,
    ...probes(0, 6000, CHEEK),
    { t: 3000, type: "comfort", level: 9 },
    { t: 5000, type: "comfort", level: 2 },
  ]);
  const frames = runFrames(events);
  assert.is(frameAt(frames, 2980).currentUa, 100, "250 µA × 4/10, not × 10/10");
  assert.is(frameAt(frames, 4000).currentUa, 100, "comfort 9 is held to 4");
  assert.is(frameAt(frames, 5000).currentUa, 50, "comfort 2 is below the ceiling");
});

test("guided steps in an excluded zone are left out: the guidance counts only the steps that run", () => {
  const express = routines.find((r) => r.id === "express-lift")!;
  const engine = createEngine({ routines });
  engine.apply(start({ routine: "express-lift", exclusions: ["brow-left", "chin"] }));
  const g = engine.frame(0).guidance!;
  assert.is(g.stepCount, express.steps.length - 2);
  const plain = createEngine({ routines });
  plain.apply(start({ routine: "express-lift" }));
  assert.is(plain.frame(0).guidance!.stepCount, express.steps.length);
});

test("a routine whose every step is excluded is refused at start, naming exclusions", () => {
  const engine = createEngine({ routines });
  const jawNeck = routines.find((r) => r.id === "jawline-neck")!;
  const zones = [...new Set(jawNeck.steps.map((s) => s.zone))];
  try {
    engine.apply(start({ routine: "jawline-neck", exclusions: zones }));
    assert.unreachable("refused");
  } catch (error) {
    assert.instance(error, FieldRangeError);
    assert.is(errorField(error), "exclusions");
  }
  assert.is(engine.state, "idle", "nothing started");
  engine.apply(start({ routine: "free", exclusions: zones }));
  assert.is(engine.state, "ready", "the free routine still runs everywhere else");
});

test("the engine refuses an exclusion that is not a treatment zone of its map, naming the entry", () => {
  for (const bad of ["eye-left", "nose", "cheek"]) {
    const engine = createEngine();
    try {
      engine.apply(start({ exclusions: ["chin", bad] }));
      assert.unreachable(bad);
    } catch (error) {
      assert.instance(error, FieldRangeError);
      assert.is(errorField(error), "exclusions[1]");
      assert.match((error as Error).message, bad);
    }
  }
  assert.equal(createEngine().zoneIds.includes("eye-left"), false);
  assert.equal(createEngine().zoneIds.length, 14);
});

test("parseEvent checks exclusions and maxComfort, naming the field", () => {
  const zoneIds = createEngine().zoneIds;
  const cases: [Record<string, unknown>, string, { zoneIds?: readonly string[] }?][] = [
    [{ exclusions: "chin" }, "exclusions"],
    [{ exclusions: [1] }, "exclusions[0]"],
    [{ exclusions: ["chin", "Chin"] }, "exclusions[1]"],
    [{ exclusions: ["chin", "chin"] }, "exclusions[1]"],
    [{ exclusions: ["chin", "lips"] }, "exclusions[1]", { zoneIds }],
    [{ exclusions: ["chin", "nose"] }, "exclusions[1]", { zoneIds }],
    [{ exclusions: [...zoneIds, "chin"] }, "exclusions", { zoneIds }],
    [{ exclusions: Array.from({ length: 65 }, (_, i) => `z${i}`) }, "exclusions"],
    [{ maxComfort: 0 }, "maxComfort"],
    [{ maxComfort: 11 }, "maxComfort"],
    [{ maxComfort: 2.5 }, "maxComfort"],
    [{ maxComfort: "3" }, "maxComfort"],
  ];
  for (const [fields, field, options] of cases) {
    try {
      parseEvent({ ...START, ...fields }, "line 1: ", options);
      assert.unreachable(JSON.stringify(fields));
    } catch (error) {
      assert.instance(error, FieldError, JSON.stringify(fields));
      assert.is((error as FieldError).field, field, JSON.stringify(fields));
      assert.match((error as Error).message, `line 1: field "${field}"`);
    }
  }
  const ok = parseEvent({ ...START, exclusions: ["chin", "neck-left"], maxComfort: 3 }, "", { zoneIds });
  assert.equal(ok, { ...START, exclusions: ["chin", "neck-left"], maxComfort: 3 });
  assert.equal(parseEvent({ ...START, exclusions: [] }), { ...START, exclusions: [] });
});

test.run();
