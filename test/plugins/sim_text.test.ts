/** GP-TXT: byte fixtures for each line, the CRC-8 known answer, codec properties and firmware rules. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { crc16, crc8 } from "../../core/sdk/mod.ts";
import { encodeLine, inspectTextOutput, parseLine, TextCodec } from "../../plugins/sim-text/mod.ts";
import { createSimulatedDevice } from "../../plugins/sim-text/simulator.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

test("CRC-8/SMBUS and CRC-16/CCITT-FALSE give the catalogue check values", () => {
  assert.is(crc8(bytes("123456789")), 0xf4);
  assert.is(crc16(bytes("123456789")), 0x29b1);
});

test("host lines match hand-computed fixtures", () => {
  const codec = new TextCodec();
  const fixtures = [
    [codec.hello(), "0 HELLO"],
    [codec.limits({ maxCurrentUa: 300, maxSlewUaPerS: 100 }), "1 LIM 300.0 100"],
    [
      codec.output({ currentUa: 120.06, freqHz: 3, polarity: "alternating", validForMs: 100 }),
      "2 OUT 120.0 3 ALT 100",
    ],
    [codec.stop(), "3 STOP"],
  ] as const;
  for (const [got, body] of fixtures) {
    assert.is(text(got), `${body}*${crc8(bytes(body)).toString(16).toUpperCase().padStart(2, "0")}\n`);
  }
});

test("device lines decode to info, telemetry, ack and faults", () => {
  const codec = new TextCodec();
  const stream = [
    encodeLine(0, "INFO", ["GP-TXT-1", "1.0.0", "400.0", "AC"]),
    encodeLine(1, "TEL", [1, 4800, "99.5", 87, "-"]),
    encodeLine(2, "TEL", [0, "OPEN", "0.0", "MAINS", "overcurrent,low-battery"]),
    encodeLine(3, "ACK", [7]),
    encodeLine(4, "NAK", [8, "above-limit"]),
  ];
  const out = codec.decode(new Uint8Array(stream.flatMap((b) => [...b])));
  assert.equal(out, [
    { kind: "info", info: { model: "GP-TXT-1", firmware: "1.0.0", maxCurrentUa: 400, netDc: false } },
    {
      kind: "telemetry",
      telemetry: { contact: true, impedanceOhm: 4800, measuredUa: 99.5, batteryPct: 87, faults: [] },
    },
    {
      kind: "telemetry",
      telemetry: {
        contact: false,
        impedanceOhm: Infinity,
        measuredUa: 0,
        batteryPct: null,
        faults: ["overcurrent", "low-battery"],
      },
    },
    { kind: "ack", seq: 7 },
    { kind: "nak", reason: "above-limit", seq: 8, detail: "device refused line 8: above-limit" },
  ]);
});

test("every GP-TXT NAK decodes to the SDK vocabulary; a bad-line NAK carries no sequence", () => {
  const decode = (seq: number, why: string) => new TextCodec().decode(encodeLine(0, "NAK", [seq, why]))[0];
  assert.equal(decode(0, "bad-line"), {
    kind: "nak",
    reason: "bad-crc",
    detail: "device refused line 0: bad-line",
  });
  const got = ["stale-seq", "bad-args", "no-limits", "above-limit", "no-net-dc", "unknown-verb", "what"].map(
    (w) => {
      const m = decode(5, w);
      return m?.kind === "nak" && m.seq === 5 ? m.reason : JSON.stringify(m);
    },
  );
  assert.equal(got, [
    "bad-seq",
    "bad-args",
    "no-limits",
    "above-limit",
    "unsupported",
    "unsupported",
    "other",
  ]);
});

test("malformed lines are corrupt: bad checksum, over-long line, bad fields", () => {
  const codec = new TextCodec();
  assert.equal(parseLine("1 HELLO*00"), { error: "checksum mismatch" });
  assert.equal(parseLine("1 HELLO"), { error: "no checksum" });
  const long = codec.decode(bytes("x".repeat(200) + "\n"));
  assert.equal(long, [{ kind: "corrupt", reason: "line longer than 96 bytes" }]);
  const badTel = codec.decode(encodeLine(0, "TEL", [2, 1, "1.0", 5, "-"]));
  assert.equal(badTel, [{ kind: "corrupt", reason: "TEL: malformed" }]);
});

test("output never encodes more current than asked and reads back within 0.1 µA", () => {
  fc.assert(fc.property(fc.double({ min: 0, max: 500, noNaN: true }), (ua) => {
    const seen = inspectTextOutput(
      new TextCodec().output({ currentUa: ua, freqHz: 3, polarity: "alternating", validForMs: 100 }),
    );
    return seen !== null && seen.currentUa <= ua + 1e-9 && ua - seen.currentUa < 0.1 + 1e-9;
  }));
});

test("decoding gives the same messages however the bytes are chunked", () => {
  const lines = Array.from({ length: 12 }, (_, i) => encodeLine(i, "TEL", [1, 5000, `${i}.5`, 50, "-"]));
  const all = new Uint8Array(lines.flatMap((b) => [...b]));
  const whole = new TextCodec().decode(all);
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: all.length }), { maxLength: 20 }), (cuts) => {
    const codec = new TextCodec();
    const points = [...new Set([0, ...cuts, all.length])].sort((a, b) => a - b);
    const got = points.slice(1).flatMap((end, i) => codec.decode(all.subarray(points[i], end)));
    return JSON.stringify(got) === JSON.stringify(whole);
  }));
});

test("firmware refuses output before limits, above limits, and with a stale sequence", async () => {
  const sim = createSimulatedDevice();
  await sim.device.open();
  await sim.device.selectConfiguration(1);
  await sim.device.claimInterface(1);
  sim.firmware.setDtr(true);
  const sent: string[] = [];
  const deliver = sim.device.deliver.bind(sim.device);
  sim.device.deliver = (b) => {
    sent.push(text(b));
    deliver(b);
  };
  sim.setContact(true);
  const codec = new TextCodec();
  const send = (b: Uint8Array) => sim.device.transferOut(1, b as Uint8Array<ArrayBuffer>);
  const out = (ua: number) =>
    codec.output({ currentUa: ua, freqHz: 3, polarity: "alternating", validForMs: 100 });
  await send(codec.hello());
  await send(out(50));
  const early = out(60);
  await send(codec.limits({ maxCurrentUa: 100, maxSlewUaPerS: 99_999 }));
  await send(out(150));
  await send(early); // an older sequence number than the limits line
  await send(out(80));
  const all = sent.join("");
  assert.match(all, /NAK 1 no-limits/);
  assert.match(all, /NAK 4 above-limit/);
  assert.match(all, /NAK 2 stale-seq/);
  assert.match(all, /ACK 5/);
  sim.advance(5);
  assert.is(sim.outputUa, 80);
  sim.advance(100);
  assert.is(sim.outputUa, 0, "expired 100 ms after the last frame");
  sim.dispose();
});

test("closing the device drops DTR and clears the limits", async () => {
  const sim = createSimulatedDevice();
  await sim.device.open();
  sim.firmware.setDtr(true);
  const codec = new TextCodec();
  sim.firmware.receive(codec.hello());
  sim.firmware.receive(codec.limits({ maxCurrentUa: 100, maxSlewUaPerS: 1000 }));
  await sim.device.close();
  assert.is(sim.firmware.dtr, false);
  await sim.device.open();
  sim.firmware.setDtr(true);
  sim.setContact(true);
  sim.firmware.receive(codec.output({ currentUa: 50, freqHz: 3, polarity: "alternating", validForMs: 100 }));
  sim.advance(50);
  assert.is(sim.outputUa, 0);
  sim.dispose();
});

test.run();
