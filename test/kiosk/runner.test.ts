import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineEvent, EngineFrame } from "../../core/engine/mod.ts";
import { createSessionRunner, type SinkReport } from "../../kiosk/session/mod.ts";
import { createNullSink } from "./_null_sink.ts";
import { createFakeClock } from "./_fake_clock.ts";
import { CHEEK, EYE, fakeRunner, runningOnCheek } from "./_fixtures.ts";

test("runner ticks the engine every 20 ms and sends each frame to the sink", () => {
  const sink = createNullSink();
  const { runner, clock } = fakeRunner(sink);
  runner.start();
  clock.advance(200);
  assert.is(sink.sent, 10);
  assert.is(sink.lastFrame?.t, 200);
  assert.is(runner.lastFrame, sink.lastFrame);
});

test("events are stamped with the runner clock, never a time the sender chose", () => {
  const { runner, clock } = fakeRunner();
  clock.advance(123);
  const input = { type: "estop", t: 99999 } as unknown as Parameters<typeof runner.submit>[0];
  const event = runner.submit(input);
  assert.is(event.t, 123);
});

test("a session on the cheek delivers output, and estop zeroes the very next frame", () => {
  const { runner, clock } = fakeRunner();
  runner.start();
  runningOnCheek(runner, clock, 2000);
  assert.ok(runner.lastFrame!.currentUa > 0, `current ${runner.lastFrame!.currentUa}`);
  runner.submit({ type: "estop" });
  const f = runner.tick();
  assert.is(f.currentUa, 0);
  assert.is(f.limit, "estop");
});

test("estop while output flows sends a zero frame to the sink at once, not at the next tick", () => {
  const sink = createNullSink();
  const { runner, clock } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 1500);
  clock.advance(7); // between two ticks
  const sent = sink.sent;
  runner.submit({ type: "estop" });
  assert.is(sink.sent, sent + 1, "one extra frame, sent within submit");
  assert.is(sink.lastFrame!.currentUa, 0);
  assert.is(sink.lastFrame!.limit, "estop");
  assert.ok(
    sink.lastFrame!.t > runner.lastFrame!.t - 1e-9 && sink.lastFrame!.t % 20 !== 0,
    "off the 20 ms grid",
  );
});

test("an event that cuts nothing (output already 0) adds no extra frame", () => {
  const sink = createNullSink();
  const { runner, clock } = fakeRunner(sink);
  runner.start();
  clock.advance(47);
  const sent = sink.sent;
  runner.submit({ type: "estop" });
  assert.is(sink.sent, sent);
});

test("a page that stops sending probe observations is a fault: output falls to 0 (stale tracking)", () => {
  const { runner, clock } = fakeRunner();
  runner.start();
  runningOnCheek(runner, clock, 1500);
  assert.ok(runner.lastFrame!.currentUa > 0);
  clock.advance(200);
  assert.is(runner.lastFrame!.currentUa, 0);
  assert.is(runner.lastFrame!.limit, "stale-tracking");
});

test("a probe in an eye keep-out zeroes output on the next frame", () => {
  const { runner, clock } = fakeRunner();
  runner.start();
  runningOnCheek(runner, clock, 1500);
  runner.submit({ type: "probe", points: [EYE], confidence: 0.95 });
  const f = runner.tick();
  assert.is(f.currentUa, 0);
  assert.match(f.limit, /^keep-out:/);
});

test("device reports from the sink reach the engine, and telemetry reaches observers", () => {
  let emit: (r: SinkReport) => void = () => {};
  const sink = { ...createNullSink(), subscribe: (l: (r: SinkReport) => void) => ((emit = l), () => {}) };
  const { runner, clock } = fakeRunner(sink);
  const seen: EngineEvent[] = [];
  const reports: SinkReport[] = [];
  runner.observe({ event: (e) => seen.push(e), report: (r) => reports.push(r) });
  runner.start();
  runningOnCheek(runner, clock, 1000);
  emit({ kind: "event", event: { type: "contact", on: false } });
  emit({
    kind: "telemetry",
    telemetry: { contact: false, impedanceOhm: Infinity, measuredUa: 0, batteryPct: 80, faults: [] },
  });
  assert.ok(seen.some((e) => e.type === "contact" && !e.on));
  assert.is(reports.length, 2);
  const f = runner.tick();
  assert.is(f.currentUa, 0);
  assert.is(f.limit, "no-contact");
});

test("a sink that throws on send becomes a device fault and output stays at 0", () => {
  let fail = false;
  const sink = {
    send() {
      if (fail) throw new Error("usb stalled");
    },
    status: () => ({}),
  };
  const { runner, clock, errors } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 1500);
  assert.ok(runner.lastFrame!.currentUa > 0);
  fail = true;
  runner.tick();
  fail = false;
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
  const f = runner.tick();
  assert.is(f.currentUa, 0);
  assert.is(f.limit, "device-fault");
  assert.ok(errors.length >= 1);
});

test("an engine that throws in frame() yields a zero frame, not a crash", () => {
  const clock = createFakeClock();
  const errors: unknown[] = [];
  const engine = {
    state: "running" as const,
    stimulationMs: 0,
    apply() {},
    frame(): EngineFrame {
      throw new Error("engine bug");
    },
  };
  const sink = createNullSink();
  const runner = createSessionRunner(engine, { clock, sink, spinMs: 0, onError: (e) => errors.push(e) });
  runner.start();
  clock.advance(60);
  assert.is(sink.sent, 3);
  assert.is(sink.lastFrame!.currentUa, 0);
  assert.is(errors.length, 3);
});

test("a bad event is refused with a TypeError naming the field and the runner keeps going", () => {
  const { runner, clock } = fakeRunner();
  runner.start();
  assert.throws(
    () => runner.submit({ type: "start", routine: "no-such", comfort: 5, screening: {} }),
    /routine/,
  );
  clock.advance(100);
  assert.is(runner.lastFrame!.t, 100);
});

test("an observer that throws does not stop the frame reaching other observers", () => {
  const { runner, clock, errors } = fakeRunner();
  let n = 0;
  runner.observe({
    frame() {
      throw new Error("observer bug");
    },
  });
  runner.observe({ frame: () => void n++ });
  runner.start();
  clock.advance(100);
  assert.is(n, 5);
  assert.is(errors.length, 5);
});

test("dispose sends a zero frame to the sink and stops ticking", async () => {
  const sink = createNullSink();
  const { runner, clock } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 1500);
  assert.ok(sink.lastFrame!.currentUa > 0);
  await runner.dispose();
  const sent = sink.sent;
  assert.is(sink.lastFrame!.currentUa, 0);
  clock.advance(200);
  assert.is(sink.sent, sent);
  assert.throws(() => runner.submit({ type: "estop" }), /disposed/);
});

test("an accepted estop or fault calls the sink's stop() at once, besides the zero frame", () => {
  const sink = Object.assign(createNullSink(), {
    stops: 0,
    stop() {
      sink.stops++;
    },
  });
  const { runner, clock } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 1000);
  assert.is(sink.stops, 0, "no stop while nothing asked for one");
  runner.submit({ type: "estop" });
  assert.is(sink.stops, 1);
  assert.is(sink.lastFrame?.currentUa, 0);
  runner.submit({ type: "fault", source: "device-host", reason: "overcurrent" }, "device");
  assert.is(sink.stops, 2);
  runner.submit({ type: "comfort", level: 3 });
  assert.is(sink.stops, 2, "other events do not stop the device");
});

test("the sink gets the engine's operator cap after a start and a cap event, and after no other event", async () => {
  const caps: number[] = [];
  const sink = Object.assign(createNullSink(), { setOperatorCap: (ua: number) => void caps.push(ua) });
  const { runner, clock } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 500);
  runner.submit({ type: "cap", operatorCapUa: 150 }, "operator");
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.9 });
  runner.submit({ type: "comfort", level: 3 });
  await Promise.resolve(); // a limits write is deferred: the event does not wait for the device
  assert.equal(caps, [500, 150], "the start's cap (none given: the hard ceiling), then the operator's");
  runner.submit({ type: "end" }, "operator");
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {}, operatorCapUa: 80 }, "operator");
  await Promise.resolve();
  assert.equal(caps, [500, 150, 80]);
});

test("a sink whose setOperatorCap() fails is reported and the session goes on", async () => {
  const sink = Object.assign(createNullSink(), {
    setOperatorCap: () => Promise.reject(new Error("limits not acknowledged")),
  });
  const { runner, clock, errors } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 1000);
  await new Promise((r) => setTimeout(r, 0));
  assert.ok(errors.some((e) => (e as Error).message === "limits not acknowledged"));
  assert.ok(runner.lastFrame!.currentUa > 0, "output still flows");
});

test("a sink whose stop() throws still gets the zero frame and the error is reported", () => {
  const sink = Object.assign(createNullSink(), {
    stop() {
      throw new Error("usb gone");
    },
  });
  const { runner, clock, errors } = fakeRunner(sink);
  runner.start();
  runningOnCheek(runner, clock, 1000);
  runner.submit({ type: "estop" });
  assert.is(sink.lastFrame?.currentUa, 0);
  assert.ok(errors.some((e) => (e as Error).message === "usb gone"));
});

test("an event an observer submits while observers hear another is applied after all of them heard that one", () => {
  const { runner, clock } = fakeRunner();
  runner.start();
  runningOnCheek(runner, clock, 1000);
  const heard: string[] = [];
  // The first observer answers a reset with a fault (as the records do when the reset's audit write fails).
  runner.observe({
    event: (e) =>
      void (e.type === "reset" && runner.submit({ type: "fault", source: "store", reason: "full" })),
  });
  runner.observe({ event: (e) => void heard.push(e.type) });
  runner.submit({ type: "estop" });
  runner.submit({ type: "reset" }, "operator");
  assert.equal(heard, ["estop", "reset", "fault"], "a log replaying these keeps the fault latched, as live");
  clock.advance(20);
  assert.is(runner.lastFrame!.limit, "device-fault");
});

test.run();
