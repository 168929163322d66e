/** The current gauges' full scale: the device's maximum from /api/health, never above the hard ceiling. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { HARD_CEILING_UA } from "../../core/engine/envelope.ts";
import { readDeviceMax, watchDeviceMax } from "../../kiosk/ui/device_max.ts";
import { deviceMaxUa, gaugeMaxUa, gaugeScaleUa, type Hello, hello } from "../../kiosk/ui/state.ts";

test("the scale is the device's maximum, capped at the hard ceiling, the ceiling while unknown", () => {
  assert.is(gaugeScaleUa(300), 300);
  assert.is(gaugeScaleUa(120.5), 120.5);
  assert.is(gaugeScaleUa(800), HARD_CEILING_UA);
  assert.is(gaugeScaleUa(null), HARD_CEILING_UA);
  for (const nonsense of [0, -5, NaN, Infinity]) assert.is(gaugeScaleUa(nonsense), HARD_CEILING_UA);
});

test("the device's maximum is read from /api/health's device, null when it names none", () => {
  assert.is(readDeviceMax({ device: { kind: "device-host", maxCurrentUa: 300 } }), 300);
  assert.is(readDeviceMax({ device: { kind: "device-host", maxCurrentUa: null } }), null);
  assert.is(readDeviceMax({ device: { kind: "none", connected: false } }), null);
  assert.is(readDeviceMax({ device: { maxCurrentUa: "300" } }), null);
  assert.is(readDeviceMax(null), null);
  assert.is(readDeviceMax("oops"), null);
});

test("each hello asks health again and the gauges follow the device (a kiosk restarted with another one)", async () => {
  const answers = [{ device: { maxCurrentUa: 300 } }, { device: { maxCurrentUa: 200 } }];
  let asked = 0;
  const stop = watchDeviceMax(() => Promise.resolve(answers[asked++]));
  try {
    assert.is(asked, 0, "no hello yet");
    assert.is(gaugeMaxUa.value, HARD_CEILING_UA);
    const greeting: Hello = { version: "t", demo: false, simulated: true, routines: [] };
    hello.value = { ...greeting };
    await Promise.resolve();
    await Promise.resolve();
    assert.is(deviceMaxUa.value, 300);
    assert.is(gaugeMaxUa.value, 300);
    hello.value = { ...greeting };
    await Promise.resolve();
    await Promise.resolve();
    assert.is(asked, 2);
    assert.is(gaugeMaxUa.value, 200);
  } finally {
    stop();
  }
});

test.run();
