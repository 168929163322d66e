/** Glidepath SIM-1 plugin: binary protocol codec, driver definition, firmware emulator and simulated USB device. */
export {
  decodeInfo,
  decodeLimits,
  decodeOutput,
  decodeTelemetry,
  DeviceType,
  encodeFrame,
  encodeInfo,
  encodeLimits,
  encodeOutput,
  encodeTelemetry,
  FAULT_BITS,
  FrameParser,
  HostType,
  NAK,
  NakReason,
} from "./protocol.ts";
export type { FirmwareFault, Frame, ParsedItem } from "./protocol.ts";
export {
  createSimBinaryCodec,
  inspectSimOutput,
  SIM1_PRODUCT_ID,
  SIM1_VENDOR_ID,
  simBinaryDriver,
} from "./driver.ts";
export type { SimBinaryCodec, SimCodecStats } from "./driver.ts";
export { SimFirmware } from "./emulator.ts";
export type { EmittedFrame, SimFirmwareCounters, SimFirmwareOptions, SimFirmwareState } from "./emulator.ts";
export { createSkinModel, mulberry32 } from "./skin_model.ts";
export type { PressurePoint, SkinModel, SkinModelOptions, SkinSample } from "./skin_model.ts";
export { SimUsbDevice } from "./sim_usb_device.ts";
export type { SimUsbCounters, SimUsbDeviceOptions } from "./sim_usb_device.ts";
export { SimUsb, SimUsbConnectionEvent } from "./sim_usb.ts";
export type { SimUsbDeviceFilter } from "./sim_usb.ts";
export { createSimulatedDevice } from "./simulator.ts";
export type { SimOneOptions, SimOneSimulatedDevice } from "./simulator.ts";
export { ManualClock } from "./manual_clock.ts";
export type { ManualClockOptions } from "./manual_clock.ts";
export type {
  UsbAlternateInterface,
  UsbConfiguration,
  UsbControlTransferParameters,
  UsbEndpoint,
  UsbInterface,
  UsbInTransferResult,
  UsbOutTransferResult,
} from "./webusb_types.ts";
