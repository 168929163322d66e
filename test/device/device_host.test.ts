/** Device host on fake time with a simulated SIM-1: handshake, limits, output, cross-checks, reconnects, status. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DeviceHost, type UsbRegistryLike } from "../../kiosk/device/mod.ts";
import {
  createSimBinaryCodec,
  ManualClock,
  simBinaryDriver,
  SimUsb,
  SimUsbDevice,
} from "../../plugins/sim-binary/mod.ts";
import { frame, hostRig, statusAfter } from "./_host_rig.ts";

test("connects: hello/info, limits = min(device max, 500 µA ceiling, operator cap), device event, status", async () => {
  const r = hostRig({ firmware: { maxCurrentUa: 800, firmware: "3.2.1" }, host: { operatorCapUa: 300 } });
  assert.is(r.host.status().state, "disconnected");
  r.host.start();
  await r.clock.run(60);
  const s = r.host.status();
  assert.is(s.state, "connected");
  assert.is(s.model, "GP-SIM-1");
  assert.is(s.firmware, "3.2.1");
  assert.is(s.maxCurrentUa, 800);
  assert.is(s.limitUa, 300);
  assert.equal(r.device.firmware.state.limits, { maxCurrentUa: 300, maxSlewUaPerS: 100 });
  assert.equal(r.events[0], { type: "device", maxCurrentUa: 300, netDc: false, at: 0 });
  assert.ok(s.lastTelemetryAgeMs !== null && s.lastTelemetryAgeMs <= 50);
});

test("the hard ceiling applies even when the device and operator allow more", async () => {
  const r = hostRig({ firmware: { maxCurrentUa: 2000 } });
  r.host.start();
  await r.clock.run(20);
  assert.is(r.host.status().limitUa, 500);
  assert.throws(() => new DeviceHost(simBinaryDriver, r.usb, { operatorCapUa: 600 }), /operatorCapUa: 600/);
});

test("opens only devices matching the driver's filters", async () => {
  let opened = 0;
  const stranger = {
    vendorId: 0x1234,
    productId: 0x0001,
    deviceClass: 0,
    opened: false,
    open: () => (opened++, Promise.resolve()),
  };
  const usb = { getDevices: () => Promise.resolve([stranger]) } as unknown as UsbRegistryLike;
  const clock = new ManualClock();
  const host = new DeviceHost(simBinaryDriver, usb, { clock });
  host.start();
  await clock.run(2000);
  assert.is(opened, 0);
  assert.is(host.status().state, "disconnected");
  await host.dispose();
});

test("frames become OUTPUT on the device; nothing is sent before the handshake is done", async () => {
  const r = hostRig();
  r.host.send(frame(0, 50));
  r.host.start();
  r.host.send(frame(0, 50));
  await r.clock.run(30);
  assert.is(r.device.firmware.counters.outputs, 0);
  assert.is(r.device.firmware.counters.naks["no-limits"], undefined);
  await r.drive(1000, 50);
  assert.ok(r.device.firmware.counters.outputs >= 45);
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 50) < 1e-6);
  assert.is(r.faults().length, 0);
});

test("contact events are sent on change only, with impedance when there is one", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(300, 0);
  r.device.firmware.skin.pin(false);
  await r.drive(300, 0);
  r.device.firmware.skin.pin(true, 6000);
  await r.drive(300, 0);
  const contacts = r.events.filter((e) => e.type === "contact").map(({ at: _at, ...e }) => e);
  assert.equal(contacts, [
    { type: "contact", on: true, impedanceOhm: 4000 },
    { type: "contact", on: false },
    { type: "contact", on: true, impedanceOhm: 6000 },
  ]);
});

test("measured current above commanded beyond max(10 µA, 10 %) → fault event, STOP, halted until clearFault", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(2000, 100);
  assert.is(r.faults().length, 0);
  r.device.firmware.injectOvercurrent(12); // 112 > 100 + 10
  await r.drive(200, 100);
  const faults = r.faults();
  assert.is(faults.length, 1);
  assert.match(faults[0]!.reason, /^overcurrent: measured 11\d\.\d µA, commanded at most 100\.0 µA/);
  assert.is(faults[0]!.source, "device:glidepath.sim-binary");
  assert.is(r.host.status().state, "fault");
  assert.is(r.device.firmware.state.outputUa, 0);
  const outputs = r.device.firmware.counters.outputs;
  await r.drive(200, 100);
  assert.is(r.device.firmware.counters.outputs, outputs, "no frames forwarded while latched");
  r.device.firmware.injectOvercurrent(0);
  r.host.clearFault(); // operator reset: connects again, limits written, then frames flow
  await r.drive(200, 100);
  assert.is(r.host.status().state, "connected");
  assert.ok(r.device.firmware.counters.outputs > outputs);
});

test("measured current within tolerance is no fault", async () => {
  const r = hostRig();
  r.host.start();
  r.device.firmware.injectOvercurrent(9);
  await r.drive(2000, 40);
  assert.is(r.faults().length, 0);
});

test("no telemetry for more than 200 ms → fault (telemetry-timeout) and STOP; it clears when telemetry resumes", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(500, 20);
  r.device.setStall({ in: true });
  const stalledAt = r.clock.now();
  await r.drive(400, 20);
  const f = r.faults();
  assert.is(f.length, 1);
  assert.match(f[0]!.reason, /^telemetry-timeout: no telemetry for 20\d ms/);
  assert.ok(f[0]!.at - stalledAt <= 251, `fault ${f[0]!.at - stalledAt} ms after the stall`);
  assert.is(r.host.status().state, "fault");
  assert.ok(r.host.status().stalls > 0);
  r.device.setStall(false);
  await r.drive(200, 20);
  assert.is(r.host.status().state, "connected");
});

test("corrupt telemetry is counted and never trusted: all-corrupt telemetry is missing telemetry", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(300, 0);
  r.device.corruptTelemetry(3);
  await r.drive(300, 0);
  assert.ok(r.host.status().corruptFrames >= 3, `${r.host.status().corruptFrames}`);
  assert.is(r.faults().length, 0);
  r.device.setCorruptionRate(1);
  const before = r.telemetry;
  await r.drive(400, 0);
  assert.is(r.telemetry, before, "no corrupt telemetry reaches listeners");
  assert.match(r.faults()[0]!.reason, /telemetry-timeout/);
});

test("unplug → contact off + fault, output 0; replug → reconnect with limits written again", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(1000, 60);
  r.usb.unplug(r.device);
  await r.drive(100, 60);
  const s = r.host.status();
  assert.is(s.state, "disconnected");
  assert.match(s.lastFault!.reason, /^disconnected: /);
  const tail = r.events.slice(-2).map((e) => e.type === "contact" ? `contact:${e.on}` : e.type);
  assert.equal(tail, ["contact:false", "fault"]);
  assert.is(r.device.firmware.state.outputUa, 0);
  r.usb.plug(r.device);
  await r.drive(100, 60);
  assert.is(r.host.status().state, "connected");
  assert.is(r.host.status().reconnects, 1);
  assert.is(r.device.firmware.counters.limitsWrites, 1, "limits written after the power cycle");
  assert.is(r.device.firmware.counters.naks["no-limits"], undefined);
});

test("reconnect attempts back off 250 ms doubling to 4 s while no device is there", async () => {
  const clock = new ManualClock();
  const sim = new SimUsb();
  const attempts: number[] = [];
  const usb: UsbRegistryLike = {
    getDevices: () => {
      attempts.push(clock.now());
      return sim.getDevices();
    },
  };
  const host = new DeviceHost(simBinaryDriver, usb, { clock });
  host.start();
  await clock.run(20_000);
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
  assert.equal(gaps.slice(0, 7), [250, 500, 1000, 2000, 4000, 4000, 4000]);
  await host.dispose();
});

test("hot-plug: a device plugged in later is connected on its connect event, without waiting for the backoff", async () => {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const host = new DeviceHost(simBinaryDriver, usb, { clock });
  host.start();
  await clock.run(5000); // backoff is at 4 s by now
  assert.is(host.status().state, "disconnected");
  const device = new SimUsbDevice({ clock });
  usb.plug(device);
  await clock.run(20);
  assert.is(host.status().state, "connected");
  assert.is(host.status().reconnects, 0, "a first connection is not a reconnect");
  await host.dispose();
});

test("with two matching devices, a failed handshake on one moves on to the other", async () => {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const dead = new SimUsbDevice({ clock, serialNumber: "DEAD" });
  const good = new SimUsbDevice({ clock, serialNumber: "GOOD" });
  dead.setHung(true);
  usb.plug(dead);
  usb.plug(good);
  const status = await statusAfter(simBinaryDriver, usb, clock, 1000);
  assert.is(status.state, "connected");
  assert.is(status.serialNumber, "GOOD");
});

test("a hung device is dropped after 1 s without telemetry and reconnected once it answers", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(300, 30);
  r.device.setHung(true);
  await r.drive(1500, 30);
  assert.ok(["disconnected", "connecting"].includes(r.host.status().state), r.host.status().state);
  assert.match(r.faults()[0]!.reason, /telemetry-timeout/);
  assert.match(r.faults()[1]!.reason, /disconnected: no telemetry for 10\d\d ms/);
  r.device.setHung(false);
  await r.drive(5000, 30);
  assert.is(r.host.status().state, "connected");
  assert.ok(r.host.status().reconnects >= 1);
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 30) < 1e-6);
});

test("a frame above the written limit is not sent; it is a latched fault", async () => {
  const r = hostRig({ host: { operatorCapUa: 100 } });
  r.host.start();
  await r.drive(200, 50);
  r.host.send(frame(r.clock.now(), 150));
  await r.clock.run(20);
  assert.match(r.faults()[0]!.reason, /frame asks 150 µA, above the device limit 100 µA/);
  assert.is(r.device.firmware.counters.naks["above-limit"], undefined);
  assert.is(r.host.status().latchedFault, r.faults()[0]!.reason);
});

test("setOperatorCap rewrites limits on the live device and reports the new maximum", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(100, 0);
  await r.host.setOperatorCap(120);
  await r.clock.run(20);
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 120);
  assert.equal(
    r.events.filter((e) => e.type === "device").map((e) => (e as { maxCurrentUa: number }).maxCurrentUa),
    [
      500,
      120,
    ],
  );
});

test("lowering the cap mid-session: frames that follow the device event never exceed it, no fault", async () => {
  const r = hostRig();
  let cap = 0;
  r.host.subscribe((rep) => {
    if (rep.kind === "event" && rep.event.type === "device") cap = rep.event.maxCurrentUa;
  });
  r.host.start();
  await r.drive(3000, () => Math.min(cap, 200));
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 200) < 1e-6);
  const lowered = r.host.setOperatorCap(80);
  assert.is(cap, 80, "the engine hears about a lower cap before the device is told");
  await r.drive(300, () => Math.min(cap, 200));
  await lowered;
  assert.equal(r.faults(), []);
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 80);
  assert.ok(r.device.firmware.state.outputUa <= 80);
});

test("a device that restarts its session (limits lost) is handshaken again and gets its limits back", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(1000, 30);
  r.device.firmware.receive(createSimBinaryCodec().hello()); // the firmware restarted its session on its own
  await r.drive(600, 30);
  assert.match(r.faults()[0]!.reason, /^disconnected: device lost its limits/);
  assert.is(r.host.status().state, "connected");
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 500);
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 30) < 1e-6);
});

test("a device that silently power-cycles goes quiet; the watchdog drops it and the reconnect rewrites limits", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(500, 30);
  r.device.firmware.powerCycle();
  await r.drive(2000, 30);
  const reasons = r.faults().map((f) => f.reason.split(":")[0]);
  assert.equal(reasons.slice(0, 2), ["telemetry-timeout", "disconnected"]);
  assert.is(r.host.status().state, "connected");
  assert.is(r.device.firmware.counters.limitsWrites, 1);
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 30) < 1e-6);
});

test("a firmware FAULT is a latched fault", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(200, 20);
  r.device.firmware.raiseFault("overtemperature");
  await r.drive(100, 20);
  assert.match(r.faults()[0]!.reason, /overtemperature/);
  assert.is(r.host.status().state, "fault");
});

test("late telemetry (60 ms latency) raises no fault and output follows", async () => {
  const r = hostRig();
  r.device.setLatency(60);
  r.host.start();
  await r.drive(2000, (t) => Math.min(80, t / 20));
  assert.is(r.faults().length, 0);
  assert.is(r.host.status().state, "connected");
});

test("dispose stops output, closes the device and leaves no timers behind", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(500, 40);
  await r.host.dispose();
  assert.is(r.device.firmware.state.outputUa, 0);
  assert.not.ok(r.device.opened);
  assert.is(r.clock.pendingTimers, 0);
  r.host.send(frame(r.clock.now(), 40));
  assert.is(r.host.status().state, "disconnected");
});

test("a listener that throws does not stop the others", async () => {
  const r = hostRig();
  let calls = 0;
  r.host.subscribe(() => {
    throw new Error("boom");
  });
  r.host.subscribe(() => calls++);
  r.host.start();
  await r.drive(200, 0);
  assert.ok(calls > 0);
});

test.run();
