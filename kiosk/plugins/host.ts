/** The kiosk's plugin host: discovery, operator approval, loading drivers (sandboxed or trusted) and routines, status for /api/health. */
import { join, resolve } from "node:path";
import type { Clock, DriverDefinition, UsbDeviceLike } from "../../core/sdk/mod.ts";
import { matchesFilters, systemClock } from "../../core/sdk/mod.ts";
import type { Routine } from "../../core/routines/mod.ts";
import { parseRoutineFile } from "../routines/mod.ts";
import { type DiscoveredPlugin, discoverPlugins } from "./discovery.ts";
import type { CentralChange, LoadedDriver, PluginFailure, PluginStatus } from "./host_types.ts";
import { guardInProcessDriver } from "./in_process_driver.ts";
import type { PluginProcessOptions } from "./sandbox.ts";
import { type SandboxedDriver, startSandboxedDriver, type TrustedInspector } from "./sandboxed_driver.ts";
import { PluginStateStore } from "./state.ts";
import { pluginFilesHash } from "./files.ts";
import { type Verdict, verdictOf } from "./approval.ts";
import { type CentralDecision, CentralDecisions } from "./central_decisions.ts";
import {
  type PluginSimulator,
  type PluginSimulatorOptions,
  startPluginSimulator,
} from "./plugin_simulator.ts";
import type { PluginManifest } from "../../core/manifest/mod.ts";

/** Options for createPluginHost. */
export interface PluginHostOptions {
  /** First-party plugin folder (default the project's plugins/). */
  firstPartyDir?: string;
  /** Operator plugin folder (the kiosk's `pluginDir`, by default `<data folder>/plugins`: kiosk/config.ts). */
  operatorDir: string;
  /** Run first-party drivers sandboxed too (default false: they are trusted and run in-process). */
  sandboxFirstParty?: boolean;
  /** Host-side decoders by plugin id, used instead of a plugin's own inspectOutput (default none). */
  trustedInspectors?: Record<string, TrustedInspector>;
  /** Sandbox settings (heap, reply watchdog `callTimeoutMs`, checked by validateCallTimeoutMs) for operator plugins. */
  sandbox?: Omit<PluginProcessOptions, "permissions" | "pluginDir">;
  /**
   * Restarts of a sandboxed driver stopped by its reply watchdog (slowness; misbehaviour is never restarted):
   * the delay doubles from `initialMs` to `maxMs` while failures follow each other, and is back at `initialMs`
   * once the plugin ran `resetAfterMs` without failing. Default 1000 → 30 000 ms, reset after 60 000 ms.
   */
  restart?: { initialMs?: number; maxMs?: number; resetAfterMs?: number };
  /** Timers for restarts (tests pass a manual clock). Default: the runtime's. */
  clock?: Clock;
  /** Log lines (restarts). Default console.error. */
  log?: (line: string) => void;
}

/** Shortest and longest reply watchdog accepted, in ms. */
export const CALL_TIMEOUT_RANGE_MS = { min: 20, max: 10_000 } as const;

/**
 * Checks a reply watchdog setting: an integer within CALL_TIMEOUT_RANGE_MS; throws a RangeError naming the value.
 * `what` names the setting in the message (e.g. "PLUGIN_CALL_TIMEOUT_MS").
 */
export function validateCallTimeoutMs(ms: unknown, what = "callTimeoutMs"): number {
  const { min, max } = CALL_TIMEOUT_RANGE_MS;
  if (typeof ms !== "number" || !Number.isInteger(ms) || ms < min || ms > max) {
    throw new RangeError(
      `${what} must be an integer ${min}..${max} ms, got ${JSON.stringify(ms) ?? String(ms)}`,
    );
  }
  return ms;
}

/** Where a station keeps the chain's decisions as last pulled, inside its operator plugin folder. */
export const CENTRAL_APPROVALS_FILE = "central-approvals.json";

/** Discovers plugins and opens the operator's decisions and the chain's (as last pulled). */
export async function createPluginHost(options: PluginHostOptions): Promise<PluginHost> {
  const firstPartyDir = resolve(options.firstPartyDir ?? new URL("../../plugins", import.meta.url).pathname);
  const operatorDir = resolve(options.operatorDir);
  if (options.sandbox?.callTimeoutMs !== undefined) validateCallTimeoutMs(options.sandbox.callTimeoutMs);
  const state = await PluginStateStore.open(join(operatorDir, "state.json"));
  const central = await CentralDecisions.open(join(operatorDir, CENTRAL_APPROVALS_FILE));
  const host = new PluginHost(firstPartyDir, operatorDir, state, central, options);
  await host.refresh();
  return host;
}

/** Holds every known plugin, the drivers loaded from them, and their failures. */
export class PluginHost {
  #plugins: DiscoveredPlugin[] = [];
  #loaded = new Map<string, LoadedDriver>();
  #failures = new Map<string, string>();
  /** hashPluginFiles() of each operator plugin, as last read (at refresh, enable and every load). */
  #hashes = new Map<string, string>();
  #listeners: ((f: PluginFailure) => void)[] = [];
  // Per plugin stopped for slowness: the next restart delay, when it last came up, the pending timer.
  #restarts = new Map<string, { nextMs: number; upSince: number; timer: unknown }>();
  readonly #clock: Clock;
  readonly #restart: { initialMs: number; maxMs: number; resetAfterMs: number };
  readonly #log: (line: string) => void;

  constructor(
    readonly firstPartyDir: string,
    readonly operatorDir: string,
    readonly state: PluginStateStore,
    /** The chain's decisions (issue 10): in force over the operator's for the plugins they name. */
    readonly central: CentralDecisions,
    readonly options: PluginHostOptions,
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#restart = {
      initialMs: options.restart?.initialMs ?? 1000,
      maxMs: options.restart?.maxMs ?? 30_000,
      resetAfterMs: options.restart?.resetAfterMs ?? 60_000,
    };
    this.#log = options.log ?? ((line) => console.error(line));
  }

  /** Re-reads both plugin folders (and hashes every operator plugin's files). */
  async refresh(): Promise<void> {
    this.#plugins = await discoverPlugins({ firstParty: this.firstPartyDir, operator: this.operatorDir });
    this.#hashes.clear();
    for (const p of this.#plugins) if (p.origin === "operator" && p.manifest && !p.error) this.#rehash(p);
  }

  // Hashes the plugin's files now; a folder that cannot be hashed (a symbolic link) makes the plugin invalid.
  #rehash(p: DiscoveredPlugin): string | null {
    try {
      const hash = pluginFilesHash(p.dir, p.manifest!);
      this.#hashes.set(p.id, hash);
      return hash;
    } catch (e) {
      this.#hashes.delete(p.id);
      p.error = e instanceof Error ? e.message : String(e);
      return null;
    }
  }

  /** Every plugin with its state, for /api/health and `plugin list`. */
  list(): PluginStatus[] {
    return this.#plugins.map((p) => {
      const m = p.manifest;
      const base = {
        id: p.id,
        origin: p.origin,
        dir: p.dir,
        name: m?.name ?? p.id,
        version: m?.version ?? "?",
        kinds: m?.kinds ?? [],
      };
      const none = { decidedBy: null, centralRow: null };
      if (!m || p.error) return { ...base, state: "invalid" as const, error: p.error, ...none };
      const failure = this.#failures.get(p.id);
      if (failure) return { ...base, state: "failed" as const, error: failure, ...none };
      const v = this.#verdict(p, this.#hashes.get(p.id) ?? null);
      const by = { decidedBy: v.decidedBy, centralRow: v.centralRow };
      if (this.#loaded.has(p.id)) return { ...base, state: "running" as const, error: null, ...by };
      const state = v.state === "approved"
        ? "enabled" as const
        : v.state === "not-approved"
        ? "needs-approval" as const
        : v.state;
      return { ...base, state, error: v.reason, ...by };
    });
  }

  // Which decision applies to p (the chain's over the operator's) with its files as hashed.
  #verdict(p: DiscoveredPlugin, hash: string | null): Verdict {
    const decisions = { local: this.state.get(p.id), central: this.central.get(p.id) };
    return verdictOf(p.manifest!, p.origin === "first-party", hash, decisions);
  }

  /** The short form for /api/health: {id, state, error} per plugin, and who decided where the chain did. */
  health(): Pick<PluginStatus, "id" | "state" | "error">[] {
    return this.list().map(({ id, state, error, decidedBy, centralRow }) =>
      decidedBy === "salon" || decidedBy === "chain"
        ? { id, state, error, decidedBy, centralRow }
        : { id, state, error }
    );
  }

  /** Calls listener whenever a loaded driver fails (after it is already stopped). */
  onFailure(listener: (failure: PluginFailure) => void): () => void {
    this.#listeners.push(listener);
    return () => void (this.#listeners = this.#listeners.filter((l) => l !== listener));
  }

  #find(id: string): DiscoveredPlugin {
    const p = this.#plugins.find((x) => x.id === id && x.manifest);
    if (!p) throw new RangeError(`Unknown plugin "${id}"`);
    return p;
  }

  /** Records operator approval of the plugin's current permissions and files. */
  async enable(id: string): Promise<void> {
    const p = this.#find(id);
    const hash = this.#rehash(p);
    if (hash === null) throw new TypeError(`Cannot enable plugin "${id}": ${p.error}`);
    await this.state.enable(p.manifest!, hash);
    this.#failures.delete(id);
  }

  /** Disables a plugin and stops it if loaded (as a revocation does: output 0 and the stop recorded). */
  async disable(id: string): Promise<void> {
    const p = this.#find(id);
    await this.state.disable(p.manifest!);
    await this.#stopLoaded(id, "disabled by the operator");
  }

  // Stops a loaded driver through the failure path (listeners: engine fault, device STOP, the fault in the record),
  // then shows the decision rather than a failure. False when it was not loaded.
  async #stopLoaded(id: string, why: string): Promise<boolean> {
    const restarting = this.#restarts.has(id);
    this.#cancelRestart(id);
    const driver = this.#loaded.get(id);
    if (!driver) {
      // A slow plugin's restart, cancelled: its "restarting in ..." failure no longer says what applies.
      if (restarting) this.#failures.delete(id);
      return false;
    }
    driver.stop(`stopped: ${why}`);
    this.#failures.delete(id);
    this.#loaded.delete(id);
    await driver.dispose();
    return true;
  }

  /** The id of an enabled driver plugin whose manifest filters match the device, or null. */
  driverFor(device: Pick<UsbDeviceLike, "vendorId" | "productId" | "deviceClass">): string | null {
    const hit = this.list().find((s) =>
      (s.state === "enabled" || s.state === "running") && s.kinds.includes("device-driver") &&
      matchesFilters(device, this.#find(s.id).manifest!.usb.filters)
    );
    return hit?.id ?? null;
  }

  // An enabled device-driver plugin whose files are as approved, or a throw that says why not.
  #approvedDriver(id: string): { p: DiscoveredPlugin; m: PluginManifest; firstParty: boolean; v: Verdict } {
    const p = this.#find(id);
    const m = p.manifest!;
    if (!m.kinds.includes("device-driver")) throw new TypeError(`Plugin "${id}" is not a device-driver`);
    const firstParty = p.origin === "first-party";
    // Hashed again here, not at refresh: files changed a second ago must not load under an old approval.
    const hash = firstParty ? null : this.#rehash(p);
    if (p.error) throw new Error(`Cannot load plugin "${id}": ${p.error}`);
    const v = this.#verdict(p, hash);
    if (v.state !== "approved") throw new Error(`Cannot load plugin "${id}": ${v.reason ?? v.state}`);
    return { p, m, firstParty, v };
  }

  /**
   * Starts an approved driver plugin's own simulated device (DEVICE=simulated:<id>); vendor code runs in a
   * sandbox of its own without permissions. Throws when the plugin is unknown, not an enabled driver, or has none.
   */
  async startSimulator(
    id: string,
    options: Pick<PluginSimulatorOptions, "log"> = {},
  ): Promise<PluginSimulator> {
    const { p, m, firstParty } = this.#approvedDriver(id);
    return await startPluginSimulator(m, p.dir, { ...options, firstParty, sandbox: this.options.sandbox });
  }

  /** Loads (or returns the loaded) driver: operator plugins in their sandbox, first-party ones in-process unless configured. */
  async loadDriver(id: string): Promise<LoadedDriver> {
    const existing = this.#loaded.get(id);
    if (existing && existing.state === "running") return existing;
    const { p, m, firstParty, v } = this.#approvedDriver(id);
    const entry = new URL(`file://${join(p.dir, m.entry)}`);
    let driver: LoadedDriver;
    if (firstParty && !this.options.sandboxFirstParty) {
      const mod = await import(entry.href) as { driver?: DriverDefinition; default?: DriverDefinition };
      const definition = mod.driver ?? mod.default;
      if (!definition) throw new TypeError(`Plugin "${id}": entry exports no "driver"`);
      driver = guardInProcessDriver(definition, {
        declared: { maxCurrentUa: m.limits.maxCurrentUa, netDc: m.capabilities.netDc },
      });
    } else {
      driver = await startSandboxedDriver(m, entry, {
        ...this.options.sandbox,
        permissions: v.permissions,
        pluginDir: p.dir,
        trustedInspector: this.options.trustedInspectors?.[id],
      });
    }
    // The chain may have revoked it (or its files changed) while the process came up: applyCentral could not stop
    // a driver that was not loaded yet, so it must not become loaded now.
    const refused = this.#approvalChanged(id);
    if (refused) {
      await driver.dispose();
      throw new Error(`Cannot load plugin "${id}": ${refused}`);
    }
    this.#failures.delete(id);
    this.#loaded.set(id, driver);
    this.#cancelRestart(id);
    const sandboxed = "restart" in driver ? driver as SandboxedDriver : null;
    if (sandboxed) {
      this.#restarts.set(id, { nextMs: this.#restart.initialMs, upSince: this.#clock.now(), timer: null });
    }
    driver.onFailure((reason) => {
      this.#failures.set(id, reason);
      this.#loaded.delete(id);
      this.#log(`plugin "${id}" stopped: ${reason}`);
      for (const l of this.#listeners) {
        try {
          l({ id, reason });
        } catch (e) {
          console.error("plugin host: failure listener threw", e);
        }
      }
      if (sandboxed?.failedSlow) this.#scheduleRestart(id, sandboxed, false);
    });
    return driver;
  }

  // A plugin stopped for slowness gets a fresh process after a growing delay. Nothing else changes: the device
  // host and the engine keep their latches, so output stays 0 until an operator reset and a person's resume.
  #scheduleRestart(id: string, driver: SandboxedDriver, afterFailedAttempt: boolean): void {
    const r = this.#restarts.get(id);
    if (!r || r.timer !== null) return;
    const ranLong = !afterFailedAttempt && this.#clock.now() - r.upSince >= this.#restart.resetAfterMs;
    const delay = ranLong ? this.#restart.initialMs : r.nextMs;
    r.nextMs = Math.min(delay * 2, this.#restart.maxMs);
    this.#failures.set(id, `${driver.error}; restarting in ${delay} ms`);
    r.timer = this.#clock.setTimeout(async () => {
      r.timer = null;
      // A fresh process loads the files as they are now: they must still be the approved ones.
      const refused = this.#approvalChanged(id);
      if (refused) {
        this.#failures.set(id, `not restarted: ${refused}`);
        this.#log(`plugin "${id}" not restarted: ${refused}`);
        return;
      }
      try {
        await driver.restart();
      } catch (e) {
        if (this.#restarts.get(id) !== r) return; // disabled or disposed meanwhile
        if (driver.failedSlow) return this.#scheduleRestart(id, driver, true);
        this.#failures.set(id, driver.error ?? (e instanceof Error ? e.message : String(e)));
        this.#log(`plugin "${id}" not restarted: ${this.#failures.get(id)}`);
        return;
      }
      if (this.#restarts.get(id) !== r) return void driver.dispose();
      r.upSince = this.#clock.now();
      this.#failures.delete(id);
      this.#loaded.set(id, driver);
      this.#log(`plugin "${id}" restarted after ${delay} ms; output stays 0 until an operator reset`);
    }, delay);
  }

  // Why a plugin may not run its files now (revoked, changed since approval, not hashable), or null.
  #approvalChanged(id: string): string | null {
    const p = this.#find(id);
    const hash = p.origin === "operator" ? this.#rehash(p) : null;
    if (p.error) return p.error;
    const v = this.#verdict(p, hash);
    return v.state === "approved" ? null : v.reason ?? "not approved";
  }

  /**
   * Takes the chain's decisions as just pulled (central rows, checked here), keeps them in the local copy, then
   * stops each loaded driver that may no longer run through the failure path: output 0, the device's STOP, the
   * fault recorded with the session. Returns the plugins whose central decision changed and what that means here.
   */
  async applyCentral(rows: readonly unknown[]): Promise<CentralChange[]> {
    const before = (await this.central.replace(rows)).decisions;
    const after = this.central.current.decisions;
    const changed = [...new Set([...before.keys(), ...after.keys()])]
      .filter((id) => before.get(id)?.rowId !== after.get(id)?.rowId);
    const stopped = new Set<string>();
    for (const id of changed) {
      // A driver stopped for slowness is not loaded but may be restarting: a revocation cancels that restart too.
      const why = this.#loaded.has(id) || this.#restarts.has(id) ? this.#approvalChanged(id) : null;
      if (why !== null && await this.#stopLoaded(id, why)) stopped.add(id);
    }
    const status = this.list();
    return changed.map((id) => {
      const s = status.find((x) => x.id === id);
      const decision: CentralDecision | null = after.get(id) ?? null;
      return {
        pluginId: id,
        decision,
        state: s?.state ?? "not-installed",
        error: s?.error ?? null,
        stopped: stopped.has(id),
      };
    });
  }

  #cancelRestart(id: string): void {
    const r = this.#restarts.get(id);
    if (r?.timer != null) this.#clock.clearTimeout(r.timer);
    this.#restarts.delete(id);
  }

  /** Routines from every enabled routine plugin; a bad file is reported per plugin and skipped. */
  async loadRoutines(): Promise<{ routines: Routine[]; errors: PluginFailure[] }> {
    const routines: Routine[] = [];
    const errors: PluginFailure[] = [];
    for (const s of this.list()) {
      if (!s.kinds.includes("routine") || (s.state !== "enabled" && s.state !== "running")) continue;
      const p = this.#find(s.id);
      if (p.origin === "operator" && this.#verdict(p, this.#rehash(p)).state !== "approved") {
        continue; // changed since refresh: list() now says so
      }
      const file = join(p.dir, p.manifest!.routines!);
      try {
        const list = parseRoutineFile(await Deno.readTextFile(file), `${s.id}/${p.manifest!.routines}`);
        const taken = new Set(routines.map((r) => r.id));
        for (const r of list) {
          if (taken.has(r.id)) {
            throw new TypeError(`routine id "${r.id}" is already provided by another plugin`);
          }
        }
        routines.push(...list);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        errors.push({ id: s.id, reason });
        this.#failures.set(s.id, reason);
      }
    }
    return { routines, errors };
  }

  /** Stops every loaded driver and waits for sandbox processes to exit. */
  async dispose(): Promise<void> {
    for (const id of [...this.#restarts.keys()]) this.#cancelRestart(id);
    const all = [...this.#loaded.values()];
    this.#loaded.clear();
    await Promise.all(all.map((d) => d.dispose()));
  }
}
