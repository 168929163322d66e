/** Picks the kiosk's device and its driver from DEVICE: an approved driver plugin for a matching device, else the SIM-1. */
import { matchesFilters } from "../core/sdk/mod.ts";
import { simBinaryDriver } from "../plugins/sim-binary/mod.ts";
import { createDefaultDevice, DeviceHost, DeviceUnavailableError, openUsb } from "./device/mod.ts";
import type { DeviceHostOptions, UsbRegistryLike } from "./device/mod.ts";
import type { PluginHost } from "./plugins/mod.ts";
import type { DeviceChoiceSetting } from "./config.ts";
import { StartRefusedError } from "./_start_guard.ts";

/** What chooseDevice found. */
export interface DeviceChoice {
  host: DeviceHost;
  /** "usb": real hardware; "simulated": a simulated device (demo allowed). */
  kind: "usb" | "simulated";
  /** The driver plugin's id, or null for the built-in SIM-1 driver. */
  pluginId: string | null;
  /** Stops what the choice started besides the host: a plugin's simulated device. Call after the host's dispose. */
  dispose(): Promise<void>;
}

/** Options for chooseDevice. */
export interface DeviceChoiceOptions {
  /** What DEVICE asks for. */
  setting: DeviceChoiceSetting;
  /** Plugin host (null: no plugins, the built-in SIM-1 driver only). */
  plugins: PluginHost | null;
  /** Registry to look for devices in instead of real USB (tests: a plugin's simulated device). Default: real USB. */
  usb?: UsbRegistryLike;
  /** `usb` holds simulated devices (never so for DEVICE=hardware). Default false. */
  usbSimulated?: boolean;
  /** Opens real USB. Default openUsb(). */
  openUsb?: () => Promise<UsbRegistryLike>;
  /** Device host options (telemetry timeout, backoff...); `log` is always the kiosk's. Default none. */
  host?: DeviceHostOptions;
  log: (line: string) => void;
}

const nothing = () => Promise.resolve();

/**
 * `auto`: for each device present, the first enabled (operator-approved) driver plugin whose filters match it
 * drives it, sandboxed when third-party; without a match a SIM-1 on USB, else the simulated SIM-1. `simulated`:
 * the simulated SIM-1. `hardware`: real USB only; without a device the SIM-1 driver waits for one (output 0).
 * `simulated:<id>`: the plugin's own simulated device with its own driver. A plugin driver that cannot load is
 * logged and skipped; a DEVICE the machine cannot honour throws StartRefusedError.
 */
export async function chooseDevice(options: DeviceChoiceOptions): Promise<DeviceChoice> {
  const { setting, plugins, log } = options;
  if (setting.kind === "simulated" && setting.pluginId !== null) {
    return await pluginSimulated(setting.pluginId, options);
  }
  const hostOptions = { ...options.host, log };
  const hardware = setting.kind === "hardware";
  let registry: UsbRegistryLike | null = options.usb ?? null;
  const simulated = !hardware && registry !== null && (options.usbSimulated ?? false);
  if (!registry && (hardware || (plugins && setting.kind === "auto"))) {
    try {
      registry = await (options.openUsb ?? openUsb)();
    } catch (error) {
      if (!(error instanceof DeviceUnavailableError)) throw error;
      if (hardware) {
        throw new StartRefusedError(`Cannot start kiosk: DEVICE=hardware, but ${error.message}`, {
          cause: error,
        });
      }
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
          host: new DeviceHost(driver, registry, hostOptions),
          kind: simulated ? "simulated" : "usb",
          pluginId: id,
          dispose: nothing,
        };
      } catch (error) {
        log(`plugins: driver ${id} not loaded: ${error instanceof Error ? error.message : error}`);
      }
    }
  }
  if (hardware) {
    // Never the simulated device: the SIM-1 driver waits on real USB, and output stays 0 until a device answers.
    const present = (await registry!.getDevices()).some((d) => matchesFilters(d, simBinaryDriver.filters));
    log(
      present
        ? "device: usb SIM-1 (DEVICE=hardware)"
        : "device: DEVICE=hardware: no supported device is plugged in; waiting for a SIM-1, output 0, no demo",
    );
    return {
      host: new DeviceHost(simBinaryDriver, registry!, hostOptions),
      kind: "usb",
      pluginId: null,
      dispose: nothing,
    };
  }
  const device = await createDefaultDevice({ preferHardware: setting.kind === "auto" });
  log(`device: ${device.kind}${device.reason ? ` (${device.reason})` : ""}`);
  const host = new DeviceHost(device.driver, device.usb, hostOptions);
  return { host, kind: device.kind, pluginId: null, dispose: nothing };
}

/** DEVICE=simulated:<id>: the plugin's own simulated device, driven by the plugin's own driver. */
async function pluginSimulated(id: string, options: DeviceChoiceOptions): Promise<DeviceChoice> {
  const { plugins, log } = options;
  const refuse = (why: string, cause?: unknown) =>
    new StartRefusedError(`Cannot start kiosk: DEVICE=simulated:${id}: ${why}`, { cause });
  if (!plugins) throw refuse("the plugin host is unavailable (see the plugins: line above)");
  const status = plugins.list().find((s) => s.id === id);
  if (!status) throw refuse(`no plugin "${id}" is installed (deno task plugin add <folder>)`);
  if (!status.kinds.includes("device-driver")) throw refuse(`plugin "${id}" is not a device driver`);
  if (status.state !== "enabled" && status.state !== "running") {
    throw refuse(
      `plugin "${id}" is ${status.state}${
        status.error ? ` (${status.error})` : ""
      }; an operator approves it with: deno task plugin enable ${id}`,
    );
  }
  let sim;
  try {
    sim = await plugins.startSimulator(id, { log });
  } catch (error) {
    throw refuse(
      `its simulated device did not start: ${error instanceof Error ? error.message : error}`,
      error,
    );
  }
  try {
    const [device] = await sim.usb.getDevices();
    const driver = await plugins.loadDriver(id);
    if (!device || !matchesFilters(device, driver.filters)) {
      throw new TypeError("its simulated device does not match its driver's USB filters");
    }
    log(`device: simulated ${device.productName ?? "device"} of plugin ${id}, driven by plugin ${id}`);
    return {
      host: new DeviceHost(driver, sim.usb, { ...options.host, log }),
      kind: "simulated",
      pluginId: id,
      dispose: () => sim.dispose(),
    };
  } catch (error) {
    await sim.dispose();
    throw refuse(error instanceof Error ? error.message : String(error), error);
  }
}
