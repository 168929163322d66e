/** The public plugin SDK: everything a driver, routine or probe-locator plugin may import (as "@glidepath/sdk"). */
export type {
  DeviceInfo,
  DeviceLimits,
  DeviceMessage,
  DriverCodec,
  DriverDefinition,
  NakReason,
  OutputCommand,
  OutputInspection,
  Polarity,
  Telemetry,
  UsbControlSetup,
  UsbFilter,
} from "./driver.ts";
export { isTransientNak, NAK_REASONS } from "./driver.ts";
export { defineDriver } from "./define_driver.ts";
export type { CheckedDriverDefinition } from "./define_driver.ts";
export { seqOf, toAsyncDriver } from "./async_codec.ts";
export type { AsyncDriver, AsyncDriverCodec } from "./async_codec.ts";
export { type Clock, systemClock } from "./clock.ts";
export { crc16, crc8, hex2, LineSplitter, SequenceTracker } from "./frames.ts";
export type { LineSplitterOptions, SplitLine } from "./frames.ts";
export { matchesFilters } from "./usb.ts";
export type { UsbControlParameters, UsbDeviceLike, UsbInResult, UsbOutResult } from "./usb.ts";
export type {
  CreateRemoteSimulatedDevice,
  CreateSimulatedDevice,
  RemoteSimulatedDevice,
  SimulatedDevice,
  SimulatedDeviceOptions,
  SimulatedFault,
} from "./simulated.ts";
export { CONFORMANCE_CHECKS, formatConformanceReport, runDriverConformance } from "./conformance.ts";
export type { ConformanceCheck, ConformanceOptions, ConformanceReport } from "./conformance.ts";
export type {
  ProbeLocation,
  ProbeLocator,
  ProbeLocatorDefinition,
  ProbeTip,
  RgbaFrame,
} from "./probe_locator.ts";
export { SDK_API_VERSION } from "./version.ts";
export { HARD_CEILING_UA, MAX_VALID_FOR_MS, validateOutputCommand } from "./envelope.ts";
export type {
  PluginCapabilities,
  PluginKind,
  PluginLimits,
  PluginManifest,
  PluginPermissions,
} from "../manifest/mod.ts";
