/** A device fault in the kiosk's loop (device host → runner → engine) writes one STOP to the device, not two. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FrameParser, HostType, simBinaryDriver } from "../../plugins/sim-binary/mod.ts";
import { simKiosk } from "./_kiosk_rig.ts";

/** Real engine, runner and device host on a simulated SIM-1, on a manual clock; every write's frame types. */
function kiosk() {
  const { clock, device, host, runner, start, run } = simKiosk(simBinaryDriver);
  const writes: number[][] = [];
  const transferOut = device.transferOut.bind(device);
  device.transferOut = (ep, data) => {
    const types = [...new FrameParser().push(new Uint8Array(data as Uint8Array))]
      .flatMap((item) => item.ok ? [item.frame.type] : []);
    writes.push(types);
    return transferOut(ep, data);
  };
  let silent = false;
  const transferIn = device.transferIn.bind(device);
  // A device that goes quiet: reads come back empty (the host's read loop waits 10 ms and tries again).
  device.transferIn = (ep, length) =>
    silent
      ? Promise.resolve({ status: "ok", data: new DataView(new ArrayBuffer(0)) })
      : transferIn(ep, length);
  start();
  const stops = (from: number) => writes.slice(from).flat().filter((t) => t === HostType.STOP).length;
  return { clock, device, host, runner, writes, run, stops, silence: () => (silent = true) };
}

test("telemetry that stops is one fault and one STOP: the runner's halt is the host's stop, not a second one", async () => {
  const k = kiosk();
  await k.run(1500);
  assert.ok(k.runner.lastFrame!.currentUa > 0, `output flows: ${k.runner.lastFrame!.currentUa} µA`);
  const before = k.writes.length;
  k.silence();
  await k.run(1000);
  assert.match(k.host.status().lastFault?.reason ?? "", /^telemetry-timeout/);
  assert.is(k.runner.lastFrame!.limit, "device-fault", "the engine latched the fault");
  assert.is(k.host.status().state, "fault", "the host is halted until an operator reset");
  assert.not.ok(k.device.opened, "and has let go of the device");
  assert.is(k.stops(before), 1, `STOP writes after the silence: ${JSON.stringify(k.writes.slice(before))}`);
});

test("an overcurrent the host latches itself is one STOP too (the runner's stop() finds it halted)", async () => {
  const k = kiosk();
  await k.run(1500);
  const before = k.writes.length;
  k.device.firmware.injectOvercurrent(80);
  await k.run(1000);
  assert.is(k.runner.lastFrame!.limit, "device-fault");
  assert.is(k.stops(before), 1, `STOP writes: ${JSON.stringify(k.writes.slice(before))}`);
});

test.run();
