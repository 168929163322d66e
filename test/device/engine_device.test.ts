/** Integration on fake time: the real Engine + DeviceHost + simulated SIM-1, with unplug, corruption, a stalled host, overcurrent. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, type EngineFrame } from "../../core/engine/mod.ts";
import { simBinaryDriver } from "../../plugins/sim-binary/mod.ts";
import { deliveredBy, simHost } from "./_host_rig.ts";

const CHEEK = { u: 0.277, v: 0.532 };

function world() {
  const { clock, usb, device, host } = simHost(simBinaryDriver, { firmware: { noiseUa: 0.3 } });
  const engine = createEngine();
  const faults: string[] = [];
  host.subscribe((r) => {
    if (r.kind !== "event") return;
    if (r.event.type === "fault") faults.push(r.event.reason);
    engine.apply({ ...r.event, t: clock.now() });
  });
  host.start();
  engine.apply({ t: 0, type: "start", routine: "free", comfort: 10, screening: {} });
  let last: EngineFrame | null = null;
  let forward = true;
  /** Runs the kiosk loop for ms: probe on the cheek, one engine frame per 20 ms, sent to the host. */
  async function run(ms: number) {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      const t = clock.now();
      engine.apply({ t, type: "probe", points: [CHEEK], confidence: 0.95 });
      last = engine.frame(t);
      if (forward) host.send(last);
      await clock.run(20);
    }
  }
  /** Output the firmware delivers now. */
  const deliveredUa = deliveredBy(device, clock);
  return {
    clock,
    usb,
    device,
    host,
    engine,
    faults,
    run,
    deliveredUa,
    get last() {
      return last!;
    },
    stopForwarding() {
      forward = false;
    },
  };
}

test("the engine's ramp reaches the device and telemetry agrees with it", async () => {
  const w = world();
  await w.run(2000);
  assert.is(w.faults.length, 0);
  assert.is(w.last.state, "running");
  assert.ok(w.last.currentUa > 150, `engine at ${w.last.currentUa} µA`);
  assert.ok(
    Math.abs(w.deliveredUa() - w.last.currentUa) <= 2.5,
    `device ${w.deliveredUa()} vs ${w.last.currentUa}`,
  );
  assert.ok(Math.abs((w.host.status().measuredUa ?? 0) - w.last.currentUa) <= 6);
});

test("unplug → output 0 at once, engine faulted; replug → reconnect, limits re-written, ramp from 0 after reset and Resume", async () => {
  const w = world();
  await w.run(1500);
  assert.ok(w.deliveredUa() > 100);
  w.usb.unplug(w.device);
  assert.is(w.deliveredUa(), 0);
  await w.run(40);
  assert.is(w.last.currentUa, 0);
  assert.ok(["device-fault", "no-contact"].includes(w.last.limit), w.last.limit);
  assert.match(w.faults[0]!, /^disconnected: /);
  await w.run(300);
  w.usb.plug(w.device);
  await w.run(200);
  assert.is(w.host.status().state, "connected");
  assert.is(w.host.status().reconnects, 1);
  assert.is(w.device.firmware.counters.limitsWrites, 1, "limits written to the freshly powered device");
  assert.is(w.last.currentUa, 0, "the engine holds output off until an operator reset");
  w.engine.apply({ t: w.clock.now(), type: "reset" });
  await w.run(100);
  assert.equal([w.last.state, w.last.currentUa], ["paused", 0], "after the reset the person presses Resume");
  w.engine.apply({ t: w.clock.now(), type: "resume" });
  await w.run(500);
  assert.ok(w.last.currentUa > 0 && w.last.currentUa <= 52, `ramps from 0: ${w.last.currentUa}`);
  assert.ok(Math.abs(w.deliveredUa() - w.last.currentUa) <= 2.5);
  assert.is(w.device.firmware.counters.naks["no-limits"], undefined);
});

test("corrupt telemetry is counted and never trusted (no false overcurrent), output carries on", async () => {
  const w = world();
  await w.run(1500);
  w.device.setCorruptionRate(0.2);
  await w.run(4000);
  const s = w.host.status();
  assert.ok(s.corruptFrames >= 10, `${s.corruptFrames} corrupt frames`);
  assert.ok(w.device.counters.corruptedFrames >= 10);
  assert.equal(w.faults.filter((f) => f.startsWith("overcurrent")), []);
  assert.is(s.state, "connected");
  assert.ok(w.deliveredUa() > 200);
});

test("a stalled host: the device stops by its own expiry within the 100 ms validity window", async () => {
  const w = world();
  await w.run(1500);
  const level = w.deliveredUa();
  assert.ok(level > 100);
  w.stopForwarding();
  const lastSent = w.clock.now() - 20;
  await w.clock.run(lastSent + 99 - w.clock.now());
  assert.ok(w.deliveredUa() > 100, `still on 99 ms after the last frame: ${w.deliveredUa()}`);
  await w.clock.run(1);
  assert.is(w.deliveredUa(), 0, "off 100 ms after the last frame");
  assert.is(w.device.firmware.counters.expiries, 1);
});

test("overcurrent telemetry → host fault → STOP, engine output 0 and latched", async () => {
  const w = world();
  await w.run(2000);
  w.device.firmware.injectOvercurrent(30);
  await w.run(200);
  assert.is(w.faults.length, 1);
  assert.match(w.faults[0]!, /^overcurrent: /);
  assert.is(w.deliveredUa(), 0);
  assert.is(w.last.currentUa, 0);
  assert.is(w.last.limit, "device-fault");
  assert.is(w.host.status().state, "fault");
  const outputs = w.device.firmware.counters.outputs;
  await w.run(500);
  assert.is(w.device.firmware.counters.outputs, outputs);
  assert.is(w.deliveredUa(), 0);
});

test.run();
