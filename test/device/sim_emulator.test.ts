/** SIM-1 firmware emulator on fake time: limits, refusals, slew, expiry, telemetry rate, skin model, faults. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { DeviceMessage, OutputCommand, Telemetry } from "@glidepath/sdk";
import {
  createSimBinaryCodec,
  createSkinModel,
  encodeFrame,
  encodeOutput,
  HostType,
  SimFirmware,
  type SimFirmwareOptions,
} from "../../plugins/sim-binary/mod.ts";

/** A firmware plus a host codec; `send` delivers bytes at the firmware's current time. */
function rig(options: SimFirmwareOptions = {}) {
  const fw = new SimFirmware(options);
  const codec = createSimBinaryCodec();
  const got: { t: number; m: DeviceMessage }[] = [];
  const pull = () => {
    for (const f of fw.drain()) for (const m of codec.decode(f.bytes)) got.push({ t: f.atMs, m });
  };
  const at = (t: number) => {
    fw.advance(t);
    pull();
  };
  const send = (bytes: Uint8Array) => {
    fw.receive(bytes);
    pull();
  };
  const out = (currentUa: number, validForMs = 100): OutputCommand => ({
    currentUa,
    freqHz: 3,
    polarity: "alternating",
    validForMs,
  });
  /** Sends an OUTPUT asking for `currentUa`. */
  const output = (currentUa: number, validForMs = 100) => send(codec.output(out(currentUa, validForMs)));
  const ready = (maxCurrentUa = 300, maxSlewUaPerS = 60_000) => {
    send(codec.hello());
    send(codec.limits({ maxCurrentUa, maxSlewUaPerS }));
  };
  const since = (t: number) => got.filter((g) => g.t >= t).map((g) => g.m);
  /** Whether the firmware has answered anything with a NAK of `reason`. */
  const naked = (reason: string) => since(0).some((m) => m.kind === "nak" && m.reason === reason);
  const telemetry = (from: number, to = Infinity): Telemetry[] =>
    got.filter((g) => g.t >= from && g.t <= to && g.m.kind === "telemetry").map((g) =>
      (g.m as { telemetry: Telemetry }).telemetry
    );
  return { fw, codec, got, at, send, out, output, ready, since, naked, telemetry };
}

test("hello answers INFO with model, firmware, max current and net-DC", () => {
  const r = rig({ model: "GP-SIM-1", firmware: "2.1.0", maxCurrentUa: 400, netDc: true });
  r.send(r.codec.hello());
  assert.equal(r.got[0]!.m, {
    kind: "info",
    info: { model: "GP-SIM-1", firmware: "2.1.0", maxCurrentUa: 400, netDc: true },
  });
});

test("output is refused before limits are written (NAK no-limits) and nothing flows", () => {
  const r = rig();
  r.send(r.codec.hello());
  r.output(100);
  r.at(60);
  assert.equal(r.since(0).filter((m) => m.kind === "nak" || m.kind === "fault"), [
    { kind: "nak", reason: "no-limits", seq: 1, detail: "device refused frame 1 (type 0x03): no-limits" },
  ]);
  assert.is(r.fw.state.outputUa, 0);
});

test("limits above the hardware maximum are refused", () => {
  const r = rig({ maxCurrentUa: 200 });
  r.send(r.codec.hello());
  r.send(r.codec.limits({ maxCurrentUa: 300, maxSlewUaPerS: 100 }));
  assert.ok(r.naked("above-limit"));
  assert.is(r.fw.state.limits, null);
});

test("a frame above the written limit is refused and stops the output that ran before it", () => {
  const r = rig();
  r.ready(100);
  r.output(80);
  r.at(10);
  assert.is(r.fw.state.outputUa, 80);
  r.output(120);
  assert.ok(r.naked("above-limit"));
  r.at(20);
  assert.is(r.fw.state.outputUa, 0);
});

test("limits lowered below the running output stop it at once; limits at or above it leave it running", () => {
  const r = rig();
  r.ready(100);
  r.output(80);
  r.at(10);
  r.send(r.codec.limits({ maxCurrentUa: 90, maxSlewUaPerS: 60_000 }));
  r.at(20);
  assert.is(r.fw.state.outputUa, 80);
  r.send(r.codec.limits({ maxCurrentUa: 50, maxSlewUaPerS: 60_000 }));
  assert.is(r.fw.state.outputUa, 0);
  r.at(30);
  assert.is(r.fw.state.outputUa, 0);
});

test("output stops by itself when the frame's validity window ends", () => {
  const r = rig();
  r.ready();
  r.at(1000);
  r.output(100, 100);
  r.at(1099);
  assert.is(r.fw.state.outputUa, 100);
  r.at(1100);
  assert.is(r.fw.state.outputUa, 0);
  assert.is(r.fw.counters.expiries, 1);
  // Telemetry after expiry measures nothing.
  r.at(1300);
  assert.ok(r.telemetry(1101).every((t) => t.measuredUa === 0));
});

test("a newer frame extends the window; validity is capped at the engine's 100 ms whatever the frame asks", () => {
  const r = rig({ maxValidForMs: 250 }); // an option above 100 ms is cut to 100 ms too
  assert.is(r.fw.maxValidForMs, 100);
  r.ready();
  r.output(50, 100);
  r.at(80);
  r.output(50, 100);
  r.at(170);
  assert.is(r.fw.state.outputUa, 50);
  // A frame claiming 1000 ms, built by hand (the codec refuses it), still ends 100 ms later.
  const seq = (r.codec.lastSentSeq + 1) & 0xff;
  r.send(encodeFrame(HostType.OUTPUT, seq, encodeOutput(r.out(50, 1000))));
  r.at(170 + 99);
  assert.is(r.fw.state.outputUa, 50);
  r.at(170 + 100);
  assert.is(r.fw.state.outputUa, 0);
});

test("the codec refuses a frame valid longer than 100 ms", () => {
  const r = rig();
  assert.throws(() => r.codec.output(r.out(50, 101)), /validForMs: 101/);
});

test("STOP ends output at once and is obeyed whatever its sequence number", () => {
  const r = rig();
  const standby = createSimBinaryCodec().stop(); // seq 0, older than anything the rig sends
  r.ready();
  r.output(100);
  r.at(10);
  r.send(standby);
  assert.is(r.fw.state.outputUa, 0);
  assert.is(r.fw.counters.stops, 1);
});

test("increases follow the written slew limit; decreases are immediate", () => {
  const r = rig();
  r.ready(300, 100);
  for (let t = 0; t <= 1000; t += 20) {
    r.at(t);
    if (t === 500) assert.ok(Math.abs(r.fw.state.outputUa - 50) < 1e-6, `at 500 ms: ${r.fw.state.outputUa}`);
    r.output(200);
  }
  assert.ok(Math.abs(r.fw.state.outputUa - 100) < 1e-6, `at 1000 ms: ${r.fw.state.outputUa}`);
  r.output(20);
  assert.is(r.fw.state.outputUa, 20);
});

test("telemetry streams at 20 Hz or more after hello, and not before", () => {
  for (const period of [50, 20]) {
    const r = rig({ telemetryPeriodMs: period });
    r.at(500);
    assert.is(r.telemetry(0).length, 0);
    r.send(r.codec.hello());
    r.at(1500);
    const n = r.telemetry(500, 1500).length;
    assert.ok(n >= 20, `${n} telemetry frames in 1 s at period ${period}`);
    assert.is(n, 1000 / period);
  }
  assert.throws(() => new SimFirmware({ telemetryPeriodMs: 60 }), /telemetryPeriodMs/);
});

test("measured current tracks delivered current; injected overcurrent reads above it", () => {
  const r = rig({ noiseUa: 0.3 });
  r.ready();
  for (let t = 0; t <= 400; t += 20) {
    r.at(t);
    r.output(150);
  }
  for (const t of r.telemetry(100, 400)) assert.ok(Math.abs(t.measuredUa - 150) <= 0.4, `${t.measuredUa}`);
  r.fw.injectOvercurrent(40);
  for (let t = 420; t <= 500; t += 20) {
    r.at(t);
    r.output(150);
  }
  const late = r.telemetry(420, 500);
  assert.ok(late.length > 0 && late.every((t) => t.measuredUa > 185), JSON.stringify(late));
});

test("the firmware trips on current beyond its written limit: FAULT, output off, fault bit until limits are rewritten", () => {
  const r = rig({ noiseUa: 0 });
  r.ready(100);
  r.output(100);
  r.fw.injectOvercurrent(30);
  r.at(60);
  assert.ok(r.since(0).some((m) => m.kind === "fault" && m.code === "overcurrent"));
  assert.is(r.fw.state.outputUa, 0);
  r.output(50);
  assert.ok(r.naked("faulted"));
  r.fw.injectOvercurrent(0);
  r.send(r.codec.limits({ maxCurrentUa: 100, maxSlewUaPerS: 60_000 }));
  r.output(50);
  r.at(70);
  assert.is(r.fw.state.outputUa, 50);
});

test("replayed and out-of-order host frames are refused (NAK bad-sequence)", () => {
  const r = rig();
  r.ready();
  const old = r.codec.output(r.out(100));
  r.output(10);
  r.send(old);
  assert.ok(r.naked("bad-seq"));
  r.at(5);
  assert.is(r.fw.state.outputUa, 10);
});

test("corrupt host bytes are NAKed as bad CRC and change nothing", () => {
  const r = rig();
  r.ready();
  const bad = r.codec.output(r.out(100));
  bad[6]! ^= 0x10;
  r.send(bad);
  assert.ok(r.naked("bad-crc"));
  assert.is(r.fw.state.targetUa, 0);
});

test("HELLO starts a new session: output stops and limits must be written again", () => {
  const r = rig();
  r.ready();
  r.output(100);
  r.send(r.codec.hello());
  assert.is(r.fw.state.outputUa, 0);
  assert.is(r.fw.state.limits, null);
  r.output(100);
  assert.ok(r.naked("no-limits"));
});

test("net-DC polarity is refused by a device that does not declare it", () => {
  const r = rig({ netDc: false });
  r.ready();
  r.send(r.codec.output({ currentUa: 50, freqHz: 3, polarity: "positive", validForMs: 100 }));
  assert.ok(r.naked("unsupported"));
});

test("skin model: impedance rises as the probe lifts and contact is lost above the threshold", () => {
  const skin = createSkinModel({
    baseOhm: 4000,
    contactThresholdOhm: 50_000,
    script: [{ atMs: 0, pressure: 1 }, { atMs: 1000, pressure: 1 }, { atMs: 2000, pressure: 0 }],
  });
  let last = 0;
  let lostAt: number | null = null;
  for (let t = 0; t <= 2000; t += 50) {
    const s = skin.sample(t);
    assert.ok(s.impedanceOhm >= last, `impedance fell at ${t}`);
    last = s.impedanceOhm;
    if (!s.contact && lostAt === null) lostAt = t;
    if (lostAt !== null) assert.not.ok(s.contact);
  }
  assert.is(skin.sample(0).impedanceOhm, 4000);
  assert.is(skin.sample(2000).impedanceOhm, Infinity);
  // base / p² > 50 kΩ ⇔ p < 0.283 ⇔ t > 1717 ms on this ramp.
  assert.ok(lostAt !== null && lostAt >= 1700 && lostAt <= 1750, `lost at ${lostAt}`);
});

test("skin model: seeded random lifts repeat exactly and do come and go", () => {
  const a = createSkinModel({ random: { seed: 42, meanGapMs: 1000, meanLiftMs: 300 } });
  const b = createSkinModel({ random: { seed: 42, meanGapMs: 1000, meanLiftMs: 300 } });
  let changes = 0;
  let prev = true;
  for (let t = 0; t < 20_000; t += 25) {
    const sa = a.sample(t);
    assert.equal(sa, b.sample(t));
    if (sa.contact !== prev) changes++;
    prev = sa.contact;
  }
  assert.ok(changes >= 10, `${changes} contact changes in 20 s`);
});

test("no contact means no current, and output ramps again from 0 when contact returns", () => {
  const skin = createSkinModel({ script: [{ atMs: 0, pressure: 1 }] });
  const r = rig({ skin, noiseUa: 0 });
  r.ready(300, 100);
  for (let t = 0; t <= 1000; t += 20) {
    r.at(t);
    r.output(60);
  }
  assert.is(r.fw.state.outputUa, 60);
  skin.pin(false);
  r.at(1010);
  r.output(60);
  assert.is(r.fw.state.outputUa, 0);
  r.at(1060);
  const off = r.telemetry(1011, 1060);
  assert.ok(
    off.length > 0 && off.every((t) => !t.contact && t.measuredUa === 0 && t.impedanceOhm === Infinity),
  );
  skin.pin(null);
  r.output(60);
  r.at(1150);
  assert.ok(Math.abs(r.fw.state.outputUa - 9) < 1e-6, `90 ms after contact: ${r.fw.state.outputUa}`);
});

test("unknown host frame types are NAKed", () => {
  const r = rig();
  r.ready();
  r.send(encodeFrame(0x7e, 2));
  assert.ok(r.naked("unsupported"));
});

test("time may not go backwards", () => {
  const fw = new SimFirmware();
  fw.advance(100);
  assert.throws(() => fw.advance(50), /nowMs: 50 is before 100/);
});

test.run();
