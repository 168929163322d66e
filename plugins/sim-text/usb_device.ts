/** A simulated USB CDC-ACM device (WebUSB USBDevice shape) in front of the GP-TXT firmware emulator. */
import type { UsbControlParameters, UsbDeviceLike, UsbInResult, UsbOutResult } from "@glidepath/sdk";
import type { TextFirmware } from "./firmware.ts";

/** pid.codes test vendor id and the GP-TXT product id. */
export const TEXT_VENDOR_ID = 0x1209;
/** Product id of the simulated GP-TXT device. */
export const TEXT_PRODUCT_ID = 0x7478;
/** CDC data interface (bulk endpoints) and endpoint numbers. */
export const TEXT_ENDPOINTS = { interfaceNumber: 1, out: 1, in: 2, packetSize: 64 } as const;

const CDC_SET_LINE_CODING = 0x20;
const CDC_SET_CONTROL_LINE_STATE = 0x22;

function gone(what: string): DOMException {
  return new DOMException(`Cannot ${what}: the device was disconnected`, "NotFoundError");
}

// A WebUSB call settles as a promise, never throws: what `run` throws becomes the rejection.
function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** WebUSB-shaped CDC-ACM device: interface 0 is CDC control, interface 1 CDC data with bulk OUT 1 / IN 2. */
export class SimulatedCdcDevice implements UsbDeviceLike {
  readonly vendorId = TEXT_VENDOR_ID;
  readonly productId = TEXT_PRODUCT_ID;
  readonly deviceClass = 0x02;
  readonly productName = "GP-TXT-1 (simulated)";
  readonly serialNumber: string;
  opened = false;
  configuration: { configurationValue: number } | null = null;
  unplugged = false;
  #claimed = new Set<number>();
  #queue: number[] = [];
  #waiting: { length: number; resolve: (r: UsbInResult) => void; reject: (e: unknown) => void }[] = [];

  constructor(readonly firmware: TextFirmware, serialNumber = "SIM-TXT-0001") {
    this.serialNumber = serialNumber;
  }

  /** Called by the firmware with bytes for the host. */
  deliver(bytes: Uint8Array): void {
    if (!this.opened || this.unplugged) return;
    this.#queue.push(...bytes);
    this.#flush();
  }

  #flush(): void {
    while (this.#waiting.length > 0 && this.#queue.length > 0) {
      const w = this.#waiting.shift()!;
      const chunk = new Uint8Array(this.#queue.splice(0, w.length));
      w.resolve({ status: "ok", data: new DataView(chunk.buffer) });
    }
  }

  #check(what: string, needClaim?: number): void {
    if (this.unplugged) throw gone(what);
    if (!this.opened) throw new DOMException(`Cannot ${what}: the device is not open`, "InvalidStateError");
    if (needClaim !== undefined && !this.#claimed.has(needClaim)) {
      throw new DOMException(`Cannot ${what}: interface ${needClaim} is not claimed`, "InvalidStateError");
    }
  }

  open(): Promise<void> {
    if (this.unplugged) return Promise.reject(gone("open"));
    this.opened = true;
    this.#queue = [];
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.opened = false;
    this.#claimed.clear();
    this.configuration = null;
    this.firmware.setDtr(false);
    this.#queue = [];
    for (const w of this.#waiting.splice(0)) {
      w.reject(new DOMException("The transfer was cancelled", "AbortError"));
    }
    return Promise.resolve();
  }

  selectConfiguration(value: number): Promise<void> {
    return settle(() => {
      this.#check("select a configuration");
      if (value !== 1) {
        throw new DOMException(`Cannot select configuration ${value}: only 1 exists`, "NotFoundError");
      }
      this.configuration = { configurationValue: 1 };
    });
  }

  claimInterface(n: number): Promise<void> {
    return settle(() => {
      this.#check("claim an interface");
      if (!this.configuration) {
        throw new DOMException("Cannot claim an interface: no configuration selected", "InvalidStateError");
      }
      if (n !== 0 && n !== 1) {
        throw new DOMException(`Cannot claim interface ${n}: it does not exist`, "NotFoundError");
      }
      this.#claimed.add(n);
    });
  }

  releaseInterface(n: number): Promise<void> {
    this.#claimed.delete(n);
    return Promise.resolve();
  }

  controlTransferOut(setup: UsbControlParameters, _data?: BufferSource): Promise<UsbOutResult> {
    return settle(() => {
      this.#check("make a control transfer");
      if (setup.requestType !== "class" || setup.recipient !== "interface" || setup.index !== 0) {
        return { status: "stall", bytesWritten: 0 };
      }
      if (setup.request === CDC_SET_CONTROL_LINE_STATE) this.firmware.setDtr((setup.value & 1) === 1);
      else if (setup.request !== CDC_SET_LINE_CODING) return { status: "stall", bytesWritten: 0 };
      return { status: "ok", bytesWritten: 0 };
    });
  }

  transferOut(endpoint: number, data: BufferSource): Promise<UsbOutResult> {
    return settle(() => {
      this.#check("transfer out", TEXT_ENDPOINTS.interfaceNumber);
      if (endpoint !== TEXT_ENDPOINTS.out) {
        throw new DOMException(`Cannot transfer out: no OUT endpoint ${endpoint}`, "NotFoundError");
      }
      const bytes = data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      this.firmware.receive(bytes);
      return { status: "ok", bytesWritten: bytes.length };
    });
  }

  transferIn(endpoint: number, length: number): Promise<UsbInResult> {
    try {
      this.#check("transfer in", TEXT_ENDPOINTS.interfaceNumber);
      if (endpoint !== TEXT_ENDPOINTS.in) {
        throw new DOMException(`Cannot transfer in: no IN endpoint ${endpoint}`, "NotFoundError");
      }
    } catch (e) {
      return Promise.reject(e);
    }
    // Not through settle: a read waits for the device, queued at once so an unplug rejects it.
    return new Promise((resolve, reject) => {
      this.#waiting.push({ length, resolve, reject });
      this.#flush();
    });
  }

  /** Simulates pulling the cable: every pending and later transfer rejects. */
  unplug(): void {
    this.unplugged = true;
    this.opened = false;
    this.firmware.setDtr(false);
    for (const w of this.#waiting.splice(0)) w.reject(gone("transfer in"));
  }

  /** Releases pending transfers. */
  dispose(): void {
    for (const w of this.#waiting.splice(0)) {
      w.reject(new DOMException("The device was disposed", "AbortError"));
    }
  }
}
