/** The device-driver contract: a pure codec between engine commands and device bytes (no I/O). */
import type { UsbControlParameters } from "./usb.ts";

/** What the device says about itself in reply to hello. */
export interface DeviceInfo {
  /** Model name, e.g. "GP-SIM-1". */
  model: string;
  /** Firmware version string. */
  firmware: string;
  /** Highest current the device can deliver, in µA. */
  maxCurrentUa: number;
  /** True when the device can deliver net-DC (single polarity) output. */
  netDc: boolean;
}

/** Limits written to the device at every (re)connect; the device refuses frames above them. */
export interface DeviceLimits {
  /** Output ceiling for this connection, in µA. */
  maxCurrentUa: number;
  /** Highest slew the device may follow, in µA per second. */
  maxSlewUaPerS: number;
}

/** Output polarity: alternating is charge-balanced; positive/negative only with a declared net-DC capability. */
export type Polarity = "alternating" | "positive" | "negative";

/** One output command for the device; it stops by itself when validForMs passes without a newer one. */
export interface OutputCommand {
  /** Output current in µA (0 = no output). */
  currentUa: number;
  /** Stimulation frequency in Hz. */
  freqHz: number;
  polarity: Polarity;
  /** How long the device may keep this output without a newer frame, in ms. */
  validForMs: number;
}

/** Telemetry decoded from the device. */
export interface Telemetry {
  /** True while both probes touch skin. */
  contact: boolean;
  /** Skin impedance between the probes, in ohms (Infinity when open). */
  impedanceOhm: number;
  /** Current the device measured it delivered, in µA. */
  measuredUa: number;
  /** Battery charge 0..100, or null when mains powered. */
  batteryPct: number | null;
  /** Active fault codes reported by the firmware (empty when healthy). */
  faults: string[];
}

/**
 * Why a device refused a host frame. Drivers map their protocol's NAK codes onto these; the host acts on them:
 * - `bad-crc`, `bad-length`, `bad-seq`: the frame was damaged or out of order on the way (integrity).
 *   Counted; the next frame follows 20 ms later. Many of them in a short time are a fault.
 * - `bad-args`: the frame was intact but a field was out of the device's range. Counted like integrity.
 * - `no-limits`: the device has no limits (it restarted): the host handshakes again and rewrites limits.
 * - `above-limit`: the frame asked more than the written limit: a fault, output stops.
 * - `unsupported`: a mode or message the device does not have (e.g. net-DC): a fault.
 * - `faulted`: the device refuses output while a firmware fault is active: a fault.
 * - `other`: any other refusal: a fault.
 */
export type NakReason =
  | "bad-crc"
  | "bad-length"
  | "bad-seq"
  | "bad-args"
  | "no-limits"
  | "above-limit"
  | "unsupported"
  | "faulted"
  | "other";

/** Every NakReason, for validating decoded messages. */
export const NAK_REASONS: readonly NakReason[] = [
  "bad-crc",
  "bad-length",
  "bad-seq",
  "bad-args",
  "no-limits",
  "above-limit",
  "unsupported",
  "faulted",
  "other",
];

/** True for the NAK reasons that mean a frame was damaged or out of range, not refused for safety. */
export function isTransientNak(reason: NakReason): boolean {
  return reason === "bad-crc" || reason === "bad-length" || reason === "bad-seq" || reason === "bad-args";
}

/** A message decoded from device bytes. */
export type DeviceMessage =
  | { kind: "info"; info: DeviceInfo }
  | { kind: "telemetry"; telemetry: Telemetry }
  | { kind: "ack"; seq: number }
  /**
   * The device refused a host frame. `seq` is the refused frame's sequence number when the device
   * names it (omit it when the frame was too damaged to read one); `detail` is free text for logs.
   */
  | { kind: "nak"; reason: NakReason; seq?: number; detail?: string }
  /** A firmware fault (over-current, over-temperature...): the host stops output and latches. */
  | { kind: "fault"; code: string; detail: string }
  /** Bytes that failed an integrity check; the host counts these and never trusts their content. */
  | { kind: "corrupt"; reason: string };

/** USB filters a driver declares; the host opens only devices that match one of them. */
export interface UsbFilter {
  vendorId: number;
  productId?: number;
  classCode?: number;
}

/**
 * A driver codec: turns commands into bytes to send and bytes received into messages.
 * It keeps only framing state (sequence numbers, partial input); it never touches a device.
 */
export interface DriverCodec {
  /**
   * Sequence number of the frame the last call encoded (optional but expected: the host matches the
   * ACK or NAK of a limits write to it; the conformance kit checks it). Negative or absent = unknown.
   */
  readonly lastSentSeq?: number;
  /** Bytes that ask the device for its DeviceInfo. */
  hello(): Uint8Array;
  /** Bytes that write the connection's limits. */
  limits(limits: DeviceLimits): Uint8Array;
  /** Bytes for one output frame. */
  output(command: OutputCommand): Uint8Array;
  /** Bytes that stop output at once. */
  stop(): Uint8Array;
  /** Feeds received bytes (any chunking) and returns every complete message in them. */
  decode(chunk: Uint8Array): DeviceMessage[];
}

/**
 * A control transfer the host makes right after claiming the interface, e.g. CDC-ACM
 * SET_CONTROL_LINE_STATE (DTR) so the device starts talking. Shape of WebUSB's USBControlTransferParameters.
 */
export interface UsbControlSetup extends UsbControlParameters {
  /** Data stage bytes (default none). */
  data?: number[];
}

/** What an output frame's bytes command, read back by the driver's own pure decoder. */
export interface OutputInspection {
  /** Output current the bytes command, in µA (0 for a stop). */
  currentUa: number;
  /** Polarity the bytes command, when the protocol carries it (the host checks it against the frame). */
  polarity?: Polarity;
  /** Validity the bytes give the frame on the device, in ms, when the protocol carries it (checked ≤ asked). */
  validForMs?: number;
}

/** A driver definition as a plugin exports it. */
export interface DriverDefinition {
  /** Stable id, e.g. "glidepath.sim-binary". */
  id: string;
  /** USB filters of the devices this driver speaks to. */
  filters: UsbFilter[];
  /** Endpoint numbers the host uses for bulk transfers. */
  endpoints: { interfaceNumber: number; out: number; in: number; packetSize: number };
  /** Creates a fresh codec for one connection. */
  createCodec(): DriverCodec;
  /** Control transfers to make after claiming the interface (default none). */
  controlSetup?: UsbControlSetup[];
  /**
   * Pure read-back of host-bound bytes: the current that bytes from output() or stop()
   * command, null for bytes that command no output (hello, limits). The plugin host
   * checks every output frame with it and stops a driver whose bytes ask for more than the
   * engine did; the conformance kit checks it against the simulated device. defineDriver()
   * requires it.
   */
  inspectOutput?(bytes: Uint8Array): OutputInspection | null;
}
