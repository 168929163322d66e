/** Routines still finish for a person with exclusions: the demo runs each shipped routine with a zone left out. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { estimateRoutineSeconds } from "../../core/routines/mod.ts";
import { defaultZoneMap } from "../../core/zones/mod.ts";
import { attachDemo } from "../../kiosk/session/mod.ts";
import { fakeRunner, routines } from "./_fixtures.ts";

for (const routine of routines) {
  // The zone of the routine's second step: every step there is left out (express-lift's first step too).
  const excluded = routine.steps[1]!.zone;
  test(`"${routine.id}" with ${excluded} excluded runs to its end in the demo, never stimulating ${excluded}`, () => {
    const { runner, clock, errors } = fakeRunner();
    const demo = attachDemo(runner, { glideMs: 2000, clock, onError: (e) => errors.push(e) });
    const frames: EngineFrame[] = [];
    runner.observe({ frame: (f) => void frames.push(f) });
    runner.start();
    runner.submit({
      type: "start",
      routine: routine.id,
      comfort: 8,
      screening: {},
      exclusions: [excluded],
      maxComfort: 3,
    });
    const t0 = runner.now();
    const boundMs = 2 * estimateRoutineSeconds(routine, defaultZoneMap.mmPerUv) * 1000;
    while (runner.lastFrame?.state !== "ended" && runner.now() - t0 < boundMs) clock.advance(1000);
    demo.dispose();
    const last = runner.lastFrame!;
    assert.equal([last.state, last.limit], ["ended", "ended"], "complete, not the time limit");
    const kept = routine.steps.filter((s) => s.zone !== excluded);
    const seen = new Set(frames.flatMap((f) => f.guidance ? [f.guidance.stepId] : []));
    assert.equal([...seen], kept.map((s) => s.id), "every other step ran, in order");
    assert.ok(frames.every((f) => f.guidance === undefined || f.guidance.stepCount === kept.length));
    assert.not.ok(frames.some((f) => f.zone === excluded && f.currentUa > 0), `no output in ${excluded}`);
    const top = Math.max(...frames.map((f) => f.currentUa));
    assert.ok(top > 0 && top <= 300 * 0.3, `the ceiling holds the level to 3/10 (highest ${top} µA)`);
    assert.equal(errors, []);
  });
}

test.run();
