/** SIM-1 codec: byte fixtures (hand-computed CRCs), CRC known answer, chunking, resync, sequence tracking. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { crc16, type DeviceMessage, NAK_REASONS, type OutputCommand } from "@glidepath/sdk";
import { createSimBinaryCodec, encodeFrame, inspectSimOutput } from "../../plugins/sim-binary/mod.ts";

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).map((b) => parseInt(b, 16)));
const show = (b: Uint8Array) => [...b].map((x) => x.toString(16).toUpperCase().padStart(2, "0")).join(" ");

// Expected bytes computed independently (bitwise CRC in Python), not by the code under test.
const HOST_FIXTURES: {
  name: string;
  encode: (c: ReturnType<typeof createSimBinaryCodec>) => Uint8Array;
  seq: number;
  bytes: string;
}[] = [
  { name: "hello", encode: (c) => c.hello(), seq: 0, bytes: "A5 01 00 00 00 8B 6E" },
  {
    name: "limits 500 µA, 100 µA/s",
    encode: (c) => c.limits({ maxCurrentUa: 500, maxSlewUaPerS: 100 }),
    seq: 1,
    bytes: "A5 02 01 04 00 88 13 64 00 B0 C3",
  },
  {
    name: "output 12.3 µA 3 Hz alternating 100 ms",
    encode: (c) => c.output({ currentUa: 12.3, freqHz: 3, polarity: "alternating", validForMs: 100 }),
    seq: 2,
    bytes: "A5 03 02 07 00 7B 00 1E 00 00 64 00 D0 9A",
  },
  {
    name: "output 250 µA 0.5 Hz at seq 255",
    encode: (c) => c.output({ currentUa: 250, freqHz: 0.5, polarity: "alternating", validForMs: 100 }),
    seq: 255,
    bytes: "A5 03 FF 07 00 C4 09 05 00 00 64 00 84 F1",
  },
  { name: "stop at seq 5", encode: (c) => c.stop(), seq: 5, bytes: "A5 04 05 00 00 3E 39" },
];

function codecAtSeq(seq: number) {
  const codec = createSimBinaryCodec();
  for (let i = 0; i < seq; i++) codec.hello();
  return codec;
}

test('CRC-16/CCITT-FALSE of "123456789" is 0x29B1', () => {
  assert.is(crc16(new TextEncoder().encode("123456789")), 0x29b1);
  assert.is(crc16(new Uint8Array(0)), 0xffff);
});

for (const f of HOST_FIXTURES) {
  test(`codec encodes ${f.name} to the fixture bytes`, () => {
    const codec = codecAtSeq(f.seq);
    assert.is(show(f.encode(codec)), show(hex(f.bytes)));
    assert.is(codec.lastSentSeq, f.seq);
  });
}

const DEVICE_FIXTURES: { name: string; bytes: string; expect: DeviceMessage }[] = [
  {
    name: "INFO",
    bytes: "A5 81 00 13 00 88 13 00 01 08 47 50 2D 53 49 4D 2D 31 05 31 2E 30 2E 30 43 F6",
    expect: { kind: "info", info: { model: "GP-SIM-1", firmware: "1.0.0", maxCurrentUa: 500, netDc: false } },
  },
  {
    name: "TELEMETRY with contact",
    bytes: "A5 84 01 0A 00 01 A0 0F 00 00 E7 03 FF 00 00 DF E6",
    expect: {
      kind: "telemetry",
      telemetry: { contact: true, impedanceOhm: 4000, measuredUa: 99.9, batteryPct: null, faults: [] },
    },
  },
  {
    name: "TELEMETRY open circuit with battery and fault bits",
    bytes: "A5 84 01 0A 00 00 FF FF FF FF 00 00 57 05 00 66 8D",
    expect: {
      kind: "telemetry",
      telemetry: {
        contact: false,
        impedanceOhm: Infinity,
        measuredUa: 0,
        batteryPct: 87,
        faults: ["overcurrent", "low-battery"],
      },
    },
  },
  { name: "ACK", bytes: "A5 82 02 02 00 03 03 DD DE", expect: { kind: "ack", seq: 3 } },
  {
    name: "NAK above-limit",
    bytes: "A5 83 03 03 00 04 03 04 37 65",
    expect: {
      kind: "nak",
      reason: "above-limit",
      seq: 4,
      detail: "device refused frame 4 (type 0x03): above-limit",
    },
  },
  {
    name: "FAULT overcurrent",
    bytes: "A5 85 04 01 00 00 7F 50",
    expect: { kind: "fault", code: "overcurrent", detail: "device reported overcurrent" },
  },
];

for (const f of DEVICE_FIXTURES) {
  test(`codec decodes the ${f.name} fixture`, () => {
    assert.equal(createSimBinaryCodec().decode(hex(f.bytes)), [f.expect]);
  });
}

test("decoding does not depend on chunking (any split of a device stream)", () => {
  // Fixtures 2 and 3 share seq 1; leave one out so the stream's sequence is valid.
  const whole = hex(DEVICE_FIXTURES.filter((_, i) => i !== 2).map((f) => f.bytes).join(" "));
  const expected = createSimBinaryCodec().decode(whole);
  assert.is(expected.length, 5);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: whole.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const codec = createSimBinaryCodec();
      const got: DeviceMessage[] = [];
      let from = 0;
      for (const p of [...points, whole.length]) {
        got.push(...codec.decode(whole.subarray(from, p)));
        from = p;
      }
      assert.equal(got, expected);
    }),
    { numRuns: 300 },
  );
});

test("garbage before and between frames is skipped, reported once per run, and frames still decode", () => {
  const ack = encodeFrame(0x82, 1, Uint8Array.of(3, 3));
  const info = hex(DEVICE_FIXTURES[0]!.bytes);
  const codec = createSimBinaryCodec();
  const out = codec.decode(Uint8Array.of(0x00, 0x13, 0x37, ...info, 0xff, 0xfe, ...ack));
  assert.equal(out.map((m) => m.kind), ["corrupt", "info", "corrupt", "ack"]);
  assert.is(codec.stats.skippedBytes, 5);
});

test("a flipped bit anywhere in a frame is reported as corrupt, never decoded as data", () => {
  const frame = hex(DEVICE_FIXTURES[1]!.bytes);
  // Followed by idle padding so a flipped length byte cannot leave the frame waiting for more bytes.
  const padding = new Uint8Array(80);
  for (let bit = 0; bit < frame.length * 8; bit++) {
    const bad = frame.slice();
    bad[bit >> 3]! ^= 1 << (bit & 7);
    const out = createSimBinaryCodec().decode(Uint8Array.of(...bad, ...padding));
    assert.ok(out.some((m) => m.kind === "corrupt"), `bit ${bit}: nothing reported`);
    assert.ok(out.every((m) => m.kind === "corrupt"), `bit ${bit}: ${JSON.stringify(out)}`);
  }
});

test("a bad CRC is reported and the next good frame after it is still found (resync)", () => {
  const tel = hex(DEVICE_FIXTURES[1]!.bytes);
  tel[tel.length - 1]! ^= 0x01;
  const ack = hex("A5 82 02 02 00 03 03 DD DE");
  const out = createSimBinaryCodec().decode(Uint8Array.of(...tel, ...ack));
  assert.is(out[0]!.kind, "corrupt");
  assert.match((out[0] as { reason: string }).reason, /bad CRC/);
  assert.equal(out[out.length - 1], { kind: "ack", seq: 3 });
});

test("a declared length above 64 is reported as bad length without waiting for the bytes", () => {
  const out = createSimBinaryCodec().decode(hex("A5 84 01 FF 00"));
  assert.is(out.length, 1);
  assert.match((out[0] as { reason: string }).reason, /bad length: 255/);
});

test("a well-framed TELEMETRY with the wrong payload size is corrupt", () => {
  const out = createSimBinaryCodec().decode(encodeFrame(0x84, 0, Uint8Array.of(1, 2, 3)));
  assert.is(out[0]!.kind, "corrupt");
});

test("host sequence wraps from 255 to 0", () => {
  const codec = codecAtSeq(255);
  assert.is(codec.stop()[2], 255);
  assert.is(codec.stop()[2], 0);
  assert.is(codec.stop()[2], 1);
});

test("device sequence: wrap 255 → 0 is fine, a repeat is corrupt, a gap is reported before the message", () => {
  const codec = createSimBinaryCodec();
  const tel = (seq: number) => encodeFrame(0x84, seq, Uint8Array.of(1, 0xa0, 0x0f, 0, 0, 0, 0, 0xff, 0, 0));
  codec.decode(encodeFrame(0x82, 254, Uint8Array.of(0, 3)));
  assert.equal(codec.decode(tel(255)).map((m) => m.kind), ["telemetry"]);
  assert.equal(codec.decode(tel(0)).map((m) => m.kind), ["telemetry"]);
  const repeat = codec.decode(tel(0));
  assert.equal(repeat.map((m) => m.kind), ["corrupt"]);
  assert.match((repeat[0] as { reason: string }).reason, /bad sequence: 0 after 0/);
  const gap = codec.decode(tel(3));
  assert.equal(gap.map((m) => m.kind), ["corrupt", "telemetry"]);
  assert.match((gap[0] as { reason: string }).reason, /2 frame\(s\) lost/);
  assert.is(codec.stats.lost, 2);
  // INFO restarts the count (the device restarts at 0 on HELLO).
  assert.is(codec.decode(hex(DEVICE_FIXTURES[0]!.bytes))[0]!.kind, "info");
  assert.equal(codec.decode(tel(1)).map((m) => m.kind), ["telemetry"]);
});

test("codec refuses commands outside the envelope with a RangeError naming the field, without using a sequence number", () => {
  const codec = createSimBinaryCodec();
  const ok: OutputCommand = { currentUa: 10, freqHz: 3, polarity: "alternating", validForMs: 100 };
  assert.throws(() => codec.output({ ...ok, currentUa: 501 }), /currentUa: 501/);
  assert.throws(() => codec.output({ ...ok, currentUa: NaN }), /currentUa/);
  assert.throws(() => codec.output({ ...ok, validForMs: 0 }), /validForMs/);
  assert.throws(() => codec.output({ ...ok, polarity: "sideways" as never }), /polarity/);
  assert.throws(() => codec.limits({ maxCurrentUa: 600, maxSlewUaPerS: 100 }), /maxCurrentUa: 600/);
  assert.is(codec.lastSentSeq, -1);
  assert.is(codec.output(ok)[2], 0);
});

test("currents round down to 0.1 µA so the device never gets more than asked", () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 500, noNaN: true }), (ua) => {
      const bytes = createSimBinaryCodec().output({
        currentUa: ua,
        freqHz: 3,
        polarity: "alternating",
        validForMs: 100,
      });
      const back = inspectSimOutput(bytes)!.currentUa;
      assert.ok(back <= ua + 1e-9 && back > ua - 0.1 - 1e-9, `${ua} → ${back}`);
    }),
  );
});

test("inspectSimOutput reads current, polarity and validity of output, 0 for stop, null for hello and limits", () => {
  const codec = createSimBinaryCodec();
  assert.is(inspectSimOutput(codec.hello()), null);
  assert.is(inspectSimOutput(codec.limits({ maxCurrentUa: 100, maxSlewUaPerS: 100 })), null);
  assert.equal(inspectSimOutput(codec.stop()), { currentUa: 0 });
  assert.equal(
    inspectSimOutput(codec.output({ currentUa: 42, freqHz: 3, polarity: "negative", validForMs: 80 })),
    { currentUa: 42, polarity: "negative", validForMs: 80 },
  );
});

test("NAKs decode to the SDK vocabulary: integrity naks carry no sequence, refusals name the refused frame", () => {
  const nak = (seq: number, reason: number) => {
    const codec = createSimBinaryCodec();
    return codec.decode(encodeFrame(0x83, 0, Uint8Array.of(seq, 0x03, reason)));
  };
  assert.equal(nak(7, 0x01)[0], {
    kind: "nak",
    reason: "bad-crc",
    detail: "device refused frame 7 (type 0x03): bad-crc",
  });
  assert.equal(nak(7, 0x03)[0], {
    kind: "nak",
    reason: "bad-seq",
    seq: 7,
    detail: "device refused frame 7 (type 0x03): bad-sequence",
  });
  const reasons = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0x42].map((r) => nak(1, r)[0]);
  for (const m of reasons) assert.ok(m?.kind === "nak" && NAK_REASONS.includes(m.reason), JSON.stringify(m));
  assert.equal(
    reasons.map((m) => m?.kind === "nak" && m.reason),
    [
      "bad-crc",
      "bad-length",
      "bad-seq",
      "above-limit",
      "no-limits",
      "unsupported",
      "bad-args",
      "unsupported",
      "faulted",
      "other",
    ],
  );
});

test.run();
