/** A trusted (first-party) driver run in the kiosk process, with the same output check and failure reporting as a sandboxed one. */
import {
  type AsyncDriverCodec,
  type DriverDefinition,
  type OutputCommand,
  seqOf,
  toAsyncDriver,
  validateOutputCommand,
} from "../../core/sdk/mod.ts";
import { PluginFailedError } from "./sandbox.ts";
import type { DeclaredLimits, LoadedDriver } from "./host_types.ts";
import { outputMismatch } from "../../core/sdk/envelope.ts";

/** Options for guardInProcessDriver. */
export interface GuardOptions {
  /** The plugin manifest's limits (default null: a bare definition, limited by its device alone). */
  declared?: DeclaredLimits | null;
}

/**
 * Wraps a definition: output bytes must read back at or below the asked current (and with the asked
 * polarity and at most the asked validity, where the read-back says), and any throw stops the driver.
 */
export function guardInProcessDriver(definition: DriverDefinition, options: GuardOptions = {}): LoadedDriver {
  if (typeof definition.inspectOutput !== "function") {
    throw new TypeError(`Driver "${definition.id}": "inspectOutput" must be a function`);
  }
  const inner = toAsyncDriver(definition);
  const listeners: ((reason: string) => void)[] = [];
  let state: "running" | "failed" | "stopped" = "running";
  let error: string | null = null;
  const fail = (reason: string): never => {
    if (state === "running") {
      state = "failed";
      error = reason;
      for (const l of listeners.splice(0)) {
        try {
          l(reason);
        } catch (e) {
          console.error(`plugin host: failure listener for "${definition.id}" threw`, e);
        }
      }
    }
    throw new PluginFailedError(definition.id, error ?? reason);
  };
  // The codec's calls run inside the guard, synchronous as the definition wrote them: a throw is caught here.
  const guard = async <T>(what: string, run: () => T | Promise<T>): Promise<T> => {
    if (state !== "running") throw new PluginFailedError(definition.id, error ?? "stopped");
    try {
      return await run();
    } catch (e) {
      if (e instanceof PluginFailedError) throw e;
      return fail(`"${what}" threw ${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? e}`);
    }
  };
  const standbyStop = definition.createCodec().stop();
  return {
    ...inner,
    declared: options.declared ?? null,
    standbyStop,
    get state() {
      return state;
    },
    get error() {
      return error;
    },
    pid: null,
    onFailure: (l) => void listeners.push(l),
    stop(reason) {
      try {
        fail(reason);
      } catch { /* fail() throws for a codec call that finds the fault; here the stop is the point */ }
    },
    dispose() {
      if (state === "running") state = "stopped";
      return Promise.resolve();
    },
    async createCodec(): Promise<AsyncDriverCodec> {
      const codec = await guard("createCodec", () => definition.createCodec());
      return {
        get lastSentSeq() {
          return seqOf(codec);
        },
        hello: () => guard("hello", () => codec.hello()),
        limits: (l) => guard("limits", () => codec.limits(l)),
        stop: () => guard("stop", () => codec.stop()),
        decode: (b) => guard("decode", () => codec.decode(b)),
        async output(command: OutputCommand) {
          const c = validateOutputCommand(command);
          const bytes = await guard("output", () => codec.output(c));
          const seen = await guard("inspectOutput", () => definition.inspectOutput!(bytes));
          const wrong = outputMismatch(seen, c);
          if (wrong) fail(wrong);
          return bytes;
        },
      };
    },
  };
}
