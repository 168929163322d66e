/** createSimulatedDevice() for GP-TXT: firmware emulator + CDC-ACM USB device, for the kit, tests and the demo. */
import type { SimulatedDevice, SimulatedDeviceOptions, SimulatedFault } from "@glidepath/sdk";
import { type FirmwareOptions, TextFirmware } from "./firmware.ts";
import { SimulatedCdcDevice } from "./usb_device.ts";

/** A simulated GP-TXT device with its firmware exposed for tests. */
export interface SimulatedTextDevice extends SimulatedDevice {
  readonly device: SimulatedCdcDevice;
  readonly firmware: TextFirmware;
}

/** Creates a simulated GP-TXT device; time only moves when advance() is called. */
export function createSimulatedDevice(
  options: SimulatedDeviceOptions & FirmwareOptions = {},
): SimulatedTextDevice {
  let device: SimulatedCdcDevice | null = null;
  const firmware = new TextFirmware((bytes) => device?.deliver(bytes), options);
  device = new SimulatedCdcDevice(firmware, options.serialNumber);
  const usb = device;
  return {
    device: usb,
    firmware,
    get outputUa() {
      return firmware.outputUa;
    },
    advance: (ms) => firmware.advance(ms),
    setContact(on, impedanceOhm = 5000) {
      firmware.contact = on;
      firmware.impedanceOhm = on ? impedanceOhm : Infinity;
    },
    inject(fault: SimulatedFault) {
      if (fault === "overcurrent") firmware.raiseFault("overcurrent");
      else if (fault === "corrupt") firmware.corruptNext();
      else if (fault === "stall") firmware.stalled = true;
      else if (fault === "unplug") usb.unplug();
      else throw new TypeError(`Unknown simulated fault: ${JSON.stringify(fault)}`);
    },
    dispose: () => usb.dispose(),
  };
}
