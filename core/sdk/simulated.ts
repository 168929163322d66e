/** The contract a plugin's simulated device meets so the conformance kit, tests and the demo can drive it. */
import type { UsbDeviceLike } from "./usb.ts";

/** Faults every simulated device can inject (DESIGN §5). */
export type SimulatedFault =
  /** The firmware reports an over-current fault (a FAULT message or a fault in telemetry). */
  | "overcurrent"
  /** The next device → host message has one bit flipped on the wire. */
  | "corrupt"
  /** The device stops answering and sending until unplugged. */
  | "stall"
  /** The device disappears: pending and later transfers reject. */
  | "unplug";

/** A simulated device with its own clock and a skin-contact model. */
export interface SimulatedDevice {
  /** The WebUSB-shaped device the host opens. */
  readonly device: UsbDeviceLike;
  /** Moves the firmware's clock forward by ms: telemetry is emitted, frames expire. */
  advance(ms: number): void;
  /** Skin contact between the probes and the impedance then measured (ohms). */
  setContact(on: boolean, impedanceOhm?: number): void;
  /** Injects a fault. */
  inject(fault: SimulatedFault): void;
  /** Output current the firmware is delivering right now, in µA (ground truth for tests). */
  readonly outputUa: number;
  /** Releases timers and pending transfers. */
  dispose(): void;
}

/** Options a simulated device factory receives. */
export interface SimulatedDeviceOptions {
  /** Serial number to report (default chosen by the simulator). */
  serialNumber?: string;
  /** Seed for the simulator's noise, so runs repeat (default 1). */
  seed?: number;
}

/** What a plugin's `simulator` module exports as `createSimulatedDevice`. */
export type CreateSimulatedDevice = (options?: SimulatedDeviceOptions) => SimulatedDevice;

/**
 * A simulated device reached across a process boundary: `plugin check` runs the vendor's simulator in
 * the plugin's sandbox, so every control is asynchronous; outputUa is the value as of the last one.
 */
export interface RemoteSimulatedDevice {
  readonly device: UsbDeviceLike;
  advance(ms: number): Promise<void>;
  setContact(on: boolean, impedanceOhm?: number): Promise<void>;
  inject(fault: SimulatedFault): Promise<void>;
  readonly outputUa: number;
  dispose(): Promise<void>;
}

/** Makes a RemoteSimulatedDevice (the conformance kit accepts this or a CreateSimulatedDevice). */
export type CreateRemoteSimulatedDevice = (
  options?: SimulatedDeviceOptions,
) => Promise<RemoteSimulatedDevice>;
