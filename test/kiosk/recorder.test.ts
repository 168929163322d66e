import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRecorder } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { CHEEK, fakeRunner, runningOnCheek } from "./_fixtures.ts";

function setup() {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rec-" }));
  const { runner, clock } = fakeRunner();
  let wall = 1_700_000_000_000;
  let ids = 0;
  const recorder = createRecorder(store, {
    wallClock: () => wall,
    newId: () => `sess-${++ids}`,
    onError: (e) => {
      throw e;
    },
  });
  runner.observe(recorder);
  runner.observe({ frame: () => void (wall += 20) });
  runner.start();
  return { store, runner, clock, recorder };
}

test("a session is recorded with its screening, consent, stimulation time, max current and end reason", () => {
  const { store, runner, clock, recorder } = setup();
  // On the fake clock every frame is exactly 20 ms after the last: each frame with output books 20 ms, except
  // the last one, which the end cut at once (the runner's immediate zero frame), so it ran for ~0 ms.
  let outputFrames = 0;
  let maxUa = 0;
  runner.observe({
    frame: (f) => {
      if (f.currentUa > 0) outputFrames++;
      maxUa = Math.max(maxUa, f.currentUa);
    },
  });
  runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} }, {
    source: "page",
    consent: { given: true, by: "Ana" },
  });
  runningOnCheek(runner, clock, 3000, { started: true });
  runner.submit({ type: "end" });
  clock.advance(40);
  const s = store.session("sess-1")!;
  assert.is(s.routine, "free");
  assert.is(s.endReason, "user-end");
  assert.ok(outputFrames > 100, `output flowed for ${outputFrames} frames`);
  assert.is(s.stimulationMs, (outputFrames - 1) * 20);
  assert.is(s.maxCurrentUa, maxUa);
  assert.equal(store.screenings("sess-1")[0]?.consentBy, "Ana");
  assert.is(recorder.sessionId, null);
});

test("consent travels with its start: a refused start's consent is not recorded with the next start", () => {
  const { store, runner, clock } = setup();
  const start = { type: "start", routine: "free", comfort: 5, screening: {} } as const;
  runner.submit(start, { source: "page", consent: { given: true, by: "Ana" } });
  runner.submit({ type: "end" });
  clock.advance(40);
  assert.throws(
    () =>
      runner.submit({ ...start, routine: "no-such" }, { source: "page", consent: { given: true, by: "Bo" } }),
    /routine/,
  );
  runner.submit(start, "operator"); // no consent came with this one
  clock.advance(40);
  assert.equal(store.screenings("sess-1").map((s) => [s.consent, s.consentBy]), [[true, "Ana"]]);
  assert.equal(store.screenings("sess-2").map((s) => [s.consent, s.consentBy]), [[false, null]]);
});

test("an estop's reason travels with it into its audit entry, and only with it", () => {
  const { store, runner, clock } = setup();
  runningOnCheek(runner, clock, 200);
  runner.submit({ type: "estop" }, { source: "runner", reason: "page disconnected" });
  runner.submit({ type: "reset" }, "operator");
  runner.submit({ type: "estop" }, "page");
  const log = store.auditLog().reverse();
  assert.equal(log.map((e) => [e.action, e.actor, e.detail]), [
    ["estop", "runner", { reason: "page disconnected" }],
    ["reset", "operator", {}],
    ["estop", "page", {}],
  ]);
});

test("the recorded stimulation time is the engine's: a frame counts until the next one, at most its 100 ms validity", () => {
  const { store, runner, clock } = setup();
  const frames: { t: number; ua: number }[] = [];
  runner.observe({ frame: (f) => void frames.push({ t: f.t, ua: f.currentUa }) });
  runningOnCheek(runner, clock, 1000);
  // The event loop is held up for 300 ms while output flows (a GC pause): the device stopped 100 ms after the
  // last frame it had, whatever the gap until the next one.
  clock.block(300);
  runningOnCheek(runner, clock, 400, { started: true });
  runner.submit({ type: "end" });
  clock.advance(40);
  // Independent model of rule 7's count: each frame with output delivers until the next frame, at most 100 ms.
  let delivered = 0;
  for (let i = 1; i < frames.length; i++) {
    if (frames[i - 1]!.ua > 0) delivered += Math.min(frames[i]!.t - frames[i - 1]!.t, 100);
  }
  const gap = frames.findIndex((f, i) => i > 0 && f.t - frames[i - 1]!.t > 100);
  assert.ok(gap > 0 && frames[gap - 1]!.ua > 0, "output was flowing when the loop stalled");
  assert.is(store.session("sess-1")!.stimulationMs, Math.round(delivered));
});

test("a contraindicated start is recorded as aborted by screening", () => {
  const { store, runner, clock } = setup();
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: { pacemaker: true } });
  clock.advance(40);
  assert.is(store.session("sess-1")?.endReason, "aborted:screening");
  assert.is(store.screenings("sess-1")[0]?.contraindicated, true);
  assert.is(store.session("sess-1")?.stimulationMs, 0);
});

test("estop and reset go to the audit log with the session id; an operator cap is audited too", () => {
  const { store, runner, clock } = setup();
  runner.submit(
    { type: "start", routine: "free", comfort: 5, screening: {}, operatorCapUa: 200 },
    "operator",
  );
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.9 });
  runner.submit({ type: "estop" });
  clock.advance(20);
  runner.submit({ type: "reset" }, "operator");
  runner.submit({ type: "cap", operatorCapUa: 120 }, "operator");
  const log = store.auditLog().reverse();
  assert.equal(log.map((e) => e.action), ["cap", "estop", "reset", "cap"]);
  assert.equal(log.map((e) => e.actor), ["operator", "page", "operator", "operator"]);
  assert.equal(log[3]!.detail, { operatorCapUa: 120 }, "a mid-session cap is audited with its value");
  assert.ok(log.every((e) => e.sessionId === "sess-1"));
});

test("running totals are checkpointed while the session runs, so a crash loses at most a second", () => {
  const { store, runner, clock } = setup();
  runningOnCheek(runner, clock, 2500);
  const s = store.session("sess-1")!;
  assert.is(s.endedAt, null);
  assert.ok(s.stimulationMs >= 1000, `checkpointed ${s.stimulationMs}`);
});

test("telemetry is summarised into the store when the session ends", () => {
  const { store, runner, clock, recorder } = setup();
  runningOnCheek(runner, clock, 500);
  for (const [contact, ohm, ua] of [[true, 4000, 50], [true, 5000, 60], [false, Infinity, 0]] as const) {
    recorder.report!({
      kind: "telemetry",
      telemetry: { contact, impedanceOhm: ohm, measuredUa: ua, batteryPct: 77, faults: [] },
    });
  }
  recorder.close("shutdown");
  const t = store.telemetry("sess-1")!;
  assert.equal([t.samples, t.contactSamples, t.meanImpedanceOhm, t.maxMeasuredUa, t.minBatteryPct], [
    3,
    2,
    4500,
    60,
    77,
  ]);
  assert.is(store.session("sess-1")?.endReason, "shutdown");
});

test("a start over a running session is refused and the running session's record stays open", () => {
  const { store, runner, clock } = setup();
  runningOnCheek(runner, clock, 500);
  assert.throws(
    () => runner.submit({ type: "start", routine: "free", comfort: 3, screening: {} }),
    /cannot start a session while one is running/,
  );
  clock.advance(40);
  assert.is(store.session("sess-1")?.endedAt, null);
  assert.is(store.session("sess-2"), null);
});

test("a start whose screening cannot be recorded is reported so the session can be ended before any output", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rec-" }));
  const { runner, clock } = fakeRunner();
  const broken = {
    ...store,
    recordScreening: () => {
      throw new Error("disk full");
    },
  };
  const recorder = createRecorder(broken, {
    onError: () => {},
    onStartNotRecorded: () => void runner.submit({ type: "end" }, "runner"),
  });
  runner.observe(recorder);
  runner.start();
  runner.submit({ type: "contact", on: true }, "device");
  runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} });
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
  await Promise.resolve();
  clock.advance(20);
  assert.is(runner.lastFrame?.state, "ended");
  assert.is(runner.lastFrame?.currentUa, 0);
});

test("a flood of estops while one is latched is one audit row: the reset's row counts the rest, output stays 0", () => {
  const { store, runner, clock } = setup();
  runningOnCheek(runner, clock, 200);
  const frames: number[] = [];
  runner.observe({ frame: (f) => void frames.push(f.currentUa) });
  for (let i = 0; i < 500; i++) runner.submit({ type: "estop" }, "page");
  clock.advance(200);
  runner.submit({ type: "reset" }, "operator");
  const log = store.auditLog().reverse();
  assert.equal(log.map((e) => [e.action, e.detail]), [
    ["estop", {}],
    ["reset", { estopsWhileLatched: 499 }],
  ]);
  assert.ok(frames.length > 5 && frames.every((ua) => ua === 0), "every estop still applied: output 0");
});

test.run();
