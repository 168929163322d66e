/** Test rig: a DeviceHost on a manual clock with one simulated SIM-1 in a SimUsb registry. */
import type { EngineFrame } from "../../core/engine/types.ts";
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
  return {
    t,
    currentUa,
    freqHz: 3,
    polarity: "alternating",
    zone: null,
    state: "running",
    limit: "zone",
    validForMs: 100,
  };
}

/** Builds the rig; events are recorded with the clock time they arrived. */
export function hostRig(options: { firmware?: SimFirmwareOptions; host?: DeviceHostOptions } = {}) {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const device = new SimUsbDevice({ clock, firmware: { noiseUa: 0, ...options.firmware } });
  usb.plug(device);
  const host = new DeviceHost(simBinaryDriver, usb, { clock, ...options.host });
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
