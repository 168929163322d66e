/** Device host safety: NAK handling, the manifest's limits, frame validity, strict ACK matching of limits, STOP first. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type AsyncDriver, type DriverDefinition, type OutputCommand, toAsyncDriver } from "@glidepath/sdk";
import type { EngineFrame } from "../../core/engine/types.ts";
import type { DeviceEvent } from "../../kiosk/session/mod.ts";
import { guardInProcessDriver } from "../../kiosk/plugins/mod.ts";
import {
  createSimBinaryCodec,
  encodeFrame,
  encodeOutput,
  HostType,
  inspectSimOutput,
  simBinaryDriver,
  type SimFirmwareOptions,
} from "../../plugins/sim-binary/mod.ts";
import { frame, simHost } from "./_host_rig.ts";

function rig(
  driver: DriverDefinition | AsyncDriver = simBinaryDriver,
  firmware: SimFirmwareOptions = {},
) {
  const log: string[] = [];
  const { clock, device, host } = simHost(driver, {
    firmware,
    host: { log: (l) => log.push(`${clock.now()} ${l}`) },
  });
  const events: DeviceEvent[] = [];
  host.subscribe((r) => r.kind === "event" && events.push(r.event));
  // Every write to the device, read back with the SIM-1's own decoder (null: hello/limits).
  const writes: { at: number; seen: ReturnType<typeof inspectSimOutput>; bytes: Uint8Array }[] = [];
  const transferOut = device.transferOut.bind(device);
  device.transferOut = (ep, data) => {
    const bytes = new Uint8Array(data as Uint8Array);
    writes.push({ at: clock.now(), seen: inspectSimOutput(bytes), bytes });
    return transferOut(ep, data);
  };
  const faults = () => events.flatMap((e) => (e.type === "fault" ? [e.reason] : []));
  const drive = async (ms: number, ua: number, extra: Partial<EngineFrame> = {}) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      host.send({ ...frame(clock.now(), ua), ...extra });
      await clock.run(20);
    }
  };
  return { clock, device, host, events, writes, faults, drive, log };
}

// A SIM-1 codec whose limits frame asks `limitUa` whatever the host asked, from the nth limits write on.
function liarOnLimits(limitUa: number, fromCall = 1): DriverDefinition {
  return {
    ...simBinaryDriver,
    createCodec() {
      const codec = createSimBinaryCodec();
      let calls = 0;
      return {
        get lastSentSeq() {
          return codec.lastSentSeq;
        },
        hello: () => codec.hello(),
        limits: (l) => codec.limits(++calls >= fromCall ? { ...l, maxCurrentUa: limitUa } : l),
        output: (c) => codec.output(c),
        stop: () => codec.stop(),
        decode: (b) => codec.decode(b),
      };
    },
  };
}

test("a refused limits write fails at once with the device's reason, not after the 500 ms reply timeout", async () => {
  const r = rig(liarOnLimits(500), { maxCurrentUa: 200 });
  r.host.start();
  await r.clock.run(100);
  const line = r.log.find((l) => l.includes("connect failed"));
  assert.ok(line, r.log.join("\n"));
  assert.match(line!, /connect failed: device refused limits: above-limit/);
  assert.ok(Number(line!.split(" ")[0]) < 100, line);
  assert.is(r.device.firmware.state.outputUa, 0);
});

test("one damaged host frame (NAK bad-crc) is counted, not latched; the session goes on", async () => {
  const r = rig();
  r.host.start();
  await r.drive(200, 0);
  const damaged = createSimBinaryCodec().output({
    currentUa: 1,
    freqHz: 3,
    polarity: "alternating",
    validForMs: 100,
  });
  damaged[damaged.length - 1]! ^= 0xff;
  r.device.firmware.receive(damaged);
  await r.drive(600, 40);
  assert.is(r.host.status().naks, 1);
  assert.equal(r.faults(), []);
  assert.is(r.host.status().state, "connected");
  assert.ok(Math.abs(r.device.firmware.state.outputUa - 40) < 1e-6);
});

test("a burst of damaged frames (more than 5 NAKs within 1 s) is a latched fault with a stop", async () => {
  const r = rig();
  r.host.start();
  await r.drive(200, 0);
  await r.drive(400, 30);
  for (let i = 0; i < 6; i++) {
    r.device.firmware.receive(Uint8Array.of(0xa5, 0x03, 0x09, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    await r.drive(40, 30);
  }
  assert.match(r.faults()[0] ?? "", /^repeated naks: 6 refused frames within 1000 ms \(last nak bad-/);
  assert.is(r.host.status().state, "fault");
  assert.is(r.device.firmware.state.outputUa, 0);
});

test("a NAK above-limit is a latched fault with a stop", async () => {
  const r = rig();
  r.host.start();
  await r.drive(200, 0);
  await r.host.setOperatorCap(100);
  await r.drive(200, 30);
  // A frame above the written limit reaches the device (forged at the next host sequence number).
  const seq = (r.writes.at(-1)!.bytes[2]! + 1) & 0xff;
  r.device.firmware.receive(
    encodeFrame(
      HostType.OUTPUT,
      seq,
      encodeOutput({ currentUa: 150, freqHz: 3, polarity: "alternating", validForMs: 100 }),
    ),
  );
  await r.drive(60, 30);
  assert.match(r.faults()[0] ?? "", /^nak above-limit: /);
  assert.is(r.host.status().state, "fault");
  assert.is(r.device.firmware.state.outputUa, 0);
});

test("limits written = min(device INFO, plugin manifest, 500, operator cap); net-DC needs INFO and manifest", async () => {
  const driver = guardInProcessDriver(simBinaryDriver, { declared: { maxCurrentUa: 120, netDc: false } });
  const r = rig(driver, { maxCurrentUa: 400, netDc: true });
  r.host.start();
  await r.clock.run(60);
  assert.equal(r.events.find((e) => e.type === "device"), {
    type: "device",
    maxCurrentUa: 120,
    netDc: false,
  });
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 120);
  const s = r.host.status();
  assert.is(s.limitUa, 120);
  assert.is(s.declaredMaxUa, 120);
  assert.is(s.netDc, false);
  await r.host.setOperatorCap(90);
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 90);
});

test("a net-DC frame is refused (latched fault, nothing sent) unless device and manifest both allow it", async () => {
  const r = rig(guardInProcessDriver(simBinaryDriver, { declared: { maxCurrentUa: 300, netDc: false } }), {
    netDc: true,
  });
  r.host.start();
  await r.drive(100, 0);
  const before = r.writes.length;
  await r.drive(40, 20, { polarity: "positive" });
  assert.match(r.faults()[0] ?? "", /positive polarity \(net-DC\)/);
  assert.ok(r.writes.slice(before).every((w) => w.seen?.polarity !== "positive"));

  const ok = rig(guardInProcessDriver(simBinaryDriver, { declared: { maxCurrentUa: 300, netDc: true } }), {
    netDc: true,
  });
  ok.host.start();
  await ok.drive(100, 0);
  await ok.drive(200, 20, { polarity: "positive" });
  assert.equal(ok.faults(), []);
  assert.is(ok.writes.at(-1)?.seen?.polarity, "positive");
});

// Codecs that encode something other than what was asked, caught by the read-back.
function bending(change: (c: OutputCommand) => OutputCommand): DriverDefinition {
  return {
    ...simBinaryDriver,
    createCodec() {
      const codec = createSimBinaryCodec();
      return { ...codec, output: (c) => codec.output(change(c)) };
    },
  };
}

test("output bytes with another polarity or a longer validity than asked stop the driver before they are sent", async () => {
  for (
    const [driver, why] of [
      [bending((c) => ({ ...c, polarity: "positive" })), /encoded polarity "positive".*"alternating"/],
      [bending((c) => ({ ...c, validForMs: 100 })), /valid for 100 ms when the engine asked for 60 ms/],
    ] as const
  ) {
    const r = rig(driver, { netDc: true });
    r.host.start();
    await r.clock.run(60);
    await r.drive(100, 20, { validForMs: 60 });
    assert.match(r.faults()[0] ?? "", why);
    assert.ok(r.writes.every((w) => w.seen === null || w.seen.currentUa === 0), "no bent frame was written");
  }
});

test("frames are sent valid for at most 100 ms whatever the frame says", async () => {
  const r = rig();
  r.host.start();
  await r.drive(100, 0);
  await r.drive(100, 30, { validForMs: 1000 });
  const outputs = r.writes.filter((w) => (w.seen?.currentUa ?? 0) > 0);
  assert.ok(outputs.length >= 4);
  assert.ok(outputs.every((w) => w.seen?.validForMs === 100), JSON.stringify(outputs.map((w) => w.seen)));
  assert.equal(r.faults(), []);
});

test("a late output ACK never passes for the ACK of a refused limits write (async driver, strict sequence)", async () => {
  // An AsyncDriver (as the plugin host gives) whose second limits frame asks more than the device has.
  const r = rig(toAsyncDriver(liarOnLimits(500, 2)), { maxCurrentUa: 200 });
  r.device.setLatency(30); // output ACKs are still in flight when the limits frame goes out
  r.host.start();
  await r.clock.run(200);
  assert.is(r.host.status().state, "connected");
  await r.drive(200, 20);
  const write = r.host.setOperatorCap(150).then(() => "acknowledged", (e: Error) => e.message);
  await r.drive(100, 20);
  assert.match(await write, /device refused limits: above-limit/);
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 200, "the device kept its old limits");
});

test("stop() drops the frame being encoded and a queued limits write: STOP is the only write left", async () => {
  const r = rig();
  r.host.start();
  await r.drive(200, 0);
  await r.drive(300, 40);
  const from = r.writes.length;
  r.host.send(frame(r.clock.now(), 40)); // still in the codec
  const cap = r.host.setOperatorCap(300); // a limits write waits behind it
  r.host.stop();
  await r.clock.run(20);
  await cap; // dropped with the connection: the next connection writes limits with this cap
  assert.equal(r.writes.slice(from).map((w) => w.seen), [{ currentUa: 0 }]);
  assert.is(r.device.firmware.state.outputUa, 0);
  assert.not.ok(r.device.opened, "the device is closed");
});

test.run();
