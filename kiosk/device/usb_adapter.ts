/** Real-hardware USB: the npm `usb` package's WebUSB, opened only when this machine has a USB subsystem. */
import { errorText } from "./_error_text.ts";
import type { UsbFilter } from "@glidepath/sdk";
import type { UsbRegistryLike } from "./host_types.ts";
import type { HostUsbDevice } from "./_connection.ts";

/** No USB hardware can be used here; the caller falls back to the simulated device. */
export class DeviceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DeviceUnavailableError";
  }
}

/** The part of the npm `usb` module the adapter needs. */
export interface UsbModuleLike {
  WebUSB: new (options: { allowAllDevices?: boolean; allowedDevices?: UsbFilter[] }) => {
    getDevices(): Promise<unknown[]>;
    addEventListener(type: "connect" | "disconnect", listener: (event: Event) => void): void;
    removeEventListener(type: "connect" | "disconnect", listener: (event: Event) => void): void;
  };
}

/** Options for openUsb. */
export interface OpenUsbOptions {
  /** Devices the adapter may hand out. Default: all (the host filters again by driver). */
  filters?: UsbFilter[];
  /** Where the kernel exposes USB. Default "/sys/bus/usb". */
  sysPath?: string;
  /** Loads the native module. Default: `import("usb")`. */
  load?: () => Promise<UsbModuleLike>;
}

/** A navigator.usb-like registry over real hardware. */
export type RealUsb = UsbRegistryLike;

/**
 * Opens the real USB backend; rejects with DeviceUnavailableError (never crashes) when there is no
 * USB subsystem, the native addon does not load, or libusb cannot enumerate devices.
 */
export async function openUsb(options: OpenUsbOptions = {}): Promise<RealUsb> {
  const sysPath = options.sysPath ?? "/sys/bus/usb";
  try {
    await Deno.stat(sysPath);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DeviceUnavailableError(
        `No USB subsystem on this machine (${sysPath} is absent); use the simulated device`,
        { cause: error },
      );
    }
    // Deno may refuse to stat /sys without --allow-all while libusb (native) can still read it: a refused
    // look is not an absent subsystem, so go on and let the addon decide.
    if (!(error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied)) {
      throw new DeviceUnavailableError(
        `Cannot read ${sysPath}: ${errorText(error)}; use the simulated device`,
        {
          cause: error,
        },
      );
    }
  }
  let mod: UsbModuleLike;
  try {
    mod = await (options.load ?? (() => import("usb") as unknown as Promise<UsbModuleLike>))();
    if (typeof mod?.WebUSB !== "function") throw new TypeError("the module has no WebUSB export");
  } catch (error) {
    throw new DeviceUnavailableError(
      `Cannot load the native USB addon (npm "usb"): ${errorText(error)}; use the simulated device`,
      { cause: error },
    );
  }
  let webusb: InstanceType<UsbModuleLike["WebUSB"]>;
  try {
    webusb = options.filters
      ? new mod.WebUSB({ allowedDevices: options.filters })
      : new mod.WebUSB({ allowAllDevices: true });
    await webusb.getDevices();
  } catch (error) {
    throw new DeviceUnavailableError(
      `USB is not usable on this machine: ${errorText(error)}; use the simulated device`,
      {
        cause: error,
      },
    );
  }
  return {
    getDevices: () => webusb.getDevices() as Promise<HostUsbDevice[]>,
    addEventListener: (type, listener) => webusb.addEventListener(type, listener),
    removeEventListener: (type, listener) => webusb.removeEventListener(type, listener),
  };
}
