/** Engine examples: each envelope rule, the session states and guidance, on a virtual 50 Hz clock. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, type EngineEvent, parseEvent } from "../../core/engine/mod.ts";
import { byTime, CHEEK, CONTACT, EYE, probes, runFrames, START } from "./_engine_helpers.ts";
import { parseRoutineFile } from "../../kiosk/routines/mod.ts";

const routines = parseRoutineFile(
  await Deno.readTextFile("plugins/routines-core/routines.json"),
  "routines.json",
);
const frameAt = <F extends { t: number }>(frames: F[], t: number): F => frames.find((f) => f.t === t)!;

test("engine ramps at most 2 µA per 20 ms frame and settles at the cheek's level", () => {
  const frames = runFrames(byTime([START, CONTACT, ...probes(0, 3000, CHEEK)]));
  assert.is(frameAt(frames, 0).currentUa, 2);
  assert.is(frameAt(frames, 1000).currentUa, 102);
  assert.is(frameAt(frames, 1000).limit, "slew");
  assert.is(frameAt(frames, 2600).currentUa, 250);
  assert.is(frameAt(frames, 2600).limit, "zone");
  assert.is(frameAt(frames, 2600).zone, "cheek-left");
});

test("engine cuts output within one frame of an eye keep-out", () => {
  const events = byTime([START, CONTACT, ...probes(0, 990, CHEEK), {
    t: 1001,
    type: "probe",
    points: [EYE],
    confidence: 0.95,
  }]);
  const frames = runFrames(events);
  assert.ok(frameAt(frames, 1000).currentUa > 0);
  assert.is(frameAt(frames, 1020).currentUa, 0);
  assert.is(frameAt(frames, 1020).limit, "keep-out:eye-left");
});

test("cutPending asks for an immediate frame only when flowing output must stop", () => {
  const engine = createEngine();
  engine.apply(START);
  engine.apply(CONTACT);
  engine.apply({ t: 0, type: "probe", points: [CHEEK], confidence: 0.9 });
  assert.is(engine.cutPending, false);
  engine.frame(0);
  engine.apply({ t: 10, type: "probe", points: [CHEEK], confidence: 0.9 });
  assert.is(engine.cutPending, false);
  engine.apply({ t: 12, type: "probe", points: [EYE], confidence: 0.9 });
  assert.is(engine.cutPending, true);
  const cut = engine.frame(12);
  assert.is(cut.currentUa, 0);
  assert.is(engine.cutPending, false);
  engine.apply({ t: 14, type: "estop" });
  assert.is(engine.cutPending, false, "nothing flows, so nothing to cut");
});

test("a keep-out touch between two frames still forces the next frame to 0 and the ramp restarts", () => {
  const events = byTime([
    START,
    CONTACT,
    ...probes(0, 990, CHEEK),
    { t: 1005, type: "probe", points: [EYE], confidence: 0.95 },
    ...probes(1010, 1500, CHEEK),
  ]);
  const frames = runFrames(events);
  assert.is(frameAt(frames, 1020).currentUa, 0);
  assert.is(frameAt(frames, 1020).limit, "keep-out:eye-left");
  assert.is(frameAt(frames, 1040).currentUa, 2);
});

test("the comfort factor scales the zone level and a lower comfort applies at once", () => {
  const events = byTime([START, CONTACT, ...probes(0, 4000, CHEEK), { t: 3000, type: "comfort", level: 4 }]);
  const frames = runFrames(events);
  assert.is(frameAt(frames, 2980).currentUa, 250);
  assert.is(frameAt(frames, 3000).currentUa, 100);
});

test("the operator cap and the device maximum bound the output and are named", () => {
  const capped = runFrames(
    byTime([{ ...START, operatorCapUa: 40 } as EngineEvent, CONTACT, ...probes(0, 1000, CHEEK)]),
  );
  assert.is(frameAt(capped, 1000).currentUa, 40);
  assert.is(frameAt(capped, 1000).limit, "operator-cap");
  const device = runFrames(
    byTime([
      START,
      CONTACT,
      { t: 0, type: "device", maxCurrentUa: 30, netDc: false },
      ...probes(0, 1000, CHEEK),
    ]),
  );
  assert.is(frameAt(device, 1000).currentUa, 30);
  assert.is(frameAt(device, 1000).limit, "device-max");
});

test("an operator cap change mid-session lowers output at once and a raise ramps", () => {
  const frames = runFrames(byTime([
    START,
    CONTACT,
    ...probes(0, 5000, CHEEK),
    { t: 3000, type: "cap", operatorCapUa: 50 },
    { t: 4000, type: "cap", operatorCapUa: 9000 },
  ]));
  assert.is(frameAt(frames, 3000).currentUa, 50);
  assert.is(frameAt(frames, 3000).limit, "operator-cap");
  assert.is(frameAt(frames, 4020).currentUa, 54);
  assert.is(frameAt(frames, 4020).limit, "slew");
});

test("lost contact stops output and output restarts from 0 when contact returns", () => {
  const events = byTime([
    START,
    CONTACT,
    ...probes(0, 2000, CHEEK),
    { t: 1001, type: "contact", on: false },
    { t: 1005, type: "contact", on: true },
  ]);
  const frames = runFrames(events);
  assert.is(frameAt(frames, 1000).currentUa, 102);
  assert.is(frameAt(frames, 1020).currentUa, 0);
  assert.is(frameAt(frames, 1020).limit, "no-contact");
  assert.is(frameAt(frames, 1040).currentUa, 2);
});

test("no observation for more than 150 ms stops output on the next frame", () => {
  const frames = runFrames(byTime([START, CONTACT, ...probes(0, 1000, CHEEK, 20)]));
  assert.ok(frameAt(frames, 1140).currentUa > 0);
  assert.is(frameAt(frames, 1160).currentUa, 0);
  assert.is(frameAt(frames, 1160).limit, "stale-tracking");
});

test("emergency stop is latched (state stopped) until an operator reset, then waits paused for Resume", () => {
  const events = byTime([
    START,
    CONTACT,
    ...probes(0, 3500, CHEEK),
    { t: 1000, type: "estop" },
    { t: 2000, type: "reset" },
    { t: 2500, type: "resume" },
  ]);
  const frames = runFrames(events);
  for (const f of frames.filter((f) => f.t >= 1000 && f.t < 2000)) {
    assert.is(f.currentUa, 0);
    assert.is(f.limit, "estop");
    assert.is(f.state, "stopped");
  }
  for (const f of frames.filter((f) => f.t >= 2000 && f.t < 2500)) {
    assert.is(f.currentUa, 0, `no output at ${f.t} before Resume`);
    assert.is(f.state, "paused");
    assert.is(f.limit, "paused");
  }
  assert.is(frameAt(frames, 2500).currentUa, 2, "after Resume the ramp starts from 0");
  assert.is(frameAt(frames, 2500).state, "running");
});

test("an emergency stop survives end and a new start: every frame is 0 with limit estop until reset", () => {
  const frames = runFrames(
    byTime([
      START,
      CONTACT,
      ...probes(0, 3000, CHEEK),
      { t: 500, type: "estop" },
      { t: 900, type: "end" },
      { ...START, t: 1000 },
      { t: 2000, type: "reset" },
      { t: 2400, type: "resume" },
    ]),
  );
  assert.ok(frameAt(frames, 480).currentUa > 0);
  for (const f of frames.filter((f) => f.t >= 500 && f.t < 2000)) {
    assert.is(f.currentUa, 0, `output at ${f.t}`);
    assert.is(f.limit, "estop", `limit at ${f.t}`);
  }
  assert.is(frameAt(frames, 900).state, "ended", "the old session did end");
  assert.is(frameAt(frames, 1000).state, "stopped", "the new session started under the latch");
  assert.is(frameAt(frames, 2000).state, "paused", "a session started under the latch waits for Resume");
  assert.is(frameAt(frames, 2380).currentUa, 0);
  assert.is(frameAt(frames, 2400).currentUa, 2);
});

test("an emergency stop with no session latches too; the ready session started under it waits for Resume", () => {
  const frames = runFrames(byTime([
    { t: 100, type: "estop" },
    { ...START, t: 300 },
    { t: 600, type: "reset" },
    { t: 800, type: "contact", on: true },
    ...probes(800, 1500, CHEEK),
    { t: 1200, type: "resume" },
  ]));
  assert.is(frameAt(frames, 100).state, "idle");
  assert.is(frameAt(frames, 100).limit, "estop");
  assert.is(frameAt(frames, 300).state, "stopped");
  assert.is(frameAt(frames, 600).state, "paused", "ready under the latch becomes paused at the reset");
  assert.is(frameAt(frames, 1000).state, "paused", "contact alone does not start it");
  assert.is(frameAt(frames, 1000).currentUa, 0);
  assert.is(frameAt(frames, 1200).currentUa, 2);
});

test("resume, contact and comfort sent while latched do not bring output back at the reset", () => {
  const frames = runFrames(byTime([
    START,
    CONTACT,
    ...probes(0, 2000, CHEEK),
    { t: 300, type: "pause" },
    { t: 400, type: "estop" },
    { t: 500, type: "resume" },
    { t: 520, type: "contact", on: false },
    { t: 540, type: "contact", on: true },
    { t: 560, type: "comfort", level: 9 },
    { t: 1000, type: "reset" },
  ]));
  for (const f of frames.filter((f) => f.t >= 400)) assert.is(f.currentUa, 0, `output at ${f.t}`);
  assert.is(frameAt(frames, 600).state, "stopped");
  assert.is(frameAt(frames, 1100).state, "paused");
});

test("a pause pressed before the first contact holds: touching the skin does not start output until resume", () => {
  const frames = runFrames(byTime([
    START,
    { t: 100, type: "pause" },
    { t: 200, type: "contact", on: true },
    ...probes(200, 1000, CHEEK),
    { t: 600, type: "resume" },
  ]));
  assert.is(frameAt(frames, 100).state, "paused");
  for (const f of frames.filter((f) => f.t >= 100 && f.t < 600)) {
    assert.is(f.currentUa, 0, `output at ${f.t}`);
  }
  assert.is(frameAt(frames, 600).currentUa, 2);
});

test("a reset with nothing latched changes nothing: a running session keeps its output", () => {
  const frames = runFrames(byTime([START, CONTACT, ...probes(0, 1000, CHEEK), { t: 500, type: "reset" }]));
  assert.is(frameAt(frames, 500).state, "running");
  assert.ok(frameAt(frames, 520).currentUa > frameAt(frames, 480).currentUa);
});

test("a contraindicated start under the latch is aborted, and its frames still say estop until the reset", () => {
  const frames = runFrames(byTime([
    { t: 0, type: "estop" },
    { ...START, t: 100, screening: { pacemaker: true } } as EngineEvent,
    { t: 400, type: "reset" },
  ]));
  assert.is(frameAt(frames, 200).state, "aborted");
  assert.is(frameAt(frames, 200).limit, "estop");
  assert.is(frameAt(frames, 400).state, "aborted");
  assert.is(frameAt(frames, 400).limit, "screening");
});

test("a positive screening answer means no output for the whole session", () => {
  const frames = runFrames(
    byTime([{ ...START, screening: { pacemaker: true } } as EngineEvent, CONTACT, ...probes(0, 2000, CHEEK)]),
  );
  assert.ok(frames.every((f) => f.currentUa === 0));
  assert.is(frameAt(frames, 1000).state, "aborted");
  assert.is(frameAt(frames, 1000).limit, "screening");
});

test("stimulation time is capped: the session ends when the limit is reached", () => {
  const events = byTime([START, CONTACT, ...probes(0, 4000, CHEEK, 20)]);
  const frames = runFrames(events, { maxStimulationMs: 1000 });
  const stimulated = frames.filter((f) => f.currentUa > 0).length * 20;
  assert.is(stimulated, 1000);
  const last = frames.at(-1)!;
  assert.is(last.state, "ended");
  assert.is(last.limit, "session-time");
});

test("the 20-minute limit cannot be raised by options", () => {
  const engine = createEngine({ maxStimulationMs: 10 * 60 * 60 * 1000 });
  engine.apply(START);
  engine.apply(CONTACT);
  let t = 0;
  for (; t <= 21 * 60 * 1000 && engine.state !== "ended"; t += 20) {
    if (t % 40 === 0) engine.apply({ t, type: "probe", points: [CHEEK], confidence: 0.9 });
    engine.frame(t);
  }
  assert.is(engine.state, "ended");
  assert.is(engine.stimulationMs, 20 * 60 * 1000);
});

test("two probe points: the most restrictive wins", () => {
  const both = (a: { u: number; v: number }, b: { u: number; v: number }) =>
    runFrames(
      byTime([START, CONTACT, ...probes(0, 4000, a).map((e) => ({ ...e, points: [a, b] }) as EngineEvent)]),
    );
  const cheekAndEye = both(CHEEK, EYE);
  assert.ok(cheekAndEye.every((f) => f.currentUa === 0));
  const cheekAndNeck = both(CHEEK, { u: 0.265, v: 1.05 });
  assert.is(frameAt(cheekAndNeck, 3800).currentUa, 150);
  assert.is(frameAt(cheekAndNeck, 3800).zone, "neck-left");
});

test("low confidence and an empty point list count as not located", () => {
  const low = runFrames(byTime([START, CONTACT, ...probes(0, 1000, CHEEK, 33, 0.59)]));
  assert.ok(low.every((f) => f.currentUa === 0));
  assert.is(frameAt(low, 500).limit, "low-confidence");
  const none = runFrames(
    byTime([START, CONTACT, ...probes(0, 1000, CHEEK).map((e) => ({ ...e, points: [] }) as EngineEvent)]),
  );
  assert.is(frameAt(none, 500).limit, "not-located");
});

test("polarity alternates unless the device declares net-DC and the operator enables it", () => {
  const off = runFrames(byTime([START, CONTACT, ...probes(0, 200, CHEEK)]));
  assert.ok(off.every((f) => f.polarity === "alternating"));
  const noDevice = runFrames(
    byTime([{ ...START, netDc: true } as EngineEvent, CONTACT, ...probes(0, 200, CHEEK)]),
  );
  assert.ok(noDevice.every((f) => f.polarity === "alternating"));
  const both = runFrames(byTime([
    { ...START, netDc: true } as EngineEvent,
    { t: 0, type: "device", maxCurrentUa: 500, netDc: true },
    CONTACT,
    ...probes(0, 200, CHEEK),
  ]));
  assert.is(frameAt(both, 100).polarity, "positive");
});

test("session states: idle → screening → ready → running ⇄ paused → ended", () => {
  const frames = runFrames(byTime([
    { t: 0, type: "begin" },
    { ...START, t: 60 },
    ...probes(0, 2000, CHEEK),
    { t: 200, type: "contact", on: true },
    { t: 500, type: "pause" },
    { t: 800, type: "resume" },
    { t: 1200, type: "end" },
  ]));
  assert.is(frameAt(frames, 40).state, "screening");
  assert.is(frameAt(frames, 40).currentUa, 0);
  assert.is(frameAt(frames, 100).state, "ready");
  assert.is(frameAt(frames, 300).state, "running");
  assert.is(frameAt(frames, 600).state, "paused");
  assert.is(frameAt(frames, 600).currentUa, 0);
  assert.is(frameAt(frames, 900).state, "running");
  assert.is(frameAt(frames, 1300).state, "ended");
  const idle = createEngine().frame(0);
  assert.is(idle.state, "idle");
  assert.is(idle.limit, "idle");
});

test("a guided routine allows output only in the step's target zone and reports guidance", () => {
  const frames = runFrames(
    byTime([{ ...START, routine: "express-lift" } as EngineEvent, CONTACT, ...probes(0, 2000, CHEEK)]),
    {
      routines,
    },
  );
  const f = frameAt(frames, 1000);
  assert.is(f.currentUa, 0);
  assert.is(f.limit, "off-target");
  assert.is(f.guidance?.stepId, "forehead-left");
  assert.is(f.guidance?.targetZone, "forehead");
  assert.is(f.guidance?.stepCount, 13);
});

test("gliding the stroke and holding at its end completes passes and moves to the next step", () => {
  const routine = routines.find((r) => r.id === "express-lift")!;
  const step = routine.steps[0]!;
  const events: EngineEvent[] = [{ ...START, routine: "express-lift" } as EngineEvent, CONTACT];
  let t = 0;
  for (let pass = 0; pass < step.passes; pass++) {
    for (let i = 0; i <= 50; i++, t += 20) {
      const s = i / 50;
      const p = {
        u: step.stroke.from.u + (step.stroke.to.u - step.stroke.from.u) * s,
        v: step.stroke.from.v + (step.stroke.to.v - step.stroke.from.v) * s,
      };
      events.push({ t, type: "probe", points: [p], confidence: 0.95 });
    }
    for (let h = 0; h < step.holdS * 1000 + 200; h += 20, t += 20) {
      events.push({ t, type: "probe", points: [step.stroke.to], confidence: 0.95 });
    }
  }
  events.push({ t, type: "probe", points: [routine.steps[1]!.stroke.from], confidence: 0.95 });
  const frames = runFrames(events, { routines, untilMs: t });
  const holding = frames.find((f) => (f.guidance?.holdRemainingS ?? 0) > 0);
  assert.ok(holding, "a frame shows a hold countdown");
  assert.ok(frames.some((f) => f.guidance?.passesDone === 1 && f.guidance.stepIndex === 0));
  assert.is(frames.at(-1)!.guidance?.stepIndex, 1);
  assert.is(frames.at(-1)!.guidance?.stepId, "forehead-right");
});

test("a start while a session runs is refused; the running session keeps its latch and its time", () => {
  const engine = createEngine();
  engine.apply(START);
  engine.apply({ t: 10, type: "estop" });
  assert.throws(
    () => engine.apply({ ...START, t: 20 }),
    /cannot start a session while one is stopped; end it first/,
  );
  assert.is(engine.frame(20).limit, "estop");
});

test("a device fault is latched across sessions until an operator reset", () => {
  const frames = runFrames(byTime([
    START,
    CONTACT,
    ...probes(0, 3000, CHEEK),
    { t: 500, type: "fault", source: "device:sim-1", reason: "overcurrent" },
    { t: 800, type: "end" },
    { ...START, t: 1000 },
    { t: 2000, type: "reset" },
    { t: 2200, type: "resume" },
  ]));
  assert.is(frameAt(frames, 520).limit, "device-fault");
  assert.is(frameAt(frames, 1500).currentUa, 0);
  assert.is(frameAt(frames, 1500).limit, "device-fault");
  assert.is(frameAt(frames, 1500).state, "stopped");
  assert.is(frameAt(frames, 2000).currentUa, 0, "like an estop, a cleared fault waits for Resume");
  assert.is(frameAt(frames, 2000).state, "paused");
  assert.is(frameAt(frames, 2200).currentUa, 2);
});

test("the frame that ends a session carries no current", () => {
  const frames = runFrames(byTime([START, CONTACT, ...probes(0, 2000, CHEEK, 20)]), {
    maxStimulationMs: 100,
  });
  for (const f of frames) if (f.state === "ended") assert.is(f.currentUa, 0);
  assert.ok(frames.some((f) => f.state === "ended"));
});

test("where treatment zones overlap, the lower level bounds the output", () => {
  // (0.21, 0.845) lies in both jawline-left (300 µA) and neck-left (150 µA).
  const frames = runFrames(byTime([START, CONTACT, ...probes(0, 4000, { u: 0.21, v: 0.845 })]));
  assert.is(frameAt(frames, 3980).currentUa, 150);
  assert.is(frameAt(frames, 3980).zone, "neck-left");
});

test("the engine refuses an unknown routine and time going backwards, naming the field", () => {
  const engine = createEngine();
  assert.throws(
    () => engine.apply({ ...START, routine: "nope" } as EngineEvent),
    /field "routine" names an unknown routine "nope"/,
  );
  engine.apply({ t: 100, type: "estop" });
  assert.throws(() => engine.apply({ t: 50, type: "reset" }), /field "t" must not go back in time/);
});

test("parseEvent names the bad field of a malformed event", () => {
  assert.throws(() => parseEvent({ t: 0, type: "warp" }, "line 4: "), /line 4: field "type" must be one of/);
  assert.throws(() => parseEvent({ t: -1, type: "end" }), /field "t" must be between 0/);
  assert.throws(
    () => parseEvent({ t: 1, type: "probe", points: [{ u: 0.1, v: "x" }], confidence: 1 }),
    /field "points\[0\]\.v" must be a finite number/,
  );
  assert.throws(
    () => parseEvent({ t: 1, type: "probe", points: [{ u: 0.1, v: 0.2 }], confidence: 2 }),
    /field "confidence" must be between 0 and 1/,
  );
  assert.throws(
    () => parseEvent({ t: 1, type: "start", routine: "free", comfort: 11, screening: {} }),
    /field "comfort"/,
  );
  assert.throws(
    () => parseEvent({ t: 1, type: "start", routine: "free", comfort: 5, screening: { pregnancy: "no" } }),
    /field "screening\.pregnancy" must be true or false/,
  );
  assert.throws(() => parseEvent({ t: 1, type: "contact" }), /field "on" must be true or false/);
  assert.throws(() => parseEvent("hello"), /event must be a JSON object/);
  assert.throws(
    () => parseEvent({ t: 3, type: "start", routine: "free", comfort: 5, screening: {}, operatorCapUA: 100 }),
    /field "operatorCapUA" is not a field of a "start" event/,
  );
  assert.throws(
    () => parseEvent({ t: 1, type: "comfort", level: 5.5 }),
    /field "level" must be a whole number/,
  );
  assert.throws(() => parseEvent({ t: 9e12, type: "end" }), /field "t" must be between 0 and 86400000/);
  assert.equal(parseEvent({ t: 3, type: "contact", on: true, impedanceOhm: 4000 }), {
    t: 3,
    type: "contact",
    on: true,
    impedanceOhm: 4000,
  });
});

test.run();
