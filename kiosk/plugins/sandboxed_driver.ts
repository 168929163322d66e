/** A device driver running in a plugin sandbox, seen as an AsyncDriver; every output frame's current is checked. */
import type {
  AsyncDriver,
  AsyncDriverCodec,
  DeviceLimits,
  DeviceMessage,
  OutputCommand,
  OutputInspection,
  UsbControlSetup,
  UsbFilter,
} from "../../core/sdk/mod.ts";
import { matchesFilters, NAK_REASONS, validateOutputCommand } from "../../core/sdk/mod.ts";
import { isRecord, type PluginManifest } from "../../core/manifest/mod.ts";
import { PluginFailedError, PluginProcess, type PluginProcessOptions } from "./sandbox.ts";
import type { LoadedDriver } from "./host_types.ts";
import { outputMismatch } from "./_output_check.ts";

/** Reads back the current of host-bound bytes with code the host trusts (first-party protocols). */
export type TrustedInspector = (bytes: Uint8Array) => OutputInspection | null;

/** Options for startSandboxedDriver. */
export interface SandboxedDriverOptions extends PluginProcessOptions {
  /** The host's own decoder for this protocol; when given, the plugin's inspectOutput is not trusted (default none). */
  trustedInspector?: TrustedInspector;
  /** Slack allowed between asked and encoded current, µA (default 0.05: encoders round down to 0.1 µA). */
  currentToleranceUa?: number;
}

interface Described {
  driver: {
    id: string;
    filters: UsbFilter[];
    endpoints: AsyncDriver["endpoints"];
    controlSetup: UsbControlSetup[];
  } | null;
}

/** A sandboxed driver: a LoadedDriver plus its process. */
export interface SandboxedDriver extends LoadedDriver {
  readonly process: PluginProcess;
}

const isBytes = (x: unknown): x is Uint8Array => x instanceof Uint8Array;

/** Spawns the plugin's entry in a sandbox and checks what it declares against its manifest. */
export async function startSandboxedDriver(
  manifest: PluginManifest,
  entryUrl: URL,
  options: SandboxedDriverOptions = {},
): Promise<SandboxedDriver> {
  const proc = new PluginProcess(manifest.id, entryUrl, options);
  const tolerance = options.currentToleranceUa ?? 0.05;
  const contract = (reason: string): never => {
    proc.fail(reason);
    throw new PluginFailedError(manifest.id, reason);
  };
  try {
    const described = (await proc.call("describe")) as Described;
    const d = described?.driver;
    if (!d) contract('the entry module exports no "driver"');
    if (d!.id !== manifest.id) contract(`driver id "${d!.id}" differs from plugin.json id "${manifest.id}"`);
    const probe = { vendorId: 0, productId: 0, deviceClass: 0 };
    for (const f of d!.filters ?? []) {
      // The host opens only what the approved manifest names; the code may not widen it.
      const dev = {
        ...probe,
        vendorId: f.vendorId,
        productId: f.productId ?? -1,
        deviceClass: f.classCode ?? -1,
      };
      if (!matchesFilters(dev, manifest.usb.filters)) {
        contract(`driver filter ${JSON.stringify(f)} is not in plugin.json usb.filters`);
      }
    }
    const inspect = (bytes: Uint8Array, fromPlugin: unknown): OutputInspection | null =>
      options.trustedInspector ? options.trustedInspector(bytes) : (fromPlugin as OutputInspection | null);
    const callCodec = (handle: number, fn: string, args: unknown[]) =>
      proc.call("codec.call", { handle, fn, args });
    const standbyHandle = (await proc.call("codec.create")) as number;
    const standby = (await callCodec(standbyHandle, "stop", [])) as { bytes: unknown };
    if (!isBytes(standby?.bytes)) contract("stop() returned no bytes");
    const standbyStop = standby.bytes as Uint8Array;

    const driver: SandboxedDriver = {
      isAsync: true,
      id: manifest.id,
      filters: manifest.usb.filters,
      endpoints: d!.endpoints,
      controlSetup: d!.controlSetup ?? [],
      process: proc,
      declared: { maxCurrentUa: manifest.limits.maxCurrentUa, netDc: manifest.capabilities.netDc },
      standbyStop,
      get state() {
        return proc.state;
      },
      get error() {
        return proc.error;
      },
      pid: proc.pid,
      onFailure: (listener) => proc.onFailure(listener),
      dispose: () => proc.dispose(),
      async inspectOutput(bytes) {
        if (options.trustedInspector) return options.trustedInspector(bytes);
        return (await proc.call("inspect", { bytes })) as OutputInspection | null;
      },
      async createCodec(): Promise<AsyncDriverCodec> {
        const handle = (await proc.call("codec.create")) as number;
        let lastSentSeq: number | undefined;
        // Every encode reply names the sequence number its bytes used (null when the driver does not say).
        const encoded = async (fn: string, args: unknown[]) => {
          const r = await callCodec(handle, fn, args);
          if (!isRecord(r) || !isBytes(r.bytes)) contract(`${fn}() returned no bytes`);
          const o = r as { bytes: Uint8Array; inspection?: unknown; seq?: unknown };
          lastSentSeq = Number.isInteger(o.seq) && (o.seq as number) >= 0 ? o.seq as number : undefined;
          return o;
        };
        const bytesOf = async (fn: string, args: unknown[]) => (await encoded(fn, args)).bytes;
        return {
          get lastSentSeq() {
            return lastSentSeq;
          },
          hello: () => bytesOf("hello", []),
          limits: (limits: DeviceLimits) => bytesOf("limits", [limits]),
          async output(command: OutputCommand) {
            // Bad commands never reach the plugin: refusing them is the host's job, not a plugin failure.
            const c = validateOutputCommand(command);
            const r = await encoded("output", [c]);
            const wrong = outputMismatch(inspect(r.bytes, r.inspection), c, tolerance);
            if (wrong) contract(wrong);
            return r.bytes;
          },
          async stop() {
            const r = await encoded("stop", []);
            const seen = inspect(r.bytes, r.inspection);
            if (seen?.currentUa !== 0) {
              contract(`stop() bytes read back as ${JSON.stringify(seen)}, not 0 µA`);
            }
            return r.bytes;
          },
          async dispose() {
            if (proc.state === "running") await proc.call("codec.dispose", { handle });
          },
          async decode(chunk: Uint8Array) {
            const r = await callCodec(handle, "decode", [chunk]);
            if (!Array.isArray(r)) contract("decode() did not return an array");
            return (r as unknown[]).map((m) => checkMessage(m, contract));
          },
        };
      },
    };
    return driver;
  } catch (e) {
    await proc.dispose();
    throw e;
  }
}

// Device messages from a plugin are outside input: keep only well-formed ones.
function checkMessage(m: unknown, contract: (reason: string) => never): DeviceMessage {
  const o = (isRecord(m) ? m : {}) as Record<string, unknown>;
  const bad = () => contract(`decode() returned a malformed message ${JSON.stringify(m)?.slice(0, 120)}`);
  switch (o?.kind) {
    case "telemetry": {
      const t = o.telemetry as Record<string, unknown>;
      const ok = t && typeof t.contact === "boolean" && typeof t.impedanceOhm === "number" &&
        t.impedanceOhm >= 0 &&
        typeof t.measuredUa === "number" && Number.isFinite(t.measuredUa) && t.measuredUa >= 0 &&
        (t.batteryPct === null || typeof t.batteryPct === "number") && Array.isArray(t.faults) &&
        t.faults.every((f) => typeof f === "string");
      return ok ? (o as unknown as DeviceMessage) : bad();
    }
    case "info": {
      const i = o.info as Record<string, unknown>;
      const ok = i && typeof i.model === "string" && typeof i.firmware === "string" &&
        typeof i.maxCurrentUa === "number" &&
        Number.isFinite(i.maxCurrentUa) && typeof i.netDc === "boolean";
      return ok ? (o as unknown as DeviceMessage) : bad();
    }
    case "ack":
      return typeof o.seq === "number" ? (o as unknown as DeviceMessage) : bad();
    case "nak":
      return NAK_REASONS.includes(o.reason as never) &&
          (o.seq === undefined || (Number.isInteger(o.seq) && (o.seq as number) >= 0)) &&
          (o.detail === undefined || typeof o.detail === "string")
        ? (o as unknown as DeviceMessage)
        : bad();
    case "fault":
      return typeof o.code === "string" && typeof o.detail === "string"
        ? (o as unknown as DeviceMessage)
        : bad();
    case "corrupt":
      return typeof o.reason === "string" ? (o as unknown as DeviceMessage) : bad();
    default:
      return bad();
  }
}
