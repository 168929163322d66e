/** SIM-1 framing: start byte, type, sequence, u16 LE length, payload, CRC-16/CCITT-FALSE (LE) — and a resyncing parser. */
import { crc16 } from "@glidepath/sdk";

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
