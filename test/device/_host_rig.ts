/** Test rig: a DeviceHost on a manual clock with one simulated SIM-1 in a SimUsb registry. */
import type { EngineFrame } from "../../core/engine/types.ts";
import { engineFrame } from "../core/_engine_helpers.ts";
import { DeviceHost, type DeviceHostOptions } from "../../kiosk/device/mod.ts";
import type { DeviceEvent } from "../../kiosk/session/mod.ts";
import {
  ManualClock,
  simBinaryDriver,
  type SimFirmwareOptions,
  SimUsb,
  SimUsbDevice,
} from "../../plugins/sim-binary/mod.ts";

/** An engine-like frame asking for ua. */
export function frame(t: number, currentUa: number): EngineFrame {
  return engineFrame({ t, currentUa });
}

/** Options for simHost and hostRig: the SIM-1 firmware's (noise 0 unless given) and the host's. */
export interface SimHostOptions {
  firmware?: SimFirmwareOptions;
  host?: DeviceHostOptions;
}

/** A DeviceHost for `driver` on a manual clock, one simulated SIM-1 plugged into its registry (not started). */
export function simHost(driver: ConstructorParameters<typeof DeviceHost>[0], options: SimHostOptions = {}) {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const device = new SimUsbDevice({ clock, firmware: { noiseUa: 0, ...options.firmware } });
  usb.plug(device);
  const host = new DeviceHost(driver, usb, { clock, ...options.host });
  return { clock, usb, device, host };
}

/**
 * Starts `host`, collecting the reasons of the faults it reports, with a `drive(ms, ua)` that sends a frame asking
 * for `ua` every 20 ms of `clock`. `send` does the sending: the default sends the frame; a rig whose device side
 * needs its own time (firmware on the same virtual clock, a sandbox to cross) wraps it.
 */
export function startDriving(
  host: DeviceHost,
  clock: ManualClock,
  send: (sendFrame: () => void) => Promise<void> | void = (sendFrame) => sendFrame(),
) {
  const faults: string[] = [];
  host.subscribe((r) => r.kind === "event" && r.event.type === "fault" && faults.push(r.event.reason));
  host.start();
  const drive = async (ms: number, ua: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      await send(() => host.send(frame(clock.now(), ua)));
      await clock.run(20);
    }
  };
  return { faults, drive };
}

/** Starts a DeviceHost for `driver` on `usb`, lets `ms` of `clock` pass, and returns its status then (host disposed). */
export async function statusAfter(
  driver: ConstructorParameters<typeof DeviceHost>[0],
  usb: ConstructorParameters<typeof DeviceHost>[1],
  clock: ManualClock,
  ms: number,
): Promise<ReturnType<DeviceHost["status"]>> {
  const host = new DeviceHost(driver, usb, { clock });
  host.start();
  await clock.run(ms);
  const status = host.status();
  await host.dispose();
  return status;
}

/** The output a simulated SIM-1's firmware delivers now, by `clock`. */
export function deliveredBy(device: SimUsbDevice, clock: ManualClock): () => number {
  return () => {
    device.firmware.advance(clock.now());
    return device.firmware.state.outputUa;
  };
}

/** Builds the rig on the SIM-1 driver; events are recorded with the clock time they arrived. */
export function hostRig(options: SimHostOptions = {}) {
  const { clock, usb, device, host } = simHost(simBinaryDriver, options);
  const events: (DeviceEvent & { at: number })[] = [];
  let telemetry = 0;
  host.subscribe((r) => {
    if (r.kind === "event") events.push({ ...r.event, at: clock.now() });
    else telemetry++;
  });
  /** Sends a frame every 20 ms for ms, letting everything run. */
  async function drive(ms: number, ua: number | ((t: number) => number)) {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      const t = clock.now();
      host.send(frame(t, typeof ua === "number" ? ua : ua(t)));
      await clock.run(Math.min(20, end - t));
    }
  }
  return {
    clock,
    usb,
    device,
    host,
    events,
    drive,
    get telemetry() {
      return telemetry;
    },
    faults: () => events.filter((e) => e.type === "fault") as (DeviceEvent & { type: "fault"; at: number })[],
  };
}
