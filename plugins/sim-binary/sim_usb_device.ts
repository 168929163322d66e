/** A simulated SIM-1 on the WebUSB USBDevice interface, over the firmware emulator, with fault injection. */
import { SIM1_PRODUCT_ID, SIM1_VENDOR_ID } from "./driver.ts";
import { SimFirmware, type SimFirmwareOptions } from "./emulator.ts";
import { CONFIGURATION, ENDPOINT, gone, invalid, toBytes } from "./_descriptors.ts";
import { DeviceWire } from "./_wire.ts";
import { type Clock, systemClock } from "@glidepath/sdk";
import {
  type UsbConfiguration,
  type UsbControlTransferParameters,
  type UsbInTransferResult,
  type UsbOutTransferResult,
} from "./webusb_types.ts";

/** Options for SimUsbDevice. */
export interface SimUsbDeviceOptions {
  /** Clock and timers. Default: wall clock. */
  clock?: Clock;
  /** A firmware instance, or options for a new one (started at clock.now()). */
  firmware?: SimFirmware | SimFirmwareOptions;
  /** Default "SIM1-000001". */
  serialNumber?: string;
  /** Seed for random corruption. Default 7. */
  seed?: number;
}

/** Fault-injection counters. */
export interface SimUsbCounters {
  transfersIn: number;
  transfersOut: number;
  corruptedFrames: number;
  droppedBytes: number;
}

interface PendingIn {
  length: number;
  resolve: (r: UsbInTransferResult) => void;
  reject: (e: unknown) => void;
}

/** Simulated Glidepath SIM-1 (vendor 0x1209, product 0x6750) implementing the WebUSB USBDevice calls a host makes. */
export class SimUsbDevice {
  readonly vendorId = SIM1_VENDOR_ID;
  readonly productId = SIM1_PRODUCT_ID;
  readonly productName = "Glidepath SIM-1";
  readonly manufacturerName = "Glidepath";
  readonly serialNumber: string;
  readonly deviceClass = 0xff;
  readonly deviceSubclass = 0;
  readonly deviceProtocol = 0;
  readonly deviceVersionMajor = 1;
  readonly deviceVersionMinor = 0;
  readonly deviceVersionSubminor = 0;
  readonly usbVersionMajor = 2;
  readonly usbVersionMinor = 0;
  readonly usbVersionSubminor = 0;
  readonly configurations: UsbConfiguration[] = [CONFIGURATION];
  /** The firmware behind the USB interface (tests and the demo drive its skin model and faults). */
  readonly firmware: SimFirmware;
  readonly #clock: Clock;
  #opened = false;
  #attached = true;
  #forgotten = false;
  #configuration: UsbConfiguration | null = null;
  #claimed = new Set<number>();
  #pending: PendingIn[] = [];
  #timer: unknown = null;
  #stall = { in: false, out: false };
  #hung = false;
  readonly #wire: DeviceWire;
  #attachListeners = new Set<(attached: boolean) => void>();
  #transfers = { in: 0, out: 0 };

  constructor(options: SimUsbDeviceOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.firmware = options.firmware instanceof SimFirmware
      ? options.firmware
      : new SimFirmware({ startMs: this.#clock.now(), ...options.firmware });
    this.serialNumber = options.serialNumber ?? "SIM1-000001";
    this.#wire = new DeviceWire(options.seed ?? 7);
  }

  /** True between open() and close() while plugged in. */
  get opened(): boolean {
    return this.#opened;
  }

  /** The selected configuration, or null before selectConfiguration(). */
  get configuration(): UsbConfiguration | null {
    return this.#configuration;
  }

  /** False after unplug() or forget(). */
  get attached(): boolean {
    return this.#attached && !this.#forgotten;
  }

  /** Fault-injection and traffic counters. */
  get counters(): SimUsbCounters {
    return {
      transfersIn: this.#transfers.in,
      transfersOut: this.#transfers.out,
      corruptedFrames: this.#wire.corruptedFrames,
      droppedBytes: this.#wire.droppedBytes,
    };
  }

  /** Opens the device. */
  open(): Promise<void> {
    if (!this.attached) return Promise.reject(gone("open"));
    this.#opened = true;
    return Promise.resolve();
  }

  /** Closes the device; pending transfers are aborted. */
  close(): Promise<void> {
    if (!this.attached) return Promise.reject(gone("close"));
    this.#abortPending(new DOMException("The transfer was cancelled.", "AbortError"));
    this.#claimed.clear();
    this.#opened = false;
    return Promise.resolve();
  }

  /** Selects configuration 1 (the only one). */
  selectConfiguration(configurationValue: number): Promise<void> {
    const bad = this.#check("selectConfiguration");
    if (bad) return bad;
    if (configurationValue !== 1) {
      return Promise.reject(
        new DOMException(`Configuration ${configurationValue} does not exist.`, "NotFoundError"),
      );
    }
    this.#configuration = CONFIGURATION;
    return Promise.resolve();
  }

  /** Claims interface 0. */
  claimInterface(interfaceNumber: number): Promise<void> {
    const bad = this.#check("claimInterface");
    if (bad) return bad;
    if (!this.#configuration) {
      return Promise.reject(invalid("claimInterface", "no configuration is selected"));
    }
    if (interfaceNumber !== 0) {
      return Promise.reject(
        new DOMException(`Interface ${interfaceNumber} does not exist.`, "NotFoundError"),
      );
    }
    this.#claimed.add(interfaceNumber);
    return Promise.resolve();
  }

  /** Releases a claimed interface. */
  releaseInterface(interfaceNumber: number): Promise<void> {
    const bad = this.#check("releaseInterface");
    if (bad) return bad;
    this.#claimed.delete(interfaceNumber);
    return Promise.resolve();
  }

  /** Only alternate 0 exists. */
  selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
    const bad = this.#check("selectAlternateInterface");
    if (bad) return bad;
    if (interfaceNumber !== 0 || alternateSetting !== 0) {
      return Promise.reject(
        new DOMException(`Alternate ${alternateSetting} does not exist.`, "NotFoundError"),
      );
    }
    return Promise.resolve();
  }

  /** Clears a halt; an injected stall keeps stalling until setStall(false). */
  clearHalt(_direction: "in" | "out", _endpointNumber: number): Promise<void> {
    return this.#check("clearHalt") ?? Promise.resolve();
  }

  /** Sends bytes to the firmware (delivered at the current clock time). */
  transferOut(
    endpointNumber: number,
    data: BufferSource | ArrayBufferView<ArrayBufferLike>,
  ): Promise<UsbOutTransferResult> {
    const bad = this.#checkEndpoint("transferOut", endpointNumber);
    if (bad) return bad;
    this.#transfers.out++;
    if (this.#stall.out) return Promise.resolve({ bytesWritten: 0, status: "stall" });
    const bytes = toBytes(data);
    if (this.#hung) return Promise.resolve({ bytesWritten: bytes.length, status: "ok" });
    this.firmware.advance(this.#clock.now());
    this.firmware.receive(bytes);
    this.#pump();
    return Promise.resolve({ bytesWritten: bytes.length, status: "ok" });
  }

  /** Reads up to `length` bytes; waits (on the injected clock) until the firmware has sent something. */
  transferIn(endpointNumber: number, length: number): Promise<UsbInTransferResult> {
    const bad = this.#checkEndpoint("transferIn", endpointNumber);
    if (bad) return bad;
    if (!(Number.isInteger(length) && length > 0)) {
      return Promise.reject(new TypeError(`Invalid length: ${length}`));
    }
    this.#transfers.in++;
    if (this.#stall.in) return Promise.resolve({ status: "stall" });
    return new Promise((resolve, reject) => {
      this.#pending.push({ length, resolve, reject });
      this.#pump();
    });
  }

  /** GET_STATUS answers two zero bytes; anything else stalls. */
  controlTransferIn(setup: UsbControlTransferParameters, length: number): Promise<UsbInTransferResult> {
    const bad = this.#check("controlTransferIn");
    if (bad) return bad;
    if (setup.requestType === "standard" && setup.request === 0x00) {
      return Promise.resolve({
        data: new DataView(new Uint8Array(Math.min(2, length)).buffer),
        status: "ok",
      });
    }
    return Promise.resolve({ status: "stall" });
  }

  /** Accepts and ignores control writes. */
  controlTransferOut(
    _setup: UsbControlTransferParameters,
    data?: BufferSource,
  ): Promise<UsbOutTransferResult> {
    return this.#check("controlTransferOut") ??
      Promise.resolve({ bytesWritten: data ? toBytes(data).length : 0, status: "ok" });
  }

  /** Not supported by the SIM-1. */
  isochronousTransferIn(): Promise<never> {
    return Promise.reject(new DOMException("The SIM-1 has no isochronous endpoints.", "NotSupportedError"));
  }

  /** Not supported by the SIM-1. */
  isochronousTransferOut(): Promise<never> {
    return this.isochronousTransferIn();
  }

  /** USB reset: pending transfers abort and the firmware restarts (limits must be written again). */
  reset(): Promise<void> {
    const bad = this.#check("reset");
    if (bad) return bad;
    this.#abortPending(new DOMException("The transfer was cancelled.", "AbortError"));
    this.#powerCycle();
    return Promise.resolve();
  }

  /** Revokes access: the device closes and later calls fail. */
  forget(): Promise<void> {
    this.#abortPending(new DOMException("The transfer was cancelled.", "AbortError"));
    this.#opened = false;
    this.#forgotten = true;
    for (const listener of this.#attachListeners) listener(false);
    return Promise.resolve();
  }

  // ——— fault injection ———

  /** Pulls the cable: pending and later transfers reject with NetworkError, the firmware loses power. */
  unplug(): void {
    if (!this.#attached) return;
    this.#attached = false;
    this.#opened = false;
    this.#claimed.clear();
    this.#configuration = null;
    this.#abortPending(new DOMException("The device was disconnected.", "NetworkError"));
    this.#powerCycle();
    for (const listener of this.#attachListeners) listener(false);
  }

  /** Plugs the cable back in: closed, unconfigured, firmware freshly powered (no limits). */
  replug(): void {
    if (this.#attached || this.#forgotten) return;
    this.#powerCycle();
    this.#attached = true;
    for (const listener of this.#attachListeners) listener(true);
  }

  /** Makes transfers on the IN and/or OUT endpoint answer "stall" until turned off. */
  setStall(stall: boolean | { in?: boolean; out?: boolean }): void {
    this.#stall = typeof stall === "boolean"
      ? { in: stall, out: stall }
      : { in: !!stall.in, out: !!stall.out };
    if (this.#stall.in) { for (const p of this.#pending.splice(0)) p.resolve({ status: "stall" }); }
  }

  /** Flips one bit in the next `count` frames of any type. */
  corruptNextFrames(count = 1): void {
    this.#wire.corruptAnyNext += count;
  }

  /**
   * Hangs the firmware (true) or revives it (false): it takes bytes but ignores them and sends nothing,
   * and its output-stage watchdog cuts the current at once. Reviving restarts it from power-on.
   */
  setHung(hung: boolean): void {
    if (hung === this.#hung) return;
    this.#pump();
    this.#hung = hung;
    this.#powerCycle();
  }

  /** Aborts pending transfers and cancels timers (the device object stays usable). */
  dispose(): void {
    this.#abortPending(new DOMException("The transfer was cancelled.", "AbortError"));
  }

  /** Flips one bit in each of the next `count` telemetry frames. */
  corruptTelemetry(count = 1): void {
    this.#wire.corruptTelemetryNext += count;
  }

  /** Flips one bit in a telemetry frame with this probability (seeded). */
  setCorruptionRate(probability: number): void {
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`Invalid probability: ${probability}`);
    this.#wire.corruptRate = probability;
  }

  /** Delays every device → host frame by this many ms. */
  setLatency(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`Invalid latency: ${ms}`);
    this.#wire.latencyMs = ms;
  }

  /** Called with true/false when the device is plugged/unplugged (the simulated `usb` registry listens). */
  onAttachChange(listener: (attached: boolean) => void): () => void {
    this.#attachListeners.add(listener);
    return () => this.#attachListeners.delete(listener);
  }

  #powerCycle(): void {
    this.firmware.advance(Math.max(this.#clock.now(), this.firmware.state.nowMs));
    this.firmware.powerCycle();
    this.#wire.clear();
  }

  #check(what: string): Promise<never> | null {
    if (!this.attached) return Promise.reject(gone(what));
    if (!this.#opened) return Promise.reject(invalid(what, "the device is not open"));
    return null;
  }

  #checkEndpoint(what: string, endpointNumber: number): Promise<never> | null {
    const bad = this.#check(what);
    if (bad) return bad;
    if (!this.#claimed.has(0)) return Promise.reject(invalid(what, "interface 0 is not claimed"));
    if (endpointNumber !== ENDPOINT) {
      return Promise.reject(new DOMException(`Endpoint ${endpointNumber} does not exist.`, "NotFoundError"));
    }
    return null;
  }

  #abortPending(error: DOMException): void {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    for (const p of this.#pending.splice(0)) p.reject(error);
  }

  // Moves firmware output onto the wire, serves waiting reads, and sets a timer for the next frame.
  #pump(): void {
    const now = this.#clock.now();
    if (!this.#hung) this.firmware.advance(now);
    this.#wire.push(this.firmware.drain());
    while (this.#pending.length > 0) {
      const bytes = this.#wire.take(this.#pending[0]!.length, now);
      if (!bytes) break;
      this.#pending.shift()!.resolve({
        data: new DataView(bytes.buffer, bytes.byteOffset, bytes.length),
        status: "ok",
      });
    }
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending.length === 0 || this.#hung) return;
    const wake = Math.min(this.#wire.nextAvailableAt(), this.firmware.nextEventAtMs() + this.#wire.latencyMs);
    if (wake === Infinity) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, Math.max(0, wake - now));
  }
}
