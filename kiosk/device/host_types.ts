/** Public types of the device host: the USB registry it reads, its options, and its /api/health status. */
import type { Clock } from "../../core/sdk/mod.ts";
import type { HostUsbDevice } from "./_connection.ts";

/** A navigator.usb-like source of devices: the npm `usb` WebUSB adapter or the simulated registry. */
export interface UsbRegistryLike {
  getDevices(): Promise<HostUsbDevice[]>;
  addEventListener?(type: "connect" | "disconnect", listener: (event: Event) => void): void;
  removeEventListener?(type: "connect" | "disconnect", listener: (event: Event) => void): void;
}

/** Options for DeviceHost; every field has a default. */
export interface DeviceHostOptions {
  /** Clock and timers. Default: wall clock. */
  clock?: Clock;
  /**
   * Operator cap in µA; limits written = min(device max, plugin manifest max, 500 µA ceiling, this).
   * Default 500.
   */
  operatorCapUa?: number;
  /** Slew limit written to the device, in µA/s. Default 100 (DESIGN §3 rule 4). */
  maxSlewUaPerS?: number;
  /** No telemetry for longer than this is a fault. Default 200 ms. */
  telemetryTimeoutMs?: number;
  /** No telemetry for longer than this drops the connection and reconnects. Default 1000 ms. */
  staleReconnectMs?: number;
  /** How long to wait for INFO after hello and for the ACK of limits. Default 500 ms. */
  replyTimeoutMs?: number;
  /** Reconnect backoff: first delay and cap, doubling in between. Default 250 ms → 4000 ms. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Cross-check tolerances. Default: max(10 µA, 10 %) over the commands of the last 150 ms. */
  crossCheck?: CrossCheckOptions;
  /**
   * Damaged or out-of-order frames the device refuses (NAK bad-crc, bad-length, bad-seq, bad-args) are
   * counted; more than `max` within `windowMs` is a latched fault. Default 5 within 1000 ms.
   */
  transientNaks?: { max?: number; windowMs?: number };
  /** Log lines. Default: none. */
  log?: (line: string) => void;
}

/** Connection state for /api/health. */
export type HostState = "connected" | "connecting" | "disconnected" | "fault";

/** Device status for /api/health. */
export type HostStatus = {
  kind: "device-host";
  driver: string;
  state: HostState;
  model: string | null;
  firmware: string | null;
  serialNumber: string | null;
  /** Maximum the device declares, in µA. */
  maxCurrentUa: number | null;
  /** limits.maxCurrentUa of the approved plugin manifest, in µA (null for a bare driver definition). */
  declaredMaxUa: number | null;
  /** Limit written for this connection, in µA. */
  limitUa: number | null;
  /** Net-DC allowed on this connection (device info ∧ manifest); null while not connected. */
  netDc: boolean | null;
  contact: boolean | null;
  measuredUa: number | null;
  /** Milliseconds since the last trusted telemetry (null before any). */
  lastTelemetryAgeMs: number | null;
  telemetryFrames: number;
  corruptFrames: number;
  naks: number;
  stalls: number;
  reconnects: number;
  lastFault: { reason: string; atMs: number } | null;
  /** A fault that holds output off until clearFault(). */
  latchedFault: string | null;
};

/** Tolerances of the host's telemetry cross-check (DeviceHostOptions.crossCheck). */
export interface CrossCheckOptions {
  /** Commands this much older than the previous telemetry still count (telemetry latency). Default 150 ms. */
  windowMs?: number;
  /** Absolute tolerance in µA. Default 10. */
  minToleranceUa?: number;
  /** Relative tolerance. Default 0.1 (10 %). */
  fraction?: number;
}
