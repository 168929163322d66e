/** The driver conformance kit: drives a driver against its simulated device and the safety envelope, check by check. */
import { type AsyncDriver, toAsyncDriver } from "./async_codec.ts";
import type { DriverDefinition } from "./driver.ts";
import type { CreateRemoteSimulatedDevice, CreateSimulatedDevice } from "./simulated.ts";
import { CHECKS, type Ctx } from "./_conformance_checks.ts";

/** One check's outcome. */
export interface ConformanceCheck {
  name: string;
  ok: boolean;
  /** What was seen (on pass) or what went wrong (on failure). */
  detail: string;
}

/** Every check's outcome for one driver. */
export interface ConformanceReport {
  driverId: string;
  checks: ConformanceCheck[];
  passed: number;
  failed: number;
  ok: boolean;
}

/** Options for runDriverConformance. */
export interface ConformanceOptions {
  /** Called with one formatted line per check as it finishes (default: nothing). */
  log?: (line: string) => void;
  /** Run only checks whose name includes one of these (default: all). */
  only?: string[];
}

/** Names of every check, in run order. */
export const CONFORMANCE_CHECKS: readonly string[] = CHECKS.map(([name]) => name);

/**
 * Runs every conformance check of a driver against fresh simulated devices from
 * createSimulatedDevice. Each check opens its own device; nothing is shared between checks.
 */
export async function runDriverConformance(
  driver: DriverDefinition | AsyncDriver,
  createSimulatedDevice: CreateSimulatedDevice | CreateRemoteSimulatedDevice,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const asyncDriver = "isAsync" in driver && driver.isAsync === true
    ? driver
    : toAsyncDriver(driver as DriverDefinition);
  const ctx: Ctx = { driver: asyncDriver, create: createSimulatedDevice };
  const checks: ConformanceCheck[] = [];
  for (const [name, run] of CHECKS) {
    if (options.only && !options.only.some((o) => name.includes(o))) continue;
    let result: ConformanceCheck;
    try {
      result = { name, ok: true, detail: await run(ctx) };
    } catch (e) {
      result = { name, ok: false, detail: e instanceof Error ? e.message : String(e) };
    }
    checks.push(result);
    options.log?.(formatCheck(result));
  }
  const passed = checks.filter((c) => c.ok).length;
  return {
    driverId: asyncDriver.id,
    checks,
    passed,
    failed: checks.length - passed,
    ok: passed === checks.length,
  };
}

function formatCheck(c: ConformanceCheck): string {
  return `${c.ok ? "pass" : "FAIL"}  ${c.name}${c.detail ? ` — ${c.detail}` : ""}`;
}

/** The report as text: one line per check and a summary line. */
export function formatConformanceReport(report: ConformanceReport): string {
  return [
    `conformance: ${report.driverId}`,
    ...report.checks.map(formatCheck),
    `${report.passed} passed, ${report.failed} failed`,
  ].join("\n");
}
