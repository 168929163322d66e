/** The host halts on an estop or a driver fault: with a driver that lies, nothing but one STOP is written, then the device is closed. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type AsyncDriver, type DriverDefinition, type OutputCommand, toAsyncDriver } from "@glidepath/sdk";
import { DeviceHost } from "../../kiosk/device/mod.ts";
import { guardInProcessDriver } from "../../kiosk/plugins/mod.ts";
import {
  createSimBinaryCodec,
  inspectSimOutput,
  ManualClock,
  simBinaryDriver,
  SimUsb,
  SimUsbDevice,
} from "../../plugins/sim-binary/mod.ts";
import { deliveredBy, frame } from "./_host_rig.ts";
import { simKiosk } from "./_kiosk_rig.ts";
import { liar } from "./_liar.ts";

/** The kiosk's loop on a manual clock: real engine and session runner, the device host on a simulated SIM-1. */
function kiosk(driver: DriverDefinition | AsyncDriver) {
  const { clock, device, host, runner, start, run } = simKiosk(driver);
  // Every transfer the host starts, with the time and what the SIM-1 firmware would read in it.
  const writes: { at: number; seen: ReturnType<typeof inspectSimOutput> }[] = [];
  let gate: PromiseWithResolvers<void> | null = null;
  const transferOut = device.transferOut.bind(device);
  device.transferOut = async (ep, data) => {
    writes.push({ at: clock.now(), seen: inspectSimOutput(new Uint8Array(data as Uint8Array)) });
    if (gate) await gate.promise; // a slow bus: the write is on the wire, the next frames queue behind it
    return transferOut(ep, data);
  };
  start();
  const deliveredUa = deliveredBy(device, clock);
  return {
    clock,
    device,
    host,
    runner,
    writes,
    run,
    deliveredUa,
    holdWrites: () => (gate = Promise.withResolvers()),
    releaseWrites: () => (gate?.resolve(), gate = null),
  };
}

/** The SIM-1 driver with some of its codec's calls replaced (a slow or hung driver). */
function withCodec(
  replace: (codec: Awaited<ReturnType<AsyncDriver["createCodec"]>>) => Partial<
    Awaited<ReturnType<AsyncDriver["createCodec"]>>
  >,
): AsyncDriver {
  const inner = toAsyncDriver(simBinaryDriver);
  return {
    ...inner,
    async createCodec() {
      const codec = await inner.createCodec();
      return Object.defineProperties({ ...codec, ...replace(codec) }, {
        lastSentSeq: { get: () => codec.lastSentSeq, enumerable: true },
      });
    },
  };
}

test("estop with a lying driver: after its one STOP the host writes nothing, drops the queued frame, closes the device; the device's expiry ends the output", async () => {
  const d = liar();
  const k = kiosk(d);
  await k.run(1500);
  const level = k.deliveredUa();
  assert.ok(level > 50, `running at ${level} µA`);
  k.holdWrites();
  await k.clock.run(20); // one frame goes on the wire and hangs there...
  await k.clock.run(20); // ...the next one waits in the host's queue
  const t0 = k.clock.now();
  const before = k.writes.length;
  k.runner.submit({ type: "estop" });
  k.releaseWrites();
  await k.run(40);
  assert.ok(d.lying(), "the driver was asked for STOP and lies from then on");
  const after = k.writes.slice(before);
  assert.is(after.length, 1, `writes after the estop: ${JSON.stringify(after)}`);
  assert.ok((after[0]!.seen?.currentUa ?? 0) > 0, "the liar's STOP was an OUTPUT frame");
  assert.not.ok(k.device.opened, "the host closed the device");
  assert.is(k.host.status().state, "fault");
  assert.match(k.host.status().latchedFault ?? "", /emergency stop/);
  // The lie keeps the device going only until its last frame expires, 100 ms after it was written.
  await k.clock.run(t0 + 99 - k.clock.now());
  assert.ok(k.deliveredUa() > 0, "the lie was delivered");
  await k.clock.run(1);
  assert.is(k.deliveredUa(), 0, "off within the frame's 100 ms validity");
  await k.run(3000);
  assert.is(k.writes.length, before + 1, "no reconnect, no frame, nothing, while the stop holds");
});

test("an operator reset reconnects: hello and limits are written again before the first frame", async () => {
  const k = kiosk(simBinaryDriver);
  await k.run(1000);
  k.runner.submit({ type: "estop" });
  await k.run(500);
  const before = k.writes.length;
  const limitsWrites = k.device.firmware.counters.limitsWrites;
  k.runner.submit({ type: "reset" });
  await k.run(200);
  assert.is(k.host.status().state, "connected");
  assert.ok(k.device.opened);
  const after = k.writes.slice(before);
  assert.equal(after.slice(0, 2).map((w) => w.seen), [null, null], "hello, then limits");
  assert.ok(after.length > 2, "frames flow again");
  assert.is(k.device.firmware.counters.limitsWrites, limitsWrites + 1);
  assert.is(k.device.firmware.counters.naks["no-limits"], undefined);
});

test("bytes a driver hands back after the estop, for a frame it was still encoding, are never written", async () => {
  let slow: PromiseWithResolvers<void> | null = null;
  const driver = withCodec((codec) => ({
    async output(c: OutputCommand) {
      if (slow) await slow.promise; // a sandboxed driver whose answer is still on its way
      return codec.output(c);
    },
  }));
  const k = kiosk(driver);
  await k.run(1000);
  slow = Promise.withResolvers();
  await k.clock.run(20); // a frame is in the codec
  const before = k.writes.length;
  k.runner.submit({ type: "estop" });
  slow.resolve();
  slow = null;
  await k.run(200);
  assert.equal(k.writes.slice(before).map((w) => w.seen), [{ currentUa: 0 }], "STOP only");
  assert.not.ok(k.device.opened);
});

test("a halt during the handshake: not even the hello is written; the reset's handshake is the one that goes out", async () => {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const device = new SimUsbDevice({ clock, firmware: { noiseUa: 0 } });
  usb.plug(device);
  const host = new DeviceHost(simBinaryDriver, usb, { clock });
  const slowOpen = Promise.withResolvers<void>();
  const open = device.open.bind(device);
  device.open = async () => (await slowOpen.promise, open());
  let writes = 0;
  const transferOut = device.transferOut.bind(device);
  device.transferOut = (ep, data) => (writes++, transferOut(ep, data));
  host.start();
  await clock.run(10); // the host is opening the device
  host.stop();
  slowOpen.resolve();
  await clock.run(5000);
  assert.is(writes, 0, "nothing written after the halt");
  assert.not.ok(device.opened);
  assert.is(host.status().state, "fault");
  host.clearFault();
  await clock.run(100);
  assert.is(host.status().state, "connected");
  assert.is(device.firmware.counters.hellos, 1);
  await host.dispose();
});

test("a driver that hangs, with no reply watchdog at all: the device's expiry ends output, the telemetry watchdog halts the host", async () => {
  let hung = false;
  const never = new Promise<never>(() => {});
  const driver = withCodec((codec) => ({
    output: (c: OutputCommand) => hung ? never : codec.output(c),
    decode: (b: Uint8Array) => hung ? never : codec.decode(b),
  }));
  const k = kiosk(driver);
  await k.run(1500);
  assert.ok(k.deliveredUa() > 50);
  hung = true; // as a sandboxed driver stuck in a loop: no answer to anything, and nothing kills it
  const t0 = k.clock.now();
  await k.clock.run(100);
  assert.is(k.deliveredUa(), 0, "off within 100 ms of the last frame");
  await k.run(400);
  assert.match(k.host.status().latchedFault ?? "", /emergency stop or fault/);
  assert.match(k.host.status().lastFault?.reason ?? "", /^telemetry-timeout/);
  assert.ok(
    k.host.status().lastFault!.atMs - t0 <= 260,
    `fault ${k.host.status().lastFault!.atMs - t0} ms in`,
  );
  assert.not.ok(k.device.opened, "the device is closed though the driver never answered");
});

test("a driver failure halts the host the same way: the standby STOP is the last write, the device is closed, no reconnect", async () => {
  let calls = 0;
  const failing: DriverDefinition = {
    ...simBinaryDriver,
    createCodec() {
      const codec = createSimBinaryCodec();
      return {
        ...codec,
        get lastSentSeq() {
          return codec.lastSentSeq;
        },
        output(c: OutputCommand) {
          if (++calls === 60) throw new Error("driver bug");
          return codec.output(c);
        },
      };
    },
  };
  const clock = new ManualClock();
  const usb = new SimUsb();
  const device = new SimUsbDevice({ clock, firmware: { noiseUa: 0 } });
  usb.plug(device);
  const host = new DeviceHost(guardInProcessDriver(failing), usb, { clock });
  let writes = 0;
  const transferOut = device.transferOut.bind(device);
  device.transferOut = (ep, data) => (writes++, transferOut(ep, data));
  host.start();
  let failedAt = -1;
  host.subscribe((r) => {
    if (r.kind === "event" && r.event.type === "fault") failedAt = writes;
  });
  for (let t = 0; t < 3000; t += 20) {
    host.send(frame(clock.now(), 30));
    await clock.run(20);
  }
  assert.ok(failedAt > 0, "the driver failed");
  assert.is(writes, failedAt + 1, "one write after the failure: the standby STOP");
  assert.not.ok(device.opened);
  assert.is(device.firmware.state.outputUa, 0);
  assert.match(host.status().latchedFault ?? "", /driver failed: "output" threw Error: driver bug/);
  await host.dispose();
});

test("a halt forgets skin contact: after reset and Resume with the device still away, the engine commands 0, and the reconnected device starts from 0", async () => {
  const k = kiosk(simBinaryDriver);
  const frames: { ua: number; limit: string }[] = [];
  k.runner.observe({ frame: (f) => void frames.push({ ua: f.currentUa, limit: f.limit }) });
  await k.run(1500);
  assert.ok(k.deliveredUa() > 50, "running");
  k.runner.submit({ type: "estop" });
  await k.run(100);
  k.device.unplug(); // the device is away (re-enumerating, a driver restarting) while staff reset
  k.runner.submit({ type: "reset" }, "operator");
  k.runner.submit({ type: "resume" });
  const away = frames.length;
  await k.run(2000);
  const whileAway = frames.slice(away);
  assert.ok(whileAway.length > 50, `${whileAway.length} frames`);
  assert.ok(
    whileAway.every((f) => f.ua === 0 && f.limit === "no-contact"),
    `no ramp while contact is unknown: ${JSON.stringify(whileAway.filter((f) => f.ua > 0).slice(0, 3))}`,
  );
  const before = k.writes.length;
  k.device.replug();
  await k.run(1500);
  const firstFrame = k.writes.slice(before).find((w) => w.seen !== null);
  assert.ok(firstFrame, "frames flow again once the device is back and reports contact");
  assert.ok(
    firstFrame.seen!.currentUa <= 2,
    `the first frame after the reconnect ramps from 0: ${firstFrame.seen!.currentUa}`,
  );
  assert.ok(k.deliveredUa() > 0, "and output returns");
});

test("a USB release that never returns does not hold the host: after the reset it reconnects, and dispose ends", async () => {
  const k = kiosk(simBinaryDriver);
  await k.run(1000);
  k.device.releaseInterface = () => new Promise<void>(() => {}); // a wedged bus: never answers
  k.runner.submit({ type: "estop" });
  await k.run(500);
  k.runner.submit({ type: "reset" }, "operator");
  await k.run(3000);
  assert.is(k.host.status().state, "connected", "reconnected without the release's answer");
  const disposed = k.host.dispose().then(() => "disposed");
  await k.clock.run(2500);
  assert.is(await Promise.race([disposed, new Promise((r) => setTimeout(() => r("hung"), 500))]), "disposed");
});

test.run();
