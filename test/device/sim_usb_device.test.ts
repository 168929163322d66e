/** Simulated SIM-1 on the WebUSB USBDevice interface: lifecycle, transfers on fake time, fault injection, hot-plug. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { DeviceMessage } from "@glidepath/sdk";
import {
  createSimBinaryCodec,
  createSimulatedDevice,
  ManualClock,
  simBinaryDriver,
  SimUsb,
  SimUsbConnectionEvent,
  SimUsbDevice,
} from "../../plugins/sim-binary/mod.ts";

async function opened(device: SimUsbDevice) {
  await device.open();
  await device.selectConfiguration(1);
  await device.claimInterface(0);
}

/** A SIM-1 on a fresh manual clock, opened with interface 0 claimed, and a codec to talk to it. */
async function openedDevice() {
  const clock = new ManualClock();
  const d = new SimUsbDevice({ clock });
  await opened(d);
  return { clock, d, codec: createSimBinaryCodec() };
}

function bytesOf(r: { data?: DataView }): Uint8Array {
  return r.data ? new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength) : new Uint8Array(0);
}

test("describes itself as a SIM-1 that the driver's filters match", () => {
  const d = new SimUsbDevice({ clock: new ManualClock() });
  assert.is(d.vendorId, 0x1209);
  assert.is(d.productId, 0x6750);
  assert.is(d.productName, "Glidepath SIM-1");
  assert.is(d.configurations[0]!.interfaces[0]!.alternate.endpoints.length, 2);
  assert.ok(simBinaryDriver.filters.some((f) => f.vendorId === d.vendorId && f.productId === d.productId));
});

test("transfers need open, a configuration and a claimed interface (InvalidStateError otherwise)", async () => {
  const d = new SimUsbDevice({ clock: new ManualClock() });
  const codec = createSimBinaryCodec();
  const err = await d.transferOut(1, codec.hello()).catch((e) => e);
  assert.is(err.name, "InvalidStateError");
  await d.open();
  assert.is((await d.claimInterface(0).catch((e) => e)).name, "InvalidStateError");
  await d.selectConfiguration(1);
  assert.is(d.configuration?.configurationValue, 1);
  assert.is((await d.transferIn(1, 64).catch((e) => e)).name, "InvalidStateError");
  assert.is((await d.claimInterface(3).catch((e) => e)).name, "NotFoundError");
  await d.claimInterface(0);
  assert.is((await d.transferOut(2, codec.hello()).catch((e) => e)).name, "NotFoundError");
  assert.equal(await d.transferOut(1, codec.hello()), { bytesWritten: 7, status: "ok" });
  assert.ok(d.opened);
  await d.close();
  assert.not.ok(d.opened);
});

test("transferIn waits on the injected clock and delivers INFO then telemetry, split into 64-byte packets", async () => {
  const { clock, d, codec } = await openedDevice();
  await d.transferOut(1, codec.hello());
  const messages: DeviceMessage[] = [];
  let settled = false;
  const reads: Promise<void>[] = [];
  const read = () =>
    d.transferIn(1, 64).then((r) => {
      assert.ok(bytesOf(r).length <= 64);
      messages.push(...codec.decode(bytesOf(r)));
    });
  reads.push(read());
  await reads[0];
  assert.is(messages[0]!.kind, "info");
  const pending = read().then(() => (settled = true));
  await Promise.resolve();
  assert.not.ok(settled, "nothing to read before the first telemetry tick");
  await clock.run(50);
  await pending;
  assert.ok(settled);
  assert.is(messages[1]!.kind, "telemetry");
});

test("unplug rejects pending and later transfers with NetworkError and fires disconnect; replug powers up fresh", async () => {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const d = new SimUsbDevice({ clock });
  const events: string[] = [];
  usb.addEventListener(
    "connect",
    (e) => events.push(`connect:${(e as SimUsbConnectionEvent).device.serialNumber}`),
  );
  usb.addEventListener("disconnect", () => events.push("disconnect"));
  usb.plug(d);
  await opened(d);
  const codec = createSimBinaryCodec();
  await d.transferOut(1, codec.hello());
  await d.transferIn(1, 64);
  await d.transferOut(1, codec.limits({ maxCurrentUa: 100, maxSlewUaPerS: 1000 }));
  const pending = d.transferIn(1, 64).then(() => d.transferIn(1, 64)).then(() => d.transferIn(1, 64)).catch((
    e,
  ) => e);
  usb.unplug(d);
  const err = await pending;
  assert.is(err.name, "NetworkError");
  assert.is((await d.transferOut(1, codec.stop()).catch((e) => e)).name, "NetworkError");
  assert.is((await d.open().catch((e) => e)).name, "NetworkError");
  assert.equal(await usb.getDevices(), []);
  usb.plug(d);
  assert.equal(events, ["connect:SIM1-000001", "disconnect", "connect:SIM1-000001"]);
  assert.equal((await usb.getDevices()).length, 1);
  assert.not.ok(d.opened);
  assert.is(d.configuration, null);
  assert.is(d.firmware.state.limits, null, "limits are lost with power");
});

test('an injected stall makes transfers answer status "stall" until turned off', async () => {
  const { d, codec } = await openedDevice();
  const waiting = d.transferIn(1, 64);
  d.setStall(true);
  assert.equal(await waiting, { status: "stall" });
  assert.equal(await d.transferOut(1, codec.hello()), { bytesWritten: 0, status: "stall" });
  await d.clearHalt("out", 1);
  assert.is((await d.transferIn(1, 64)).status, "stall", "clearHalt does not cure an injected stall");
  d.setStall(false);
  assert.is((await d.transferOut(1, codec.hello())).status, "ok");
});

test("corruptTelemetry flips a bit in telemetry only; the codec reports it corrupt", async () => {
  const { clock, d, codec } = await openedDevice();
  await d.transferOut(1, codec.hello());
  d.corruptTelemetry(2);
  const kinds: string[] = [];
  const reader = (async () => {
    for (let i = 0; i < 5; i++) {
      for (const m of codec.decode(bytesOf(await d.transferIn(1, 64)))) kinds.push(m.kind);
    }
  })();
  await clock.run(250);
  await reader;
  assert.is(kinds[0], "info");
  assert.is(d.counters.corruptedFrames, 2);
  assert.ok(kinds.filter((k) => k === "corrupt").length >= 2, kinds.join(","));
  assert.is(kinds[kinds.length - 1], "telemetry");
});

test("setLatency delays delivery of device frames by that much fake time", async () => {
  const clock = new ManualClock();
  const d = new SimUsbDevice({ clock });
  await opened(d);
  d.setLatency(80);
  const codec = createSimBinaryCodec();
  await d.transferOut(1, codec.hello());
  let at: number | null = null;
  const read = d.transferIn(1, 64).then(() => (at = clock.now()));
  await clock.run(79);
  assert.is(at, null);
  await clock.run(1);
  await read;
  assert.is(at, 80);
});

test("reset aborts pending reads and restarts the firmware; forget detaches for good", async () => {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const d = new SimUsbDevice({ clock });
  usb.plug(d);
  await opened(d);
  await d.transferOut(1, createSimBinaryCodec().hello());
  await d.transferIn(1, 64);
  const pending = d.transferIn(1, 64).catch((e) => e);
  await d.reset();
  assert.is((await pending).name, "AbortError");
  assert.not.ok(d.firmware.state.streaming);
  await d.forget();
  assert.equal(await usb.getDevices(), []);
  assert.is((await d.open().catch((e) => e)).name, "NetworkError");
});

test("controlTransferIn answers GET_STATUS; isochronous transfers are not supported", async () => {
  const d = new SimUsbDevice({ clock: new ManualClock() });
  await d.open();
  const r = await d.controlTransferIn({
    requestType: "standard",
    recipient: "device",
    request: 0,
    value: 0,
    index: 0,
  }, 2);
  assert.is(r.status, "ok");
  assert.is(r.data?.byteLength, 2);
  const v = await d.controlTransferIn({
    requestType: "vendor",
    recipient: "device",
    request: 9,
    value: 0,
    index: 0,
  }, 2);
  assert.is(v.status, "stall");
  assert.is((await d.isochronousTransferIn().catch((e) => e)).name, "NotSupportedError");
});

test("requestDevice finds a plugged device by filter and rejects with NotFoundError otherwise", async () => {
  const usb = new SimUsb();
  const d = new SimUsbDevice({ clock: new ManualClock(), serialNumber: "X1" });
  assert.is(
    (await usb.requestDevice({ filters: [{ vendorId: 0x1209 }] }).catch((e) => e)).name,
    "NotFoundError",
  );
  usb.plug(d);
  assert.is(await usb.requestDevice({ filters: [{ vendorId: 0x1209, productId: 0x6750 }] }), d);
  assert.is(
    (await usb.requestDevice({ filters: [{ vendorId: 0x1234 }] }).catch((e) => e)).name,
    "NotFoundError",
  );
});

test("createSimulatedDevice meets the SDK contract: advance, setContact, inject, outputUa", async () => {
  const sim = createSimulatedDevice({ seed: 3 });
  const d = sim.device;
  await opened(d);
  const codec = createSimBinaryCodec();
  await d.transferOut(1, codec.hello());
  await d.transferOut(1, codec.limits({ maxCurrentUa: 200, maxSlewUaPerS: 10_000 }));
  await d.transferOut(
    1,
    codec.output({ currentUa: 100, freqHz: 3, polarity: "alternating", validForMs: 100 }),
  );
  sim.advance(20);
  assert.is(sim.outputUa, 100);
  sim.setContact(false);
  sim.advance(10);
  assert.is(sim.outputUa, 0);
  sim.setContact(true, 5000);
  sim.inject("overcurrent");
  assert.equal(d.firmware.state.faults, ["overcurrent"]);
  sim.inject("unplug");
  assert.not.ok(d.attached);
  sim.dispose();
});

test.run();
