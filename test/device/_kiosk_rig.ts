/** Test rig: the kiosk's loop on a manual clock — real engine and session runner, the device host on a simulated SIM-1. */
import type { AsyncDriver, DriverDefinition } from "@glidepath/sdk";
import { createEngine } from "../../core/engine/mod.ts";
import { DeviceHost } from "../../kiosk/device/mod.ts";
import { createSessionRunner } from "../../kiosk/session/mod.ts";
import { ManualClock, SimUsb, SimUsbDevice } from "../../plugins/sim-binary/mod.ts";

/** Builds the loop, not yet started; the runner ticks on the same manual clock as the host and the device. */
export function simKiosk(driver: DriverDefinition | AsyncDriver) {
  const clock = new ManualClock();
  const usb = new SimUsb();
  const device = new SimUsbDevice({ clock, firmware: { noiseUa: 0 } });
  usb.plug(device);
  const host = new DeviceHost(driver, usb, { clock });
  const runner = createSessionRunner(createEngine(), {
    sink: host,
    spinMs: 0,
    clock: {
      now: () => clock.now(),
      setTimeout: (fn, ms) => clock.setTimeout(fn, ms) as number,
      clearTimeout: (id) => clock.clearTimeout(id),
    },
  });
  /** Starts the host and the runner and a free session at comfort 10 (wrap the device's transfers first). */
  const start = () => {
    host.start();
    runner.start();
    runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} });
  };
  /** Runs the clock for ms with a cheek probe observation every 10 ms. */
  const run = async (ms: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
      await clock.run(10);
    }
  };
  return { clock, usb, device, host, runner, start, run };
}

const CHEEK = { u: 0.277, v: 0.532 };
