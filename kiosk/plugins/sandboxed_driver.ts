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
import { outputMismatch } from "../../core/sdk/envelope.ts";

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

/** A sandboxed driver: a LoadedDriver plus its process, which restart() replaces after a failure. */
export interface SandboxedDriver extends LoadedDriver {
  /** The current process (a new one after each restart). */
  readonly process: PluginProcess;
  /** True when the last failure was the reply watchdog (slowness, which a restart may cure), not misbehaviour. */
  readonly failedSlow: boolean;
  /**
   * Starts a fresh process after a failure and checks it as at load (same driver id, filters, endpoints);
   * codecs made on the old process stay dead. onFailure listeners hear the new process's failures too.
   * Rejects, leaving the driver failed, when the new process fails its checks.
   */
  restart(): Promise<void>;
}

const isBytes = (x: unknown): x is Uint8Array => x instanceof Uint8Array;

interface Started {
  proc: PluginProcess;
  d: NonNullable<Described["driver"]>;
  standbyStop: Uint8Array;
}

// A contract breach stops that process and rejects the call that found it.
const contractOf = (proc: PluginProcess) => (reason: string): never => {
  proc.fail(reason);
  throw new PluginFailedError(proc.pluginId, reason);
};

// Spawns the entry and checks what it declares against the manifest; a failed check kills it and throws.
async function spawnChecked(
  manifest: PluginManifest,
  entryUrl: URL,
  options: SandboxedDriverOptions,
  onSpawn: (proc: PluginProcess) => void = () => {},
): Promise<Started> {
  const proc = new PluginProcess(manifest.id, entryUrl, options);
  onSpawn(proc);
  const contract = contractOf(proc);
  try {
    const described = (await proc.call("describe")) as Described;
    const d = described?.driver;
    if (!d) return contract('the entry module exports no "driver"');
    if (d.id !== manifest.id) contract(`driver id "${d.id}" differs from plugin.json id "${manifest.id}"`);
    const probe = { vendorId: 0, productId: 0, deviceClass: 0 };
    for (const f of d.filters ?? []) {
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
    const standbyHandle = (await proc.call("codec.create")) as number;
    const standby = (await proc.call("codec.call", { handle: standbyHandle, fn: "stop", args: [] })) as {
      bytes: unknown;
    };
    if (!isBytes(standby?.bytes)) contract("stop() returned no bytes");
    return {
      proc,
      d: { ...d, controlSetup: d.controlSetup ?? [] },
      standbyStop: standby.bytes as Uint8Array,
    };
  } catch (e) {
    await proc.dispose();
    throw e;
  }
}

/** Spawns the plugin's entry in a sandbox and checks what it declares against its manifest. */
export async function startSandboxedDriver(
  manifest: PluginManifest,
  entryUrl: URL,
  options: SandboxedDriverOptions = {},
): Promise<SandboxedDriver> {
  const tolerance = options.currentToleranceUa ?? 0.05;
  let current = await spawnChecked(manifest, entryUrl, options);
  const first = current;
  const listeners: ((reason: string) => void)[] = [];
  const watch = (proc: PluginProcess) =>
    proc.onFailure((reason) => {
      for (const l of listeners) {
        try {
          l(reason);
        } catch (e) {
          console.error(`plugin host: failure listener for "${manifest.id}" threw`, e);
        }
      }
    });
  watch(current.proc);
  let disposed = false;
  const inspect = (bytes: Uint8Array, fromPlugin: unknown): OutputInspection | null =>
    options.trustedInspector ? options.trustedInspector(bytes) : (fromPlugin as OutputInspection | null);
  const sameShape = (a: Started, b: Started) =>
    JSON.stringify([a.d.endpoints, a.d.controlSetup]) === JSON.stringify([b.d.endpoints, b.d.controlSetup]);

  const driver: SandboxedDriver = {
    isAsync: true,
    id: manifest.id,
    filters: manifest.usb.filters,
    endpoints: first.d.endpoints,
    controlSetup: first.d.controlSetup,
    declared: { maxCurrentUa: manifest.limits.maxCurrentUa, netDc: manifest.capabilities.netDc },
    // The first process's: a restarted one could hand back other bytes, and these already stopped the device.
    standbyStop: first.standbyStop,
    get process() {
      return current.proc;
    },
    get failedSlow() {
      return current.proc.state === "failed" && current.proc.slow;
    },
    get state() {
      return current.proc.state;
    },
    get error() {
      return current.proc.error;
    },
    get pid() {
      return current.proc.pid;
    },
    onFailure: (listener) => void listeners.push(listener),
    stop: (reason) => current.proc.fail(reason),
    dispose: () => {
      disposed = true;
      return current.proc.dispose();
    },
    async restart() {
      if (current.proc.state === "starting" || current.proc.state === "running") return;
      if (disposed) throw new PluginFailedError(manifest.id, "disposed");
      let attempt: PluginProcess | null = null;
      let next: Started;
      try {
        next = await spawnChecked(manifest, entryUrl, options, (proc) => (attempt = proc));
      } catch (e) {
        // The driver shows the failed attempt (state, error, failedSlow): its reason is the news.
        if (attempt) current = { ...current, proc: attempt };
        throw e;
      }
      if (!sameShape(first, next)) {
        const reason = "endpoints or control setup differ from its first start";
        next.proc.fail(reason);
        current = { ...current, proc: next.proc };
        throw new PluginFailedError(manifest.id, reason);
      }
      if (disposed) {
        await next.proc.dispose();
        throw new PluginFailedError(manifest.id, "disposed");
      }
      current = next;
      watch(next.proc);
    },
    async inspectOutput(bytes) {
      if (options.trustedInspector) return options.trustedInspector(bytes);
      return (await current.proc.call("inspect", { bytes })) as OutputInspection | null;
    },
    async createCodec(): Promise<AsyncDriverCodec> {
      // A codec belongs to the process that made it: after a restart its calls fail, never reach the new one.
      const proc = current.proc;
      const contract = contractOf(proc);
      const callCodec = (handle: number, fn: string, args: unknown[]) =>
        proc.call("codec.call", { handle, fn, args });
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
