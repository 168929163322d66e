/** The driver as the device host sees it: an AsyncDriver (sandboxed or in-process) with optional failure hooks. */
import type { AsyncDriver, DriverDefinition } from "@glidepath/sdk";
import { type DeclaredLimits, guardInProcessDriver } from "../plugins/mod.ts";

/**
 * A driver ready for the host. The plugin host's LoadedDriver fits: `standbyStop` still stops the
 * device after the driver failed, `onFailure` reports that failure, and `declared` carries the approved
 * manifest's limits, which the host never goes beyond.
 */
export type HostDriver = AsyncDriver & {
  readonly standbyStop?: Uint8Array;
  readonly declared?: DeclaredLimits | null;
  onFailure?(listener: (reason: string) => void): void;
};

/**
 * Normalizes a driver: an AsyncDriver is used as it is (the plugin host already guards it); a plain
 * definition is guarded exactly like a trusted plugin driver (guardInProcessDriver), with no manifest.
 */
export function toHostDriver(driver: DriverDefinition | AsyncDriver): HostDriver {
  if ("isAsync" in driver && driver.isAsync === true) return driver;
  return guardInProcessDriver(driver as DriverDefinition);
}
