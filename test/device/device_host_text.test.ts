/** Device host with the GP-TXT driver: a damaged or stale line is counted, a device restart is a reconnect. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DeviceHost } from "../../kiosk/device/mod.ts";
import { ManualClock } from "../../plugins/sim-binary/mod.ts";
import { driver as textDriver, encodeLine } from "../../plugins/sim-text/mod.ts";
import { createSimulatedDevice } from "../../plugins/sim-text/simulator.ts";
import { startDriving } from "./_host_rig.ts";

function rig() {
  const clock = new ManualClock();
  const sim = createSimulatedDevice();
  sim.setContact(true, 5000);
  const host = new DeviceHost(textDriver, { getDevices: () => Promise.resolve([sim.device]) }, { clock });
  // Host and firmware on the same virtual time, 20 ms per engine frame.
  const { faults, drive } = startDriving(host, clock, async (sendFrame) => {
    sendFrame();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    sim.advance(20);
  });
  return { clock, sim, host, faults, drive };
}

test("a damaged line (NAK bad-line) and a stale line (NAK stale-seq) are counted; the session goes on", async () => {
  const r = rig();
  await r.drive(300, 0);
  assert.is(r.host.status().state, "connected");
  await r.drive(400, 30);
  r.sim.firmware.receive(new TextEncoder().encode("7 OUT 30.0 3 ALT 100*00\n")); // checksum wrong
  await r.drive(60, 30);
  r.sim.firmware.receive(encodeLine(0, "OUT", ["30.0", 3, "ALT", 100])); // an old sequence number
  await r.drive(400, 30);
  assert.equal(r.faults, []);
  assert.is(r.host.status().naks, 2);
  assert.is(r.host.status().state, "connected");
  assert.ok(Math.abs(r.sim.outputUa - 30) < 1, `output ${r.sim.outputUa}`);
});

test("a device that restarts its session (NAK no-limits) is handshaken again and gets its limits back", async () => {
  const r = rig();
  await r.drive(300, 0);
  await r.drive(400, 30);
  r.sim.firmware.receive(encodeLine(200, "HELLO")); // the session restarts: limits gone
  await r.drive(800, 30);
  assert.equal(r.faults.filter((f) => !f.startsWith("disconnected: ")), []);
  assert.ok(r.faults.some((f) => /lost its limits/.test(f)), r.faults.join(" | "));
  assert.is(r.host.status().state, "connected");
  assert.is(r.host.status().reconnects, 1);
  assert.ok(Math.abs(r.sim.outputUa - 30) < 1, `output ${r.sim.outputUa}`);
});

test.run();
