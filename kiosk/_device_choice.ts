/** Picks the kiosk's device and its driver: an approved driver plugin for a matching device, else the default SIM-1. */
import { createDefaultDevice, DeviceHost, DeviceUnavailableError, openUsb } from "./device/mod.ts";
import type { DeviceHostOptions, UsbRegistryLike } from "./device/mod.ts";
import type { PluginHost } from "./plugins/mod.ts";

/** What chooseDevice found. */
export interface DeviceChoice {
  host: DeviceHost;
  /** "usb": real hardware; "simulated": a simulated device (demo allowed). */
  kind: "usb" | "simulated";
  /** The driver plugin's id, or null for the built-in SIM-1 driver. */
  pluginId: string | null;
}

/** Options for chooseDevice. */
export interface DeviceChoiceOptions {
  /** Plugin host (null: no plugins, the built-in SIM-1 driver only). */
  plugins: PluginHost | null;
  /** Registry to look for plugin-driven devices in. Default: real USB when `preferHardware`. */
  usb?: UsbRegistryLike;
  /** `usb` holds simulated devices. Default false. */
  usbSimulated?: boolean;
  /** Look at real USB hardware. */
  preferHardware: boolean;
  /** Device host options (telemetry timeout, backoff...); `log` is always the kiosk's. Default none. */
  host?: DeviceHostOptions;
  log: (line: string) => void;
}

/**
 * For each device present, the first enabled (operator-approved) device-driver plugin whose filters match it
 * drives it: sandboxed when third-party. A plugin that cannot load is logged and skipped. Without a match, the
 * default device (SIM-1 hardware, else the simulated SIM-1) with the built-in driver.
 */
export async function chooseDevice(options: DeviceChoiceOptions): Promise<DeviceChoice> {
  const { plugins, log } = options;
  let registry: UsbRegistryLike | null = options.usb ?? null;
  const simulated = options.usb !== undefined && (options.usbSimulated ?? false);
  if (!registry && plugins && options.preferHardware) {
    try {
      registry = await openUsb();
    } catch (error) {
      if (!(error instanceof DeviceUnavailableError)) throw error;
    }
  }
  if (registry && plugins) {
    for (const device of await registry.getDevices()) {
      const id = plugins.driverFor(device);
      if (!id) continue;
      try {
        const driver = await plugins.loadDriver(id);
        log(
          `device: ${simulated ? "simulated" : "usb"} ${
            device.productName ?? "device"
          } driven by plugin ${id}`,
        );
        return {
          host: new DeviceHost(driver, registry, { ...options.host, log }),
          kind: simulated ? "simulated" : "usb",
          pluginId: id,
        };
      } catch (error) {
        log(`plugins: driver ${id} not loaded: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
  const device = await createDefaultDevice({ preferHardware: options.preferHardware });
  log(`device: ${device.kind}${device.reason ? ` (${device.reason})` : ""}`);
  const host = new DeviceHost(device.driver, device.usb, { ...options.host, log });
  return { host, kind: device.kind, pluginId: null };
}
