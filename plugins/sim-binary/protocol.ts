/** The SIM-1 wire protocol, both sides: framing with CRC-16 and a resyncing parser, then the message types and payloads. */
import type { DeviceInfo, DeviceLimits, OutputCommand, Polarity, Telemetry } from "@glidepath/sdk";
import { crc16 } from "@glidepath/sdk";

// Framing: start byte, type, sequence, u16 LE length, payload, CRC-16/CCITT-FALSE (LE).

/** First byte of every frame. */
const START_BYTE = 0xa5;
/** Header bytes before the payload: start, type, seq, len lo, len hi. */
const HEADER_SIZE = 5;
/** Bytes of CRC after the payload. */
const CRC_SIZE = 2;
/** Largest payload either side accepts; a longer declared length is corruption. */
const MAX_PAYLOAD = 64;

/** One frame that passed the length and CRC checks. */
export interface Frame {
  type: number;
  seq: number;
  payload: Uint8Array;
}

/** What the parser yields: a checked frame, or bytes it had to throw away and why. */
export type ParsedItem = { ok: true; frame: Frame } | { ok: false; reason: string };

/** Encodes one frame; the CRC covers the start byte, header and payload. */
export function encodeFrame(type: number, seq: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (!Number.isInteger(type) || type < 0 || type > 0xff) throw new RangeError(`Invalid frame type: ${type}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xff) throw new RangeError(`Invalid frame seq: ${seq}`);
  if (payload.length > MAX_PAYLOAD) {
    throw new RangeError(`Invalid payload length: ${payload.length} bytes (max ${MAX_PAYLOAD})`);
  }
  const out = new Uint8Array(HEADER_SIZE + payload.length + CRC_SIZE);
  out[0] = START_BYTE;
  out[1] = type;
  out[2] = seq;
  out[3] = payload.length & 0xff;
  out[4] = payload.length >> 8;
  out.set(payload, HEADER_SIZE);
  const crc = crc16(out, 0, HEADER_SIZE + payload.length);
  out[HEADER_SIZE + payload.length] = crc & 0xff;
  out[HEADER_SIZE + payload.length + 1] = crc >> 8;
  return out;
}

/**
 * Incremental frame parser: takes bytes in any chunking, skips garbage up to the next start byte,
 * and on a bad length or CRC drops only the start byte so a real frame inside the bad one is still found.
 */
export class FrameParser {
  #buf = new Uint8Array(256);
  #len = 0;
  // True while skipping bytes of one garbage run, so a run is reported once.
  #skipping = false;
  /** Bytes thrown away since creation. */
  skippedBytes = 0;

  /** Appends bytes and returns every frame (or rejection) now complete. */
  push(chunk: Uint8Array): ParsedItem[] {
    this.#append(chunk);
    const items: ParsedItem[] = [];
    let pos = 0;
    while (pos < this.#len) {
      if (this.#buf[pos] !== START_BYTE) {
        if (!this.#skipping) items.push({ ok: false, reason: "garbage before start byte" });
        this.#skipping = true;
        this.skippedBytes++;
        pos++;
        continue;
      }
      if (this.#len - pos < HEADER_SIZE) break;
      const length = this.#buf[pos + 3]! | (this.#buf[pos + 4]! << 8);
      if (length > MAX_PAYLOAD) {
        items.push({ ok: false, reason: `bad length: ${length} bytes (max ${MAX_PAYLOAD})` });
        this.#skipping = true;
        this.skippedBytes++;
        pos++;
        continue;
      }
      const total = HEADER_SIZE + length + CRC_SIZE;
      if (this.#len - pos < total) break;
      const expected = crc16(this.#buf, pos, pos + HEADER_SIZE + length);
      const got = this.#buf[pos + HEADER_SIZE + length]! | (this.#buf[pos + HEADER_SIZE + length + 1]! << 8);
      if (expected !== got) {
        items.push({ ok: false, reason: `bad CRC: got 0x${hex4(got)}, expected 0x${hex4(expected)}` });
        this.#skipping = true;
        this.skippedBytes++;
        pos++;
        continue;
      }
      const payload = this.#buf.slice(pos + HEADER_SIZE, pos + HEADER_SIZE + length);
      items.push({ ok: true, frame: { type: this.#buf[pos + 1]!, seq: this.#buf[pos + 2]!, payload } });
      this.#skipping = false;
      pos += total;
    }
    this.#buf.copyWithin(0, pos, this.#len);
    this.#len -= pos;
    return items;
  }

  /** Forgets any partial frame (e.g. after a reconnect). */
  reset(): void {
    this.#len = 0;
    this.#skipping = false;
  }

  #append(chunk: Uint8Array): void {
    if (this.#len + chunk.length > this.#buf.length) {
      const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + chunk.length));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(chunk, this.#len);
    this.#len += chunk.length;
  }
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, "0");
}

// Messages: type codes, NAK reasons, fault bits, and payload encoders/decoders for both sides.

/** Host → device message types. */
export const HostType = { HELLO: 0x01, LIMITS: 0x02, OUTPUT: 0x03, STOP: 0x04 } as const;
/** Device → host message types. */
export const DeviceType = { INFO: 0x81, ACK: 0x82, NAK: 0x83, TELEMETRY: 0x84, FAULT: 0x85 } as const;

/** Why the device refused a frame (NAK reason byte). */
export const NakReason: Record<number, string> = {
  0x01: "bad-crc",
  0x02: "bad-length",
  0x03: "bad-sequence",
  0x04: "above-limit",
  0x05: "no-limits",
  0x06: "unknown-type",
  0x07: "bad-payload",
  0x08: "unsupported",
  0x09: "faulted",
};
/** NAK reason name → byte. */
export const NAK: Record<string, number> = Object.fromEntries(
  Object.entries(NakReason).map(([k, v]) => [v, Number(k)]),
);

/** Telemetry fault bits (bit index → name); FAULT frames use the same codes. */
export const FAULT_BITS = ["overcurrent", "overtemperature", "low-battery", "watchdog", "internal"] as const;
/** A firmware fault name. */
export type FirmwareFault = typeof FAULT_BITS[number];

/** Polarity byte values. */
const POLARITY: Record<Polarity, number> = { alternating: 0, positive: 1, negative: 2 };
const POLARITY_NAMES: Polarity[] = ["alternating", "positive", "negative"];

/** Largest value a u16 in 0.1 units holds. */
const MAX_DECI_UA = 6553.5;
/** Impedance value meaning "open circuit". */
const IMPEDANCE_OPEN = 0xffffffff;

/** µA → u16 in 0.1 µA, rounding down so the device never gets more than asked. */
function toDeci(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0 || value > MAX_DECI_UA) {
    throw new RangeError(`Invalid ${field}: ${value} (expected 0..${MAX_DECI_UA})`);
  }
  return Math.floor(value * 10 + 1e-6);
}

function u16(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 0xffff) {
    throw new RangeError(`Invalid ${field}: ${value} (expected 0..65535)`);
  }
  return Math.round(value);
}

/** LIMITS payload: u16 maxCurrent (0.1 µA), u16 maxSlew (µA/s). */
export function encodeLimits(limits: DeviceLimits): Uint8Array {
  const out = new Uint8Array(4);
  const view = new DataView(out.buffer);
  view.setUint16(0, toDeci(limits.maxCurrentUa, "maxCurrentUa"), true);
  view.setUint16(2, u16(limits.maxSlewUaPerS, "maxSlewUaPerS"), true);
  return out;
}

/** Decodes a LIMITS payload, or null when it has the wrong size. */
export function decodeLimits(p: Uint8Array): DeviceLimits | null {
  if (p.length !== 4) return null;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return { maxCurrentUa: view.getUint16(0, true) / 10, maxSlewUaPerS: view.getUint16(2, true) };
}

/** OUTPUT payload: u16 current (0.1 µA), u16 freq (0.1 Hz), u8 polarity, u16 validForMs. */
export function encodeOutput(cmd: OutputCommand): Uint8Array {
  const polarity = POLARITY[cmd.polarity];
  if (polarity === undefined) throw new RangeError(`Invalid polarity: ${JSON.stringify(cmd.polarity)}`);
  if (!Number.isFinite(cmd.validForMs) || cmd.validForMs < 1 || cmd.validForMs > 0xffff) {
    throw new RangeError(`Invalid validForMs: ${cmd.validForMs} (expected 1..65535)`);
  }
  const out = new Uint8Array(7);
  const view = new DataView(out.buffer);
  view.setUint16(0, toDeci(cmd.currentUa, "currentUa"), true);
  if (!Number.isFinite(cmd.freqHz) || cmd.freqHz < 0 || cmd.freqHz > MAX_DECI_UA) {
    throw new RangeError(`Invalid freqHz: ${cmd.freqHz} (expected 0..${MAX_DECI_UA})`);
  }
  view.setUint16(2, Math.round(cmd.freqHz * 10), true);
  out[4] = polarity;
  view.setUint16(5, Math.round(cmd.validForMs), true);
  return out;
}

/** Decodes an OUTPUT payload, or null when malformed. */
export function decodeOutput(p: Uint8Array): OutputCommand | null {
  if (p.length !== 7) return null;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const polarity = POLARITY_NAMES[p[4]!];
  const validForMs = view.getUint16(5, true);
  if (!polarity || validForMs === 0) return null;
  return {
    currentUa: view.getUint16(0, true) / 10,
    freqHz: view.getUint16(2, true) / 10,
    polarity,
    validForMs,
  };
}

/** INFO payload: u16 max (0.1 µA), u8 flags (bit0 net-DC), u8 protocol, u8 n + model, u8 n + firmware. */
export function encodeInfo(info: DeviceInfo, protocol = 1): Uint8Array {
  const model = new TextEncoder().encode(info.model);
  const firmware = new TextEncoder().encode(info.firmware);
  const out = new Uint8Array(6 + model.length + firmware.length);
  new DataView(out.buffer).setUint16(0, toDeci(info.maxCurrentUa, "maxCurrentUa"), true);
  out[2] = info.netDc ? 1 : 0;
  out[3] = protocol;
  out[4] = model.length;
  out.set(model, 5);
  out[5 + model.length] = firmware.length;
  out.set(firmware, 6 + model.length);
  return out;
}

/** Decodes an INFO payload, or null when malformed (lengths disagree, non-printable text). */
export function decodeInfo(p: Uint8Array): DeviceInfo | null {
  if (p.length < 6) return null;
  const modelLen = p[4]!;
  if (p.length < 6 + modelLen) return null;
  const fwLen = p[5 + modelLen]!;
  if (p.length !== 6 + modelLen + fwLen) return null;
  const model = printable(p.subarray(5, 5 + modelLen));
  const firmware = printable(p.subarray(6 + modelLen));
  if (model === null || firmware === null || model === "") return null;
  const maxCurrentUa = new DataView(p.buffer, p.byteOffset, p.byteLength).getUint16(0, true) / 10;
  return { model, firmware, maxCurrentUa, netDc: (p[2]! & 1) === 1 };
}

function printable(bytes: Uint8Array): string | null {
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return null;
  return String.fromCharCode(...bytes);
}

/** TELEMETRY payload: u8 flags (bit0 contact), u32 impedance Ω, u16 measured (0.1 µA), u8 battery, u16 fault bits. */
export function encodeTelemetry(t: Telemetry): Uint8Array {
  const out = new Uint8Array(10);
  const view = new DataView(out.buffer);
  out[0] = t.contact ? 1 : 0;
  const z = Number.isFinite(t.impedanceOhm)
    ? Math.min(Math.round(t.impedanceOhm), IMPEDANCE_OPEN - 1)
    : IMPEDANCE_OPEN;
  view.setUint32(1, z, true);
  view.setUint16(5, toDeci(Math.min(t.measuredUa, MAX_DECI_UA), "measuredUa"), true);
  out[7] = t.batteryPct === null ? 0xff : Math.round(t.batteryPct);
  view.setUint16(8, faultBits(t.faults), true);
  return out;
}

/** Decodes a TELEMETRY payload, or null when malformed. */
export function decodeTelemetry(p: Uint8Array): Telemetry | null {
  if (p.length !== 10 || (p[0]! & 0xfe) !== 0) return null;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const battery = p[7]!;
  if (battery > 100 && battery !== 0xff) return null;
  const z = view.getUint32(1, true);
  const bits = view.getUint16(8, true);
  const faults: string[] = [];
  for (let i = 0; i < 16; i++) if (bits & (1 << i)) faults.push(FAULT_BITS[i] ?? `fault-bit-${i}`);
  return {
    contact: p[0] === 1,
    impedanceOhm: z === IMPEDANCE_OPEN ? Infinity : z,
    measuredUa: view.getUint16(5, true) / 10,
    batteryPct: battery === 0xff ? null : battery,
    faults,
  };
}

/** Fault names → bit mask (unknown names are ignored). */
function faultBits(faults: readonly string[]): number {
  let bits = 0;
  for (const f of faults) {
    const i = (FAULT_BITS as readonly string[]).indexOf(f);
    if (i >= 0) bits |= 1 << i;
  }
  return bits;
}
