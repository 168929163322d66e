/** The SIM-1 driver: the host's codec (commands → frames, frames → device messages), the output read-back, the definition. */
import {
  defineDriver,
  type DeviceLimits,
  type DeviceMessage,
  type DriverCodec,
  HARD_CEILING_UA,
  type NakReason as SdkNakReason,
  type OutputCommand,
  type OutputInspection,
  validateOutputCommand,
} from "@glidepath/sdk";
import {
  decodeInfo,
  decodeOutput,
  decodeTelemetry,
  DeviceType,
  encodeFrame,
  encodeLimits,
  encodeOutput,
  FAULT_BITS,
  FrameParser,
  HostType,
  NakReason,
} from "./protocol.ts";

/** pid.codes test vendor id used by the SIM-1. */
export const SIM1_VENDOR_ID = 0x1209;
/** SIM-1 product id. */
export const SIM1_PRODUCT_ID = 0x6750;

// SIM-1 NAK reason names → the SDK's NAK vocabulary.
const SDK_NAK: Record<string, SdkNakReason> = {
  "bad-crc": "bad-crc",
  "bad-length": "bad-length",
  "bad-sequence": "bad-seq",
  "above-limit": "above-limit",
  "no-limits": "no-limits",
  "unknown-type": "unsupported",
  "bad-payload": "bad-args",
  "unsupported": "unsupported",
  "faulted": "faulted",
};

/** Counters a SIM-1 codec keeps for diagnostics. */
export interface SimCodecStats {
  /** Frames encoded. */
  sent: number;
  /** Frames decoded that passed every check. */
  received: number;
  /** Integrity failures reported as {kind: "corrupt"}. */
  corrupt: number;
  /** Device frames missing from the sequence (gaps). */
  lost: number;
  /** Bytes discarded while resyncing. */
  skippedBytes: number;
}

/** A SIM-1 codec: the DriverCodec contract plus sequence state and counters. */
export interface SimBinaryCodec extends DriverCodec {
  /** Sequence number of the last frame encoded (-1 before the first). */
  readonly lastSentSeq: number;
  readonly stats: SimCodecStats;
}

/** Creates a codec for one connection; the host sequence starts at 0 and wraps after 255. */
export function createSimBinaryCodec(): SimBinaryCodec {
  const parser = new FrameParser();
  let nextSeq = 0;
  let lastSentSeq = -1;
  // Last accepted device sequence; null until INFO (the device restarts at 0 on HELLO).
  let lastDeviceSeq: number | null = null;
  const stats: SimCodecStats = { sent: 0, received: 0, corrupt: 0, lost: 0, skippedBytes: 0 };

  function frame(type: number, payload?: Uint8Array): Uint8Array {
    const bytes = encodeFrame(type, nextSeq, payload);
    lastSentSeq = nextSeq;
    nextSeq = (nextSeq + 1) & 0xff;
    stats.sent++;
    return bytes;
  }

  function corrupt(reason: string): DeviceMessage {
    stats.corrupt++;
    return { kind: "corrupt", reason };
  }

  function interpret(type: number, seq: number, p: Uint8Array): DeviceMessage[] {
    const gap = checkSequence(type, seq);
    if (gap?.kind === "corrupt" && gap.reason.startsWith("bad sequence")) return [gap];
    const message = decodeMessage(type, p);
    if (message.kind !== "corrupt") lastDeviceSeq = seq;
    return gap ? [gap, message] : [message];
  }

  // Device frames count up by one: a repeat or an older number is a replay we must not trust;
  // a jump means frames were lost on the way, which the host must hear about too.
  function checkSequence(type: number, seq: number): DeviceMessage | null {
    if (type === DeviceType.INFO || lastDeviceSeq === null) return null;
    const step = (seq - lastDeviceSeq) & 0xff;
    if (step === 0 || step >= 128) return corrupt(`bad sequence: ${seq} after ${lastDeviceSeq}`);
    if (step === 1) return null;
    stats.lost += step - 1;
    return corrupt(`sequence gap: ${step - 1} frame(s) lost between ${lastDeviceSeq} and ${seq}`);
  }

  function decodeMessage(type: number, p: Uint8Array): DeviceMessage {
    if (type === DeviceType.INFO) {
      const info = decodeInfo(p);
      if (!info) return corrupt(`malformed INFO payload (${p.length} bytes)`);
      return { kind: "info", info };
    }
    let message: DeviceMessage | null = null;
    if (type === DeviceType.TELEMETRY) {
      const telemetry = decodeTelemetry(p);
      if (telemetry) message = { kind: "telemetry", telemetry };
    } else if (type === DeviceType.ACK && p.length === 2) {
      message = { kind: "ack", seq: p[0]! };
    } else if (type === DeviceType.NAK && p.length === 3) {
      const name = NakReason[p[2]!] ?? `reason-${p[2]}`;
      const reason = SDK_NAK[name] ?? "other";
      // The firmware cannot read the sequence of a frame that failed its CRC or length check (it sends 0).
      const known = reason !== "bad-crc" && reason !== "bad-length";
      message = {
        kind: "nak",
        reason,
        ...(known ? { seq: p[0]! } : {}),
        detail: `device refused frame ${p[0]} (type 0x${p[1]!.toString(16).padStart(2, "0")}): ${name}`,
      };
    } else if (type === DeviceType.FAULT && p.length === 1) {
      const code = FAULT_BITS[p[0]!] ?? `fault-${p[0]}`;
      message = { kind: "fault", code, detail: `device reported ${code}` };
    } else if (!Object.values(DeviceType).includes(type as never)) {
      return corrupt(`unknown frame type 0x${type.toString(16).padStart(2, "0")}`);
    }
    if (!message) return corrupt(`malformed payload for type 0x${type.toString(16)} (${p.length} bytes)`);
    return message;
  }

  return {
    get lastSentSeq() {
      return lastSentSeq;
    },
    get stats() {
      return { ...stats, skippedBytes: parser.skippedBytes };
    },
    hello: () => frame(HostType.HELLO),
    limits(limits: DeviceLimits) {
      if (!(limits?.maxCurrentUa <= HARD_CEILING_UA)) {
        throw new RangeError(
          `Invalid limits maxCurrentUa: ${limits?.maxCurrentUa} (expected 0..${HARD_CEILING_UA})`,
        );
      }
      return frame(HostType.LIMITS, encodeLimits(limits));
    },
    output: (command: OutputCommand) => frame(HostType.OUTPUT, encodeOutput(validateOutputCommand(command))),
    stop: () => frame(HostType.STOP),
    decode(chunk: Uint8Array): DeviceMessage[] {
      const out: DeviceMessage[] = [];
      for (const item of parser.push(chunk)) {
        if (!item.ok) out.push(corrupt(item.reason));
        else {
          for (const message of interpret(item.frame.type, item.frame.seq, item.frame.payload)) {
            if (message.kind !== "corrupt") stats.received++;
            out.push(message);
          }
        }
      }
      return out;
    },
  };
}

/** Reads back what host-bound bytes command: the OUTPUT current, 0 for STOP, null for anything else. */
export function inspectSimOutput(bytes: Uint8Array): OutputInspection | null {
  let seen: OutputInspection | null = null;
  for (const item of new FrameParser().push(bytes)) {
    if (!item.ok) continue;
    const { type, payload } = item.frame;
    if (type === HostType.STOP && seen === null) seen = { currentUa: 0 };
    const cmd = type === HostType.OUTPUT ? decodeOutput(payload) : null;
    if (cmd && (seen === null || cmd.currentUa >= seen.currentUa)) {
      seen = { currentUa: cmd.currentUa, polarity: cmd.polarity, validForMs: cmd.validForMs };
    }
  }
  return seen;
}

/** Driver for the Glidepath SIM-1: vendor-specific interface 0, bulk endpoint 1 in and out, 64-byte packets. */
export const simBinaryDriver = defineDriver({
  id: "glidepath.sim-binary",
  filters: [{ vendorId: SIM1_VENDOR_ID, productId: SIM1_PRODUCT_ID }],
  endpoints: { interfaceNumber: 0, out: 1, in: 1, packetSize: 64 },
  createCodec: createSimBinaryCodec,
  inspectOutput: inspectSimOutput,
});

/** The plugin entry's default export is the driver definition. */
export default simBinaryDriver;
