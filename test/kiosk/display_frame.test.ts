/** The page's display frame: engine frames at 50 Hz reach the on-screen numbers at most 10 times a second, the last one always. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/types.ts";
import { DISPLAY_HZ, displayFrame, frame, sessionState } from "../../kiosk/ui/state.ts";

const at = (t: number, state: EngineFrame["state"] = "running"): EngineFrame =>
  ({ t, currentUa: t / 10, freqHz: 3, zone: null, state, limit: "slew" }) as EngineFrame;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("a burst of frames shows the first at once and the last after the display period; none in between", async () => {
  await sleep(1000 / DISPLAY_HZ + 20); // past any earlier update
  const seen: number[] = [];
  const stop = displayFrame.subscribe((f) => f && seen.push(f.t));
  seen.length = 0; // subscribe reports the current value first
  for (let t = 20; t <= 200; t += 20) frame.value = at(t);
  assert.equal(seen, [20]);
  await sleep(1000 / DISPLAY_HZ + 40);
  assert.equal(seen, [20, 200]);
  assert.is(displayFrame.value?.t, 200);
  stop();
});

test("a change of limit, state or zone shows at once, however recent the last update", async () => {
  await sleep(1000 / DISPLAY_HZ + 20);
  frame.value = at(20);
  frame.value = at(40); // same limit, state and zone: held back
  assert.is(displayFrame.value?.t, 20);
  frame.value = { ...at(60), limit: "estop", currentUa: 0 };
  assert.is(displayFrame.value?.limit, "estop");
  frame.value = { ...at(80), zone: "cheek-left" };
  assert.is(displayFrame.value?.zone, "cheek-left");
  await sleep(1000 / DISPLAY_HZ + 20);
});

test("sessionState changes only when the state does, not with every frame", async () => {
  let changes = 0;
  frame.value = at(0, "ready");
  const stop = sessionState.subscribe(() => void changes++);
  changes = 0;
  for (let t = 20; t <= 400; t += 20) frame.value = at(t, "running");
  assert.is(changes, 1);
  assert.is(sessionState.value, "running");
  frame.value = at(420, "paused");
  assert.is(changes, 2);
  stop();
  await sleep(1000 / DISPLAY_HZ + 20); // let the trailing display update run before the process ends
});

test.run();
