/** Where engine frames go and where device events come from: the seam to the device host. */
import type { EngineFrame } from "../../core/engine/types.ts";
import type { Telemetry } from "../../core/sdk/driver.ts";

/** Events a device side reports to the engine (the runner stamps `t`). */
export type DeviceEvent =
  | { type: "contact"; on: boolean; impedanceOhm?: number }
  | { type: "device"; maxCurrentUa: number; netDc: boolean }
  | { type: "fault"; source: string; reason: string };

/** Something a sink reports: an engine event, or decoded telemetry for the session summary. */
export type SinkReport = { kind: "event"; event: DeviceEvent } | { kind: "telemetry"; telemetry: Telemetry };

/**
 * Receives every engine frame (50 Hz) and reports device events back.
 * The device host implements this; send() must return quickly and never block the tick.
 */
export interface OutputSink {
  /** Sends one frame to the device (the device stops by itself when it expires). */
  send(frame: EngineFrame): void;
  /** Status for /api/health; shape is the sink's own. */
  status(): Record<string, unknown>;
  /** Subscribes to device reports; returns the unsubscribe function. */
  subscribe?(listener: (report: SinkReport) => void): () => void;
  /**
   * Stops output now (an explicit STOP to the device), without waiting for the next frame or its expiry.
   * The runner calls it on every accepted estop and fault, besides its immediate zero frame. The device host
   * then writes nothing more until clearFault(). Must not throw for a device that is not connected.
   */
  stop?(): void;
  /** Operator reset: the sink may write again (the device host reconnects and writes limits first). */
  clearFault?(): void;
  /**
   * Sets the operator cap on the device side (the limits written to the device). The runner calls it with the
   * engine's cap after every `cap` event and start (a start without `operatorCapUa`: the hard ceiling); a cap
   * equal to the one it has is not written again.
   */
  setOperatorCap?(capUa: number): void | Promise<void>;
  /** Stops output and releases the device. */
  dispose?(): void | Promise<void>;
}
