import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { attachDemo, createDemoProbe } from "../../kiosk/session/mod.ts";
import { fakeRunner } from "./_fixtures.ts";
import { engineFrame, engineGuidance } from "../core/_engine_helpers.ts";

test("the demo probe glides express-lift: passes complete, steps advance, output flows in the target zone", () => {
  const { runner, clock } = fakeRunner();
  attachDemo(runner, { glideMs: 1500, clock });
  const frames: EngineFrame[] = [];
  runner.observe({ frame: (f) => void frames.push(f) });
  runner.start();
  runner.submit({ type: "start", routine: "express-lift", comfort: 5, screening: {} });
  clock.advance(90_000);
  const steps = new Set(frames.map((f) => f.guidance?.stepIndex));
  assert.ok(steps.size >= 3, `steps reached: ${[...steps].join(",")}`);
  const onTarget = frames.filter((f) => f.currentUa > 0 && f.zone === f.guidance?.targetZone).length;
  assert.ok(onTarget > frames.length / 2, `${onTarget} of ${frames.length} frames deliver output on target`);
  assert.not.ok(frames.some((f) => f.limit.startsWith("keep-out")), "the demo never touches a keep-out zone");
  assert.not.ok(frames.some((f) => f.limit === "stale-tracking" && f.state === "running" && f.t > 100));
});

test("the demo submits as an input on its own pace, never from inside the runner's frame callbacks", () => {
  const { runner, clock } = fakeRunner();
  // The runner as the demo sees it: every frame callback it registers is marked, and so is every submit in one.
  let inFrameCallback = false;
  let submitsInFrameCallback = 0;
  let submits = 0;
  const seen: typeof runner = Object.create(runner, {
    observe: {
      value: (o: Parameters<typeof runner.observe>[0]) =>
        runner.observe({
          ...o,
          frame: o.frame && ((f, info) => {
            inFrameCallback = true;
            try {
              o.frame!(f, info);
            } finally {
              inFrameCallback = false;
            }
          }),
        }),
    },
    submit: {
      value: (...args: Parameters<typeof runner.submit>) => {
        submits++;
        if (inFrameCallback) submitsInFrameCallback++;
        return runner.submit(...args);
      },
    },
  });
  const demo = attachDemo(seen, { glideMs: 1500, clock });
  runner.start();
  runner.submit({ type: "start", routine: "express-lift", comfort: 5, screening: {} });
  clock.advance(5000);
  assert.ok(submits > 100, `the demo fed the runner ${submits} times`);
  assert.is(submitsInFrameCallback, 0);
  assert.ok(runner.lastFrame!.currentUa > 0, "and output flows from its observations");
  demo.dispose();
  const after = submits;
  clock.advance(1000);
  assert.is(submits, after, "nothing after dispose");
});

test("the demo probe follows a stroke from its start to its end and holds there", () => {
  const probe = createDemoProbe({ glideMs: 1000, settleMs: 200 });
  const guidance = engineGuidance({ passes: 2 });
  const frame = (t: number, g = guidance) =>
    engineFrame({ t, currentUa: 10, zone: "cheek-left", guidance: g });
  assert.equal(probe.step(frame(0)).points[0], { u: 0.3, v: 0.6 });
  probe.step(frame(200));
  const mid = probe.step(frame(700)).points[0]!;
  assert.ok(Math.abs(mid.u - 0.25) < 1e-9 && Math.abs(mid.v - 0.55) < 1e-9, `midway ${JSON.stringify(mid)}`);
  probe.step(frame(1200));
  assert.is(probe.phase, "hold");
  assert.equal(probe.position, { u: 0.2, v: 0.5 });
  // The engine counts the pass: the probe goes back to the stroke start for the next one.
  probe.step(frame(1300, { ...guidance, passesDone: 1 }));
  assert.is(probe.phase, "settle");
  assert.equal(probe.position, { u: 0.3, v: 0.6 });
});

test("without guidance the probe rests and reports no motion", () => {
  const probe = createDemoProbe();
  const idle: EngineFrame = {
    t: 0,
    currentUa: 0,
    freqHz: 0,
    polarity: "alternating",
    zone: null,
    state: "idle",
    limit: "idle",
    validForMs: 100,
  };
  assert.is(probe.step(idle).points.length, 1);
  assert.is(probe.phase, "rest");
});

test("the virtual probe sends nothing while the page sent a probe observation in the last 500 ms", () => {
  const { runner, clock } = fakeRunner();
  attachDemo(runner, { glideMs: 1500, clock });
  const demoProbes: number[] = [];
  runner.observe({
    event: (e, { source }) => void (e.type === "probe" && source === "demo" && demoProbes.push(e.t)),
  });
  runner.start();
  runner.submit({ type: "start", routine: "express-lift", comfort: 5, screening: {} });
  clock.advance(200);
  assert.ok(demoProbes.length > 0, "the demo drives the engine on its own");
  // The page's photo demo runs through the real pipeline for 1 s.
  for (let t = 0; t < 1000; t += 40) {
    runner.submit({ type: "probe", points: [{ u: 0.277, v: 0.532 }], confidence: 0.9 }, "page");
    clock.advance(40);
  }
  const pageEnd = runner.now();
  const during = demoProbes.filter((t) => t > 200 && t <= pageEnd + 499);
  assert.equal(during, [], "the virtual probe yields to the page");
  clock.advance(1000);
  assert.ok(demoProbes.some((t) => t >= pageEnd + 500), "and takes over again 500 ms after the page stopped");
});

test.run();
