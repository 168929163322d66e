/** Simulator entry for plugin.json "simulator": createSimulatedDevice() for the conformance kit, tests and the demo. */
import type { SimulatedDevice, SimulatedDeviceOptions, SimulatedFault } from "@glidepath/sdk";
import { SimFirmware, type SimFirmwareOptions } from "./emulator.ts";
import { ManualClock } from "./manual_clock.ts";
import { SimUsbDevice } from "./sim_usb_device.ts";

/** Options for createSimulatedDevice: the SDK's, plus the firmware's own. */
export interface SimOneOptions extends SimulatedDeviceOptions {
  firmware?: SimFirmwareOptions;
}

/** A simulated SIM-1 on the SDK contract, plus the SimUsbDevice and its manual clock for finer control. */
export interface SimOneSimulatedDevice extends SimulatedDevice {
  readonly device: SimUsbDevice;
  readonly clock: ManualClock;
}

/** A simulated SIM-1 on its own manual clock (advance(ms) moves it). */
export function createSimulatedDevice(options: SimOneOptions = {}): SimOneSimulatedDevice {
  const clock = new ManualClock();
  const firmware = new SimFirmware({ seed: options.seed ?? 1, ...options.firmware, startMs: 0 });
  const device = new SimUsbDevice({
    clock,
    firmware,
    serialNumber: options.serialNumber,
    seed: options.seed,
  });
  return {
    device,
    clock,
    advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`Invalid ms: ${ms}`);
      clock.advance(ms);
      firmware.advance(clock.now());
    },
    setContact(on: boolean, impedanceOhm?: number) {
      firmware.skin.pin(on, impedanceOhm);
    },
    inject(fault: SimulatedFault) {
      if (fault === "overcurrent") firmware.raiseFault("overcurrent");
      else if (fault === "corrupt") device.corruptNextFrames(1);
      else if (fault === "stall") device.setHung(true);
      else if (fault === "unplug") device.unplug();
      else throw new RangeError(`Unknown fault: ${JSON.stringify(fault)}`);
    },
    get outputUa() {
      firmware.advance(clock.now());
      return firmware.state.outputUa;
    },
    dispose() {
      device.dispose();
    },
  };
}
