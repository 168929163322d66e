/** Acme Glow G2 codec: written only against the public SDK ("@glidepath/sdk"). */
import {
  type DeviceLimits,
  type DeviceMessage,
  type DriverCodec,
  type OutputCommand,
  type OutputInspection,
  SequenceTracker,
  validateOutputCommand,
} from "@glidepath/sdk";
import { FAULT_CODES, le16, MAGIC, NAK_CODES, PACKET, packet, packetOk, T, u16 } from "./protocol.ts";

/** Codec for one connection. */
export class GlowCodec implements DriverCodec {
  #seq = 0;
  /** Sequence number of the last packet encoded (-1 before the first). */
  lastSentSeq = -1;
  #buf: number[] = [];
  #peer = new SequenceTracker(256);

  #next(type: number, payload: number[] = []): Uint8Array {
    const p = packet(type, this.#seq, payload);
    this.lastSentSeq = this.#seq;
    this.#seq = (this.#seq + 1) & 0xff;
    return p;
  }

  hello(): Uint8Array {
    this.#peer.reset();
    return this.#next(T.HELLO);
  }

  limits(limits: DeviceLimits): Uint8Array {
    if (!(limits.maxCurrentUa >= 0 && limits.maxCurrentUa <= 500)) {
      throw new RangeError(`Invalid maxCurrentUa: ${limits.maxCurrentUa}`);
    }
    if (!(limits.maxSlewUaPerS > 0 && limits.maxSlewUaPerS <= 65535)) {
      throw new RangeError(`Invalid maxSlewUaPerS: ${limits.maxSlewUaPerS}`);
    }
    return this.#next(T.LIMIT, [
      ...le16(Math.floor(limits.maxCurrentUa * 10)),
      ...le16(Math.round(limits.maxSlewUaPerS)),
    ]);
  }

  output(command: OutputCommand): Uint8Array {
    const c = validateOutputCommand(command);
    if (c.polarity !== "alternating") {
      throw new RangeError(`Invalid polarity "${c.polarity}": the Glow G2 has no net-DC mode`);
    }
    const deci = Math.floor(c.currentUa * 10 + 1e-6); // round down: never more than asked
    const validity = Math.max(1, Math.min(10, Math.floor(c.validForMs / 10))); // 10 ms units, ≤ 100 ms, rounded down
    return this.#next(T.OUT, [...le16(deci), Math.min(255, Math.round(c.freqHz)), validity]);
  }

  stop(): Uint8Array {
    return this.#next(T.STOP);
  }

  decode(chunk: Uint8Array): DeviceMessage[] {
    const out: DeviceMessage[] = [];
    this.#buf.push(...chunk);
    let skipped = 0;
    while (this.#buf.length >= PACKET || (this.#buf.length > 0 && this.#buf[0] !== MAGIC)) {
      if (this.#buf[0] !== MAGIC) {
        this.#buf.shift();
        skipped++;
        continue;
      }
      const p = new Uint8Array(this.#buf.slice(0, PACKET));
      if (!packetOk(p)) {
        this.#buf.shift(); // resync: a real packet may start inside the bad one
        skipped++;
        continue;
      }
      if (skipped) out.push({ kind: "corrupt", reason: `${skipped} byte(s) failed the CRC or framing` });
      skipped = 0;
      this.#buf.splice(0, PACKET);
      const gap = this.#peer.accept(p[2]!);
      if (gap) out.push({ kind: "corrupt", reason: gap });
      out.push(decodePacket(p));
    }
    if (skipped) out.push({ kind: "corrupt", reason: `${skipped} byte(s) failed the CRC or framing` });
    return out;
  }
}

function decodePacket(p: Uint8Array): DeviceMessage {
  switch (p[1]) {
    case T.INFO:
      return {
        kind: "info",
        info: {
          model: "Acme Glow G2",
          firmware: `${p[5]}.${p[6]}`,
          maxCurrentUa: u16(p[3]!, p[4]!) / 10,
          netDc: false,
        },
      };
    case T.TEL: {
      const flags = p[6]!;
      const kohm = p[5]!;
      const faults = [...(flags & 2 ? ["overcurrent"] : []), ...(flags & 4 ? ["low-battery"] : [])];
      return {
        kind: "telemetry",
        telemetry: {
          contact: (flags & 1) === 1,
          impedanceOhm: kohm === 255 ? Infinity : kohm * 1000,
          measuredUa: u16(p[3]!, p[4]!) / 10,
          batteryPct: null,
          faults,
        },
      };
    }
    case T.FAULT: {
      const nak = NAK_CODES[p[3]!];
      if (nak) return { kind: "nak", reason: nak, seq: p[4]!, detail: `packet ${p[4]} refused: ${nak}` };
      return { kind: "fault", code: FAULT_CODES[p[3]!] ?? `code-${p[3]}`, detail: `packet ${p[4]}` };
    }
    case T.ACK:
      return { kind: "ack", seq: p[3]! };
    default:
      return { kind: "corrupt", reason: `unknown packet type 0x${p[1]!.toString(16)}` };
  }
}

/** Reads back what host bytes command: OUT → its current, STOP → 0, anything else → null. */
export function inspectGlowOutput(bytes: Uint8Array): OutputInspection | null {
  if (bytes.length !== PACKET || !packetOk(bytes)) return null;
  if (bytes[1] === T.STOP) return { currentUa: 0 };
  // The Glow has no net-DC mode: every OUT packet is alternating.
  if (bytes[1] === T.OUT) {
    return { currentUa: u16(bytes[3]!, bytes[4]!) / 10, polarity: "alternating", validForMs: bytes[6]! * 10 };
  }
  return null;
}
