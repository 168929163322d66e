/** createSimulatedDevice() for the Acme Glow G2: its firmware emulator behind a WebUSB-shaped bulk device. */
import type {
  SimulatedDevice,
  SimulatedFault,
  UsbControlParameters,
  UsbDeviceLike,
  UsbInResult,
  UsbOutResult,
} from "@glidepath/sdk";
import { GlowFirmware } from "./firmware.ts";

class GlowUsbDevice implements UsbDeviceLike {
  readonly vendorId = 0x1209;
  readonly productId = 0xac02;
  readonly deviceClass = 0xff;
  readonly productName = "Acme Glow G2 (simulated)";
  opened = false;
  configuration: { configurationValue: number } | null = null;
  unplugged = false;
  #queue: number[] = [];
  #waiting: { length: number; resolve: (r: UsbInResult) => void; reject: (e: unknown) => void }[] = [];

  constructor(readonly firmware: GlowFirmware) {}

  deliver(bytes: Uint8Array): void {
    this.#queue.push(...bytes);
    while (this.#waiting.length && this.#queue.length) {
      const w = this.#waiting.shift()!;
      w.resolve({ status: "ok", data: new DataView(new Uint8Array(this.#queue.splice(0, w.length)).buffer) });
    }
  }

  #guard<T>(run: () => T): Promise<T> {
    if (this.unplugged) {
      return Promise.reject(new DOMException("The device was disconnected", "NotFoundError"));
    }
    try {
      return Promise.resolve(run());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  open = () => this.#guard(() => void (this.opened = true, this.firmware.setConnected(true)));
  close = () => {
    this.opened = false;
    this.configuration = null;
    this.firmware.setConnected(false);
    this.#queue = [];
    for (const w of this.#waiting.splice(0)) {
      w.reject(new DOMException("The transfer was cancelled", "AbortError"));
    }
    return Promise.resolve();
  };
  selectConfiguration = (v: number) =>
    this.#guard(() => void (this.configuration = { configurationValue: v }));
  claimInterface = (n: number) =>
    this.#guard(() => {
      if (n !== 0) throw new DOMException(`Cannot claim interface ${n}: it does not exist`, "NotFoundError");
    });
  releaseInterface = (_n: number) => Promise.resolve();
  controlTransferOut = (_s: UsbControlParameters): Promise<UsbOutResult> =>
    this.#guard(() => ({ status: "stall", bytesWritten: 0 }));
  transferOut = (_ep: number, data: BufferSource): Promise<UsbOutResult> =>
    this.#guard(() => {
      if (!this.opened) throw new DOMException("The device is not open", "InvalidStateError");
      const bytes = data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      this.firmware.receive(bytes.slice());
      return { status: "ok" as const, bytesWritten: bytes.length };
    });
  transferIn = (_ep: number, length: number): Promise<UsbInResult> => {
    if (this.unplugged || !this.opened) {
      return Promise.reject(new DOMException("The device is not open", "InvalidStateError"));
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ length, resolve, reject });
      this.deliver(new Uint8Array(0));
    });
  };

  unplug(): void {
    this.unplugged = true;
    this.opened = false;
    this.firmware.setConnected(false);
    for (const w of this.#waiting.splice(0)) {
      w.reject(new DOMException("The device was disconnected", "NotFoundError"));
    }
  }
}

/** A simulated Glow G2 for the conformance kit, tests and demos. */
export function createSimulatedDevice(): SimulatedDevice {
  let usb: GlowUsbDevice | null = null;
  const firmware = new GlowFirmware((bytes) => usb?.opened && usb.deliver(bytes));
  usb = new GlowUsbDevice(firmware);
  const device = usb;
  return {
    device,
    get outputUa() {
      return firmware.outputUa;
    },
    advance: (ms) => firmware.advance(ms),
    setContact(on, impedanceOhm = 5000) {
      firmware.contact = on;
      firmware.impedanceOhm = on ? impedanceOhm : Infinity;
    },
    inject(fault: SimulatedFault) {
      if (fault === "overcurrent") firmware.overcurrent();
      else if (fault === "corrupt") firmware.corruptNext();
      else if (fault === "stall") firmware.stalled = true;
      else device.unplug();
    },
    dispose: () => device.unplug(),
  };
}
