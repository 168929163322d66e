/** Routines that finish (issue 9.8): each shipped routine runs to its end in the demo on a fake clock. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { estimateRoutineSeconds } from "../../core/routines/mod.ts";
import { defaultZoneMap } from "../../core/zones/mod.ts";
import { attachDemo } from "../../kiosk/session/mod.ts";
import { fakeRunner, routines } from "./_fixtures.ts";

for (const routine of routines) {
  test(`the demo runs "${routine.id}" to its end: every step, every pass, never a keep-out`, () => {
    // The kiosk's demo as the runtime attaches it (2 s glides), reporting contact itself.
    const { runner, clock, errors } = fakeRunner();
    const demo = attachDemo(runner, { glideMs: 2000, clock, onError: (e) => errors.push(e) });
    const frames: EngineFrame[] = [];
    runner.observe({ frame: (f) => void frames.push(f) });
    runner.start();
    runner.submit({ type: "start", routine: routine.id, comfort: 5, screening: {} });
    const t0 = runner.now();
    const boundMs = 2 * estimateRoutineSeconds(routine, defaultZoneMap.mmPerUv) * 1000;
    while (runner.lastFrame?.state !== "ended" && runner.now() - t0 < boundMs) clock.advance(1000);
    demo.dispose();
    const last = runner.lastFrame!;
    const seconds = (last.t - t0) / 1000;
    console.log(`  ${routine.id}: ended after ${seconds.toFixed(1)} s simulated (bound ${boundMs / 1000} s)`);
    assert.is(
      last.state,
      "ended",
      `${routine.id} still ${last.state} after ${seconds} s: ${JSON.stringify(last)}`,
    );
    assert.is(last.limit, "ended", "it ended because the routine was complete, not the 20-minute limit");
    const stepsSeen = new Set(frames.flatMap((f) => f.guidance ? [f.guidance.stepId] : []));
    assert.equal([...stepsSeen], routine.steps.map((s) => s.id), "every step was reached, in order");
    for (const s of routine.steps) {
      assert.ok(
        frames.some((f) => f.guidance?.stepId === s.id && f.currentUa > 0 && f.zone === s.zone),
        `step ${s.id} delivered output in ${s.zone}`,
      );
    }
    assert.not.ok(frames.some((f) => f.limit.startsWith("keep-out")), "the probe never met a keep-out");
    assert.equal(errors, []);
  });
}

test.run();
