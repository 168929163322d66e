/** The asynchronous face of a driver: how hosts and the conformance kit see a codec, in-process or sandboxed. */
import type {
  DeviceLimits,
  DeviceMessage,
  DriverDefinition,
  OutputCommand,
  OutputInspection,
  UsbControlSetup,
  UsbFilter,
} from "./driver.ts";

/** A DriverCodec whose calls may cross a process boundary. */
export interface AsyncDriverCodec {
  /**
   * Sequence number of the frame the last resolved call encoded (see DriverCodec.lastSentSeq); read it
   * right after awaiting the call. Absent or negative when the driver does not say.
   */
  readonly lastSentSeq?: number;
  hello(): Promise<Uint8Array>;
  limits(limits: DeviceLimits): Promise<Uint8Array>;
  output(command: OutputCommand): Promise<Uint8Array>;
  stop(): Promise<Uint8Array>;
  decode(chunk: Uint8Array): Promise<DeviceMessage[]>;
  /** Frees the codec's state where it lives (a sandbox keeps one per connection); optional. */
  dispose?(): Promise<void>;
}

/** A driver whose codec may live in another process (a sandboxed plugin) or in this one. */
export interface AsyncDriver {
  /** Tells AsyncDriver from DriverDefinition at run time. */
  readonly isAsync: true;
  readonly id: string;
  readonly filters: readonly UsbFilter[];
  readonly endpoints: Readonly<DriverDefinition["endpoints"]>;
  readonly controlSetup: readonly UsbControlSetup[];
  createCodec(): Promise<AsyncDriverCodec>;
  /** Pure read-back of bytes (see DriverDefinition.inspectOutput); null when it commands no output. */
  inspectOutput(bytes: Uint8Array): Promise<OutputInspection | null>;
}

/** Wraps an in-process definition as an AsyncDriver; a missing inspectOutput makes inspection throw. */
export function toAsyncDriver(definition: DriverDefinition): AsyncDriver {
  return {
    isAsync: true,
    id: definition.id,
    filters: definition.filters,
    endpoints: definition.endpoints,
    controlSetup: definition.controlSetup ?? [],
    createCodec() {
      const codec = definition.createCodec();
      return Promise.resolve({
        get lastSentSeq() {
          return seqOf(codec);
        },
        hello: () => Promise.resolve().then(() => codec.hello()),
        limits: (l) => Promise.resolve().then(() => codec.limits(l)),
        output: (c) => Promise.resolve().then(() => codec.output(c)),
        stop: () => Promise.resolve().then(() => codec.stop()),
        decode: (b) => Promise.resolve().then(() => codec.decode(b)),
      });
    },
    inspectOutput(bytes) {
      if (!definition.inspectOutput) {
        return Promise.reject(new TypeError(`Driver "${definition.id}" has no inspectOutput`));
      }
      return Promise.resolve().then(() => definition.inspectOutput!(bytes));
    },
  };
}

/** A codec's lastSentSeq when it is a usable sequence number, else undefined. */
export function seqOf(codec: { readonly lastSentSeq?: unknown }): number | undefined {
  const seq = codec.lastSentSeq;
  return typeof seq === "number" && Number.isInteger(seq) && seq >= 0 ? seq : undefined;
}
