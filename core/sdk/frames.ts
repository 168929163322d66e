/** Framing helpers for driver codecs: CRCs, a line splitter for text protocols, sequence tracking. */

const CRC8_TABLE = (() => {
  const t = new Uint8Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    t[n] = c;
  }
  return t;
})();

/** CRC-8/SMBUS (poly 0x07, init 0): "123456789" gives 0xF4. Detects every error burst up to 8 bits. */
export function crc8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0;
  for (let i = start; i < end; i++) c = CRC8_TABLE[c ^ bytes[i]!]!;
  return c;
}

const CRC16_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let b = 0; b < 8; b++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[n] = c;
  }
  return t;
})();

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): "123456789" gives 0x29B1. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = 0xffff;
  for (let i = start; i < end; i++) c = ((c << 8) & 0xffff) ^ CRC16_TABLE[((c >> 8) ^ bytes[i]!) & 0xff]!;
  return c;
}

/** Options for LineSplitter. */
export interface LineSplitterOptions {
  /** Longest line accepted, in bytes without the newline (default 128); longer lines are dropped whole. */
  maxLength?: number;
}

/** One item from LineSplitter: a complete line (without "\n" or "\r\n"), or an over-long line it dropped. */
export type SplitLine = { ok: true; line: string } | { ok: false; reason: string };

/** Splits a byte stream (any chunking) into ASCII lines; bytes outside printable ASCII are kept for the checksum to catch. */
export class LineSplitter {
  #buf: number[] = [];
  #overflow = false;
  readonly #max: number;

  constructor(options: LineSplitterOptions = {}) {
    this.#max = options.maxLength ?? 128;
  }

  /** Feeds bytes and returns every line now complete. */
  push(chunk: Uint8Array): SplitLine[] {
    const out: SplitLine[] = [];
    for (const byte of chunk) {
      if (byte === 0x0a) {
        if (this.#overflow) out.push({ ok: false, reason: `line longer than ${this.#max} bytes` });
        else {
          if (this.#buf[this.#buf.length - 1] === 0x0d) this.#buf.pop();
          out.push({ ok: true, line: String.fromCharCode(...this.#buf) });
        }
        this.#buf = [];
        this.#overflow = false;
      } else if (!this.#overflow) {
        this.#buf.push(byte);
        if (this.#buf.length > this.#max + 1) {
          this.#overflow = true;
          this.#buf = [];
        }
      }
    }
    return out;
  }
}

/**
 * Tracks a peer's sequence numbers (modulo `modulo`): reports a gap when one or more were
 * skipped and a repeat when a number comes again.
 */
export class SequenceTracker {
  #last: number | null = null;
  constructor(readonly modulo = 256) {}

  /** Records seq; returns null when it follows the previous one, else a reason. */
  accept(seq: number): string | null {
    const last = this.#last;
    this.#last = seq;
    if (last === null) return null;
    const step = (seq - last + this.modulo) % this.modulo;
    if (step === 1) return null;
    if (step === 0) return `sequence ${seq} repeated`;
    return `sequence gap: ${last} then ${seq} (${step - 1} missing)`;
  }

  /** Forgets the last number (a new connection). */
  reset(): void {
    this.#last = null;
  }
}

/** Two upper-case hex digits. */
export function hex2(n: number): string {
  return (n & 0xff).toString(16).toUpperCase().padStart(2, "0");
}
