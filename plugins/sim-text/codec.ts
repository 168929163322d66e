/** GP-TXT host-side codec: engine commands → lines, device lines → messages (pure; no I/O). */
import {
  type DeviceLimits,
  type DeviceMessage,
  type DriverCodec,
  LineSplitter,
  type NakReason,
  type OutputCommand,
  type OutputInspection,
  type Polarity,
  SequenceTracker,
  validateOutputCommand,
} from "@glidepath/sdk";
import { encodeLine, formatUa, MAX_LINE, parseLine, parseUa, POLARITY_CODE } from "./protocol.ts";

// GP-TXT NAK reasons → the SDK's NAK vocabulary.
const TEXT_NAK: Record<string, NakReason> = {
  "bad-line": "bad-crc",
  "stale-seq": "bad-seq",
  "bad-args": "bad-args",
  "no-limits": "no-limits",
  "above-limit": "above-limit",
  "no-net-dc": "unsupported",
  "unknown-verb": "unsupported",
};

/** One connection's codec: numbers host lines, checks device lines and their sequence. */
export class TextCodec implements DriverCodec {
  #seq = 0;
  /** Sequence number of the last line encoded (-1 before the first). */
  lastSentSeq = -1;
  #lines = new LineSplitter({ maxLength: MAX_LINE });
  #peer = new SequenceTracker(256);

  #next(verb: string, args: (string | number)[] = []): Uint8Array {
    const bytes = encodeLine(this.#seq, verb, args);
    this.lastSentSeq = this.#seq;
    this.#seq = (this.#seq + 1) % 256;
    return bytes;
  }

  /** HELLO: starts a session on the device (clears its limits) and asks for INFO. */
  hello(): Uint8Array {
    this.#peer.reset();
    return this.#next("HELLO");
  }

  /** LIM <maxUa> <slewUaPerS>. */
  limits(limits: DeviceLimits): Uint8Array {
    const { maxCurrentUa, maxSlewUaPerS } = limits;
    if (!Number.isFinite(maxCurrentUa) || maxCurrentUa < 0 || maxCurrentUa > 500) {
      throw new RangeError(`Invalid limits maxCurrentUa: ${maxCurrentUa} (expected 0..500)`);
    }
    if (!Number.isFinite(maxSlewUaPerS) || maxSlewUaPerS <= 0 || maxSlewUaPerS > 99999) {
      throw new RangeError(`Invalid limits maxSlewUaPerS: ${maxSlewUaPerS} (expected 1..99999)`);
    }
    return this.#next("LIM", [formatUa(maxCurrentUa), Math.round(maxSlewUaPerS)]);
  }

  /** OUT <ua> <hz> <ALT|POS|NEG> <validMs>. */
  output(command: OutputCommand): Uint8Array {
    const c = validateOutputCommand(command);
    return this.#next("OUT", [
      formatUa(c.currentUa),
      Math.round(c.freqHz),
      POLARITY_CODE[c.polarity],
      c.validForMs,
    ]);
  }

  /** STOP: the device accepts it whatever its sequence number. */
  stop(): Uint8Array {
    return this.#next("STOP");
  }

  /** Splits bytes into lines and decodes each; bad lines become `corrupt`. */
  decode(chunk: Uint8Array): DeviceMessage[] {
    const out: DeviceMessage[] = [];
    for (const item of this.#lines.push(chunk)) {
      if (!item.ok) {
        out.push({ kind: "corrupt", reason: item.reason });
        continue;
      }
      const line = parseLine(item.line);
      if ("error" in line) {
        out.push({ kind: "corrupt", reason: line.error });
        continue;
      }
      const gap = this.#peer.accept(line.seq);
      if (gap) out.push({ kind: "corrupt", reason: gap });
      out.push(decodeLine(line.verb, line.args));
    }
    return out;
  }
}

function decodeLine(verb: string, args: string[]): DeviceMessage {
  const bad = (why: string): DeviceMessage => ({ kind: "corrupt", reason: `${verb}: ${why}` });
  switch (verb) {
    case "INFO": {
      const [model, firmware, max, mode] = args;
      const maxCurrentUa = parseUa(max);
      if (!model || !firmware || maxCurrentUa === null || (mode !== "AC" && mode !== "DC")) {
        return bad("malformed");
      }
      return { kind: "info", info: { model, firmware, maxCurrentUa, netDc: mode === "DC" } };
    }
    case "TEL": {
      const [contact, imp, meas, batt, faults] = args;
      const measuredUa = parseUa(meas);
      const impedanceOhm = imp === "OPEN" ? Infinity : /^\d{1,9}$/.test(imp ?? "") ? Number(imp) : null;
      const batteryPct = batt === "MAINS"
        ? null
        : /^(\d|[1-9]\d|100)$/.test(batt ?? "")
        ? Number(batt)
        : undefined;
      if (
        (contact !== "0" && contact !== "1") || measuredUa === null || impedanceOhm === null ||
        batteryPct === undefined || !faults
      ) {
        return bad("malformed");
      }
      return {
        kind: "telemetry",
        telemetry: {
          contact: contact === "1",
          impedanceOhm,
          measuredUa,
          batteryPct,
          faults: faults === "-" ? [] : faults.split(","),
        },
      };
    }
    case "ACK": {
      const seq = Number(args[0]);
      return args.length === 1 && Number.isInteger(seq) && seq >= 0 && seq < 256
        ? { kind: "ack", seq }
        : bad("malformed");
    }
    case "NAK": {
      const seq = Number(args[0]);
      const reason = args[1] === undefined ? undefined : TEXT_NAK[args[1]];
      if (args.length < 2 || !Number.isInteger(seq) || seq < 0 || seq > 255) return bad("malformed");
      const detail = `device refused line ${args[0]}: ${args[1]}`;
      // A line that failed its checksum has no trustworthy sequence (the firmware sends 0).
      return args[1] === "bad-line"
        ? { kind: "nak", reason: "bad-crc", detail }
        : { kind: "nak", reason: reason ?? "other", seq, detail };
    }
    case "FLT":
      return args[0] ? { kind: "fault", code: args[0], detail: args.slice(1).join(" ") } : bad("malformed");
    default:
      return bad("unknown verb");
  }
}

/** Reads back the current that host bytes command: OUT → its current, STOP → 0, anything else → null. */
export function inspectTextOutput(bytes: Uint8Array): OutputInspection | null {
  const text = new TextDecoder().decode(bytes);
  if (!text.endsWith("\n") || text.indexOf("\n") !== text.length - 1) return null;
  const line = parseLine(text.slice(0, -1));
  if ("error" in line) return null;
  if (line.verb === "STOP") return { currentUa: 0 };
  if (line.verb !== "OUT") return null;
  const ua = parseUa(line.args[0]);
  const polarity = (Object.keys(POLARITY_CODE) as Polarity[]).find((p) => POLARITY_CODE[p] === line.args[2]);
  const validForMs = Number(line.args[3]);
  if (ua === null || !polarity || !Number.isInteger(validForMs)) return null;
  return { currentUa: ua, polarity, validForMs };
}
