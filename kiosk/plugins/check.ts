/** `plugin check`: validates a plugin folder and runs the conformance kit with its driver in the sandbox. */
import { join, resolve } from "node:path";
import {
  type ConformanceReport,
  type CreateRemoteSimulatedDevice,
  type CreateSimulatedDevice,
  type DriverDefinition,
  formatConformanceReport,
  runDriverConformance,
} from "../../core/sdk/mod.ts";
import { parseRoutineFile } from "../routines/mod.ts";
import { readPluginFolder } from "./discovery.ts";
import { startSandboxedDriver } from "./sandboxed_driver.ts";
import { sandboxedSimulator } from "./sandboxed_simulator.ts";
import type { LoadedDriver } from "./host_types.ts";

/** Options for checkPluginFolder. */
export interface CheckOptions {
  /** Called with each output line (default console.log). */
  log?: (line: string) => void;
  /** Run the driver sandboxed (default true) or in-process (faster to debug). */
  sandbox?: boolean;
  /** Sandbox watchdog per call in ms (default 200, as on a kiosk). */
  callTimeoutMs?: number;
}

/** What checkPluginFolder found. */
export interface CheckResult {
  ok: boolean;
  id: string;
  conformance: ConformanceReport | null;
  routines: number;
  problems: string[];
}

/**
 * Checks a plugin folder: manifest and apiVersion, routine files, and for a driver the full
 * conformance kit against the plugin's own simulator. Driver and simulator are vendor code: both run
 * in one sandbox with no permissions (the simulator's devices are driven over its RPC).
 */
export async function checkPluginFolder(folder: string, options: CheckOptions = {}): Promise<CheckResult> {
  const log = options.log ?? console.log;
  const dir = resolve(folder);
  const found = await readPluginFolder(dir, "operator");
  const result: CheckResult = { ok: false, id: found.id, conformance: null, routines: 0, problems: [] };
  if (!found.manifest) {
    result.problems.push(found.error!);
    log(`FAIL  manifest — ${found.error}`);
    return result;
  }
  const m = found.manifest;
  log(`pass  manifest — ${m.id} ${m.version}, kinds ${m.kinds.join(", ")}, apiVersion ${m.apiVersion}`);
  if (m.routines) {
    try {
      const list = parseRoutineFile(await Deno.readTextFile(join(dir, m.routines)), `${m.id}/${m.routines}`);
      result.routines = list.length;
      log(`pass  routines — ${list.map((r) => r.id).join(", ")}`);
    } catch (e) {
      result.problems.push((e as Error).message);
      log(`FAIL  routines — ${(e as Error).message}`);
    }
  }
  if (m.kinds.includes("device-driver")) {
    if (!m.simulator) {
      result.problems.push('plugin.json has no "simulator": the kit needs one to drive the driver');
      log(`FAIL  simulator — plugin.json names no simulator module`);
    } else {
      const entry = new URL(`file://${join(dir, m.entry)}`);
      const simulatorEntry = new URL(`file://${join(dir, m.simulator)}`);
      let driver: LoadedDriver | DriverDefinition;
      let createSim: CreateSimulatedDevice | CreateRemoteSimulatedDevice | undefined;
      if (options.sandbox === false) {
        // The developer's own choice, for debugging: driver and simulator run in this process.
        driver = await import(entry.href).then((mod) => mod.driver ?? mod.default);
        createSim = (await import(simulatorEntry.href)).createSimulatedDevice;
      } else {
        // The simulator is vendor code too: it runs in the driver's sandbox, with no permissions.
        const sandboxed = await startSandboxedDriver(m, entry, {
          pluginDir: dir,
          callTimeoutMs: options.callTimeoutMs,
          simulatorEntry,
        }).catch((e: Error) => e);
        if (sandboxed instanceof Error) {
          // E.g. driver or simulator touching a file it may not read while loading: a finding, not a crash.
          result.problems.push(sandboxed.message);
          log(`FAIL  sandbox — ${sandboxed.message}`);
          return result;
        }
        driver = sandboxed;
        createSim = sandboxedSimulator(sandboxed.process);
      }
      try {
        if (typeof createSim !== "function") {
          result.problems.push(`${m.simulator} exports no createSimulatedDevice`);
        } else {
          result.conformance = await runDriverConformance(driver, createSim, { log });
          if (!result.conformance.ok) {
            result.problems.push(`${result.conformance.failed} conformance check(s) failed`);
          }
          const loaded = driver as Partial<LoadedDriver>;
          if (loaded.state === "failed") result.problems.push(`the driver was stopped: ${loaded.error}`);
          log(formatConformanceReport(result.conformance).split("\n").at(-1)!);
        }
      } finally {
        await (driver as Partial<LoadedDriver>).dispose?.();
      }
    }
  }
  result.ok = result.problems.length === 0;
  return result;
}
