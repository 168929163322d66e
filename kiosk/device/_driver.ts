/** The driver as the device host sees it: an AsyncDriver (sandboxed or in-process), with optional failure hooks. */
import {
  type AsyncDriver,
  type AsyncDriverCodec,
  type DriverDefinition,
  type OutputCommand,
  toAsyncDriver,
} from "@glidepath/sdk";

/** An async codec that may also say which sequence number its last frame used (to match ACKs). */
export type HostCodec = AsyncDriverCodec & { readonly lastSentSeq?: number };

/**
 * A driver ready for the host. The plugin host's LoadedDriver fits: `standbyStop` still stops the
 * device after the driver failed, and `onFailure` reports that failure.
 */
export type HostDriver = Omit<AsyncDriver, "createCodec"> & {
  createCodec(): Promise<HostCodec>;
  readonly standbyStop?: Uint8Array;
  onFailure?(listener: (reason: string) => void): void;
};

/**
 * Normalizes a driver: an AsyncDriver is used as it is (the plugin host already guards it); a plain
 * definition runs in-process with its output read back through inspectOutput when it has one.
 */
export function toHostDriver(driver: DriverDefinition | AsyncDriver): HostDriver {
  if ("isAsync" in driver && driver.isAsync === true) return driver;
  const definition = driver as DriverDefinition;
  const base = toAsyncDriver(definition);
  return {
    ...base,
    standbyStop: definition.createCodec().stop(),
    createCodec(): Promise<HostCodec> {
      const codec = definition.createCodec();
      const run = <T>(fn: () => T): Promise<T> => Promise.resolve().then(fn);
      return Promise.resolve({
        get lastSentSeq() {
          const seq = (codec as { lastSentSeq?: unknown }).lastSentSeq;
          return typeof seq === "number" && seq >= 0 ? seq : undefined;
        },
        hello: () => run(() => codec.hello()),
        limits: (limits) => run(() => codec.limits(limits)),
        stop: () => run(() => codec.stop()),
        decode: (chunk) => run(() => codec.decode(chunk)),
        output: (command: OutputCommand) =>
          run(() => {
            const bytes = codec.output(command);
            const seen = definition.inspectOutput?.(bytes);
            if (seen !== undefined && !(seen !== null && seen.currentUa <= command.currentUa + 0.05)) {
              throw new RangeError(
                `Driver "${definition.id}" encoded ${
                  seen?.currentUa ?? "unreadable"
                } µA for a ${command.currentUa} µA frame`,
              );
            }
            return bytes;
          }),
      });
    },
  };
}
