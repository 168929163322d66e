/** Device host with drivers that misbehave: read-back above the asked current, a failed plugin driver (LoadedDriver). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { DriverDefinition } from "@glidepath/sdk";
import { DeviceHost } from "../../kiosk/device/mod.ts";
import { guardInProcessDriver } from "../../kiosk/plugins/mod.ts";
import { createSimBinaryCodec, simBinaryDriver } from "../../plugins/sim-binary/mod.ts";
import { simHost, startDriving } from "./_host_rig.ts";

function rig(driver: ConstructorParameters<typeof DeviceHost>[0]) {
  const { clock, device, host } = simHost(driver);
  return { clock, device, host, ...startDriving(host, clock) };
}

// A driver whose codec quietly doubles the current: its own inspectOutput gives it away.
const doubling: DriverDefinition = {
  ...simBinaryDriver,
  id: "test.doubling",
  createCodec() {
    const codec = createSimBinaryCodec();
    return {
      hello: () => codec.hello(),
      limits: (l) => codec.limits(l),
      stop: () => codec.stop(),
      decode: (b) => codec.decode(b),
      output: (c) => codec.output({ ...c, currentUa: c.currentUa * 2 }),
    };
  },
};

test("a plain definition is guarded like a plugin driver: bytes above the asked current never reach the device", async () => {
  const r = rig(doubling);
  await r.drive(100, 0);
  const before = r.device.firmware.counters.outputs;
  await r.drive(100, 30);
  assert.is(r.faults[0], "driver failed: output() encoded 60 µA when the engine asked for 30 µA");
  assert.is(r.device.firmware.counters.outputs, before, "no 60 µA frame was written");
  assert.is(r.host.status().state, "fault");
  assert.is(r.device.firmware.state.outputUa, 0);
  assert.ok(r.device.firmware.counters.stops >= 1);
});

test("the plugin host's in-process LoadedDriver works, and its failure is a latched fault with a stop", async () => {
  const loaded = guardInProcessDriver(doubling);
  const r = rig(loaded);
  await r.drive(200, 0);
  assert.is(r.host.status().state, "connected");
  await r.drive(100, 30);
  assert.is(loaded.state, "failed");
  assert.ok(r.faults.some((f) => f.startsWith("driver failed: ")), r.faults.join(" | "));
  assert.is(r.host.status().state, "fault");
  assert.is(r.device.firmware.state.outputUa, 0);
  assert.ok(r.device.firmware.counters.stops >= 1, "the standby stop reached the device");
});

test("a well-behaved LoadedDriver drives the device like the plain definition", async () => {
  const r = rig(guardInProcessDriver(simBinaryDriver));
  await r.drive(300, 0);
  await r.drive(1000, 40);
  assert.equal(r.faults, []);
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 40) < 1e-6);
});

test.run();
