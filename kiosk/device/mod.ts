/** Device host: USB I/O through a driver codec, telemetry cross-checks, reconnects; real and simulated USB. */
export { DeviceHost } from "./device_host.ts";
export type {
  CrossCheckOptions,
  DeviceHostOptions,
  HostState,
  HostStatus,
  UsbRegistryLike,
} from "./host_types.ts";
export type { HostUsbDevice } from "./_connection.ts";
export { DeviceUnavailableError, openUsb } from "./usb_adapter.ts";
export type { OpenUsbOptions, RealUsb, UsbModuleLike } from "./usb_adapter.ts";
export { createDefaultDevice, startDefaultDeviceHost } from "./default_device.ts";
export type { DefaultDevice, DefaultDeviceOptions, StartDefaultDeviceHostOptions } from "./default_device.ts";
