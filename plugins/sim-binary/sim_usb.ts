/** A navigator.usb-like registry of simulated devices: getDevices, requestDevice, connect/disconnect events, hot-plug. */
import type { SimUsbDevice } from "./sim_usb_device.ts";

/** The event dispatched on connect/disconnect; `device` is the simulated device (like USBConnectionEvent). */
export class SimUsbConnectionEvent extends Event {
  readonly device: SimUsbDevice;
  constructor(type: "connect" | "disconnect", device: SimUsbDevice) {
    super(type);
    this.device = device;
  }
}

/** Filter shape accepted by requestDevice. */
export interface SimUsbDeviceFilter {
  vendorId?: number;
  productId?: number;
  classCode?: number;
  serialNumber?: string;
}

/** Simulated `navigator.usb`: devices appear with plug(), go with unplug(), and events follow. */
export class SimUsb extends EventTarget {
  #devices = new Map<SimUsbDevice, () => void>();
  #attached = new Set<SimUsbDevice>();

  /** Adds a device (or replugs an unplugged one) and dispatches "connect". */
  plug(device: SimUsbDevice): void {
    if (!this.#devices.has(device)) {
      this.#devices.set(device, device.onAttachChange((attached) => this.#onChange(device, attached)));
    }
    if (device.attached) this.#onChange(device, true);
    else device.replug();
  }

  /** Unplugs a device (its transfers fail) and dispatches "disconnect". */
  unplug(device: SimUsbDevice): void {
    device.unplug();
  }

  /** Stops tracking a device without events. */
  remove(device: SimUsbDevice): void {
    this.#devices.get(device)?.();
    this.#devices.delete(device);
    this.#attached.delete(device);
  }

  /** Devices plugged in now. */
  getDevices(): Promise<SimUsbDevice[]> {
    return Promise.resolve([...this.#attached]);
  }

  /** The first plugged device matching any filter; rejects with NotFoundError when none does. */
  requestDevice(options: { filters: SimUsbDeviceFilter[] }): Promise<SimUsbDevice> {
    const found = [...this.#attached].find((d) =>
      options.filters.some((f) =>
        (f.vendorId === undefined || f.vendorId === d.vendorId) &&
        (f.productId === undefined || f.productId === d.productId) &&
        (f.classCode === undefined || f.classCode === d.deviceClass) &&
        (f.serialNumber === undefined || f.serialNumber === d.serialNumber)
      )
    );
    return found
      ? Promise.resolve(found)
      : Promise.reject(new DOMException("No device selected.", "NotFoundError"));
  }

  #onChange(device: SimUsbDevice, attached: boolean): void {
    if (attached === this.#attached.has(device)) return;
    if (attached) this.#attached.add(device);
    else this.#attached.delete(device);
    this.dispatchEvent(new SimUsbConnectionEvent(attached ? "connect" : "disconnect", device));
  }
}
