/** The kiosk's default device: real USB hardware when a SIM-1 is plugged in, otherwise the simulated SIM-1. */
import type { Clock, DriverDefinition } from "@glidepath/sdk";
import {
  createSkinModel,
  simBinaryDriver,
  type SimFirmwareOptions,
  SimUsb,
  SimUsbDevice,
} from "../../plugins/sim-binary/mod.ts";
import { DeviceHost } from "./device_host.ts";
import type { DeviceHostOptions, UsbRegistryLike } from "./host_types.ts";
import { DeviceUnavailableError, openUsb, type OpenUsbOptions } from "./usb_adapter.ts";

/** Options for createDefaultDevice. */
export interface DefaultDeviceOptions {
  /** Clock the simulated device runs on (use the host's). Default: wall clock. */
  clock?: Clock;
  /** Try real hardware first. Default true. */
  preferHardware?: boolean;
  /** Passed to openUsb (tests point sysPath or load elsewhere). */
  usb?: OpenUsbOptions;
  /** Seeded random probe lifts on the simulated skin (null: firm contact all along). Default null. */
  randomLiftSeed?: number | null;
  /** Firmware options for the simulated device (model, max current, telemetry period...). */
  firmware?: SimFirmwareOptions;
  /** Serial number of the simulated device. Default "SIM1-000001". */
  serialNumber?: string;
}

/** A device source ready for `new DeviceHost(driver, usb)`. */
export interface DefaultDevice {
  kind: "usb" | "simulated";
  driver: DriverDefinition;
  usb: UsbRegistryLike;
  /** The simulated registry and device (null on hardware), for the demo and fault injection. */
  registry: SimUsb | null;
  simulated: SimUsbDevice | null;
  /** Why the simulated device was chosen (null on hardware). */
  reason: string | null;
}

/** Real hardware if a SIM-1 is attached and USB works; else a simulated SIM-1, plugged into a SimUsb registry. */
export async function createDefaultDevice(options: DefaultDeviceOptions = {}): Promise<DefaultDevice> {
  const driver = simBinaryDriver;
  let reason = "hardware not requested";
  if (options.preferHardware ?? true) {
    try {
      const usb = await openUsb({ filters: driver.filters, ...options.usb });
      if ((await usb.getDevices()).length > 0) {
        return { kind: "usb", driver, usb, registry: null, simulated: null, reason: null };
      }
      reason = "no Glidepath SIM-1 is plugged in";
    } catch (error) {
      if (!(error instanceof DeviceUnavailableError)) throw error;
      reason = error.message;
    }
  }
  const registry = new SimUsb();
  const seed = options.randomLiftSeed ?? null;
  const firmware: SimFirmwareOptions = seed === null
    ? { ...options.firmware }
    : { ...options.firmware, skin: createSkinModel({ random: { seed } }) };
  if (options.clock) firmware.startMs ??= options.clock.now();
  const simulated = new SimUsbDevice({ firmware, clock: options.clock, serialNumber: options.serialNumber });
  registry.plug(simulated);
  return { kind: "simulated", driver, usb: registry, registry, simulated, reason };
}

/** Options for startDefaultDeviceHost: the default device's, plus the host's. */
export interface StartDefaultDeviceHostOptions extends DefaultDeviceOptions {
  /** Host options (its clock defaults to `clock`). */
  host?: DeviceHostOptions;
}

/** The default device with a started DeviceHost on it: pass `host` to the kiosk as its output sink. */
export async function startDefaultDeviceHost(
  options: StartDefaultDeviceHostOptions = {},
): Promise<{ host: DeviceHost; device: DefaultDevice }> {
  const device = await createDefaultDevice(options);
  const host = new DeviceHost(device.driver, device.usb, { clock: options.clock, ...options.host });
  host.start();
  return { host, device };
}
