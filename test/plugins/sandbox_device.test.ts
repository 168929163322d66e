/** End to end: the device host driving a simulated device through a sandboxed driver; the driver's process dies → output 0. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateManifest } from "../../core/manifest/mod.ts";
import { startSandboxedDriver } from "../../kiosk/plugins/mod.ts";
import { inspectSimOutput } from "../../plugins/sim-binary/mod.ts";
import { simHost, startDriving } from "../device/_host_rig.ts";

async function rig() {
  const root = new URL("../../plugins/sim-binary/", import.meta.url);
  const manifest = validateManifest(JSON.parse(await Deno.readTextFile(new URL("plugin.json", root))));
  const driver = await startSandboxedDriver(manifest, new URL(manifest.entry, root), {
    trustedInspector: inspectSimOutput,
    callTimeoutMs: 3000, // about the wiring, not the machine's load
  });
  const { clock, device, host } = simHost(driver);
  // Virtual time for host and firmware; each frame is given real time to cross the sandbox before
  // virtual time moves on, so a loaded machine cannot make frames look late.
  const { faults, drive } = startDriving(host, clock, async (sendFrame) => {
    const before = device.firmware.counters.outputs;
    sendFrame();
    for (let i = 0; i < 500; i++) {
      await new Promise((r) => setTimeout(r, 1));
      if (host.status().state !== "connected" || device.firmware.counters.outputs !== before) break;
    }
  });
  return { driver, device, host, faults, drive };
}

test("a sandboxed driver drives the device through the device host", async () => {
  const r = await rig();
  await r.drive(300, 0);
  assert.is(r.host.status().state, "connected");
  await r.drive(1500, 40);
  assert.equal(r.faults, []);
  assert.ok(
    Math.abs(r.device.firmware.state.outputUa - 40) < 1,
    `output ${r.device.firmware.state.outputUa}`,
  );
  await r.host.dispose();
  await r.driver.dispose();
});

test("when the driver's process is killed the device host faults and the standby stop zeroes the device", async () => {
  const r = await rig();
  await r.drive(300, 0);
  await r.drive(1500, 40);
  assert.ok(r.device.firmware.state.outputUa > 30);
  const stopsBefore = r.device.firmware.counters.stops;
  Deno.kill(r.driver.pid!, "SIGKILL"); // a crash the plugin did not choose
  await r.driver.process.exited;
  await new Promise((resolve) => setTimeout(resolve, 30)); // the exit handler waits ≤ 20 ms for stderr
  assert.is(r.driver.state, "failed");
  assert.match(
    r.faults.find((f) => f.startsWith("driver failed:")) ?? "",
    /process exited unexpectedly with signal SIGKILL/,
  );
  assert.is(r.host.status().state, "fault");
  assert.ok(r.device.firmware.counters.stops > stopsBefore, "the standby stop reached the device");
  assert.is(r.device.firmware.state.outputUa, 0);
  await r.drive(200, 40);
  assert.is(r.device.firmware.state.outputUa, 0, "frames after the failure never reach the device");
  await r.host.dispose();
});

test.run();
