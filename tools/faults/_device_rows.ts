/** Fault-matrix rows on the SIM-1 in an in-process kiosk: unplug, stall, corrupt bytes, lost tracking, page gone. */
import { checkRecord, type RecordVerdict } from "./_record.ts";
import { type Rig, sim1Device, startRig } from "./_rig.ts";
import { type FaultRow, judge } from "./_row.ts";

/** Output the session must have reached before a fault is injected, µA (the engine slews at ≤ 100 µA/s). */
export const ARM_UA = 60;
/** How long the kiosk runs after an injection before it is judged, ms. */
export const WINDOW_MS = 1200;

type Sim1 = ReturnType<typeof sim1Device>;

interface DeviceRowSpec {
  fault: string;
  how: string;
  /** The fault must show in the audit and event logs. */
  stop: boolean;
  inject(rig: Rig, dev: Sim1): void | Promise<void>;
}

const SPECS: Record<string, DeviceRowSpec> = {
  unplug: {
    fault: "unplug",
    how: "SIM-1 cable pulled (`SimUsb.unplug`)",
    stop: true,
    inject: (_rig, dev) => dev.registry.unplug(dev.device),
  },
  stall: {
    fault: "stall",
    how: "both USB endpoints STALL (`setStall(true)`)",
    stop: true,
    inject: (_rig, dev) => dev.device.setStall(true),
  },
  corrupt: {
    fault: "corrupt bytes",
    how: "1 bit flipped in every telemetry frame (`setCorruptionRate(1)`)",
    stop: true,
    inject: (_rig, dev) => dev.device.setCorruptionRate(1),
  },
  "probes-stop": {
    fault: "lost tracking: probes stop",
    how: "the page stops sending probes",
    stop: false,
    inject: (rig) => rig.page.stopProbes(),
  },
  "not-located": {
    fault: "lost tracking: not located",
    how: "probes say not located (no point, confidence 0)",
    stop: false,
    inject: (rig) => rig.page.loseProbe(),
  },
  "page-gone": {
    fault: "page gone",
    how: "the only page WebSocket closes",
    stop: true,
    inject: (rig) => void rig.page.close(),
  },
};

/** Names of the SIM-1 rows, in matrix order. */
export const DEVICE_ROWS = Object.keys(SPECS);

/** Runs one SIM-1 row against a fresh kiosk and judges it. */
export async function runDeviceRow(name: string): Promise<FaultRow> {
  const spec = SPECS[name];
  if (!spec) throw new RangeError(`Unknown device fault row: ${JSON.stringify(name)}`);
  const dev = sim1Device();
  const rig = await startRig({ device: dev });
  const { injectedAt, errors, record } = await injectAndWatch(rig, spec.stop, async () => {
    await rig.frameAtLeast(ARM_UA);
    const at = performance.now();
    await spec.inject(rig, dev);
    return at;
  });
  const notes = [
    ...errors.slice(0, 3),
    ...rig.log.filter((l) => /fault|failed|SQLITE|full/i.test(l)).slice(0, 3),
  ];
  return judge({
    fault: spec.fault,
    how: spec.how,
    injectedAt,
    frames: rig.frames,
    samples: rig.samples,
    record,
    notes,
  });
}

/** What one injection window measured. */
export interface WindowResult {
  /** When the fault went in (performance.now()). */
  injectedAt: number;
  /** console.error lines during the window (the recorder reports store failures there). */
  errors: string[];
  record: RecordVerdict;
}

/**
 * Injects a fault into a started rig and lets the kiosk run WINDOW_MS more, collecting console errors; then
 * stops the rig, checks its record (`stop`: the fault must show in the logs) and removes it. `inject`
 * resolves to when the fault went in; what it throws is thrown once the rig is removed.
 */
export async function injectAndWatch(
  rig: Rig,
  stop: boolean,
  inject: () => Promise<number>,
): Promise<WindowResult> {
  const errors: string[] = [];
  const restoreConsole = collectConsoleErrors(errors);
  let injectedAt = 0;
  let failure: unknown = null;
  try {
    injectedAt = await inject();
    await rig.wait(WINDOW_MS);
  } catch (error) {
    failure = error;
  } finally {
    await rig.stop();
    restoreConsole();
  }
  if (failure) {
    await rig.remove();
    throw failure;
  }
  const maxFrameUa = Math.max(...rig.frames.map((f) => f.ua));
  const record = checkRecord(rig.dataDir, { stop, maxFrameUa });
  await rig.remove();
  return { injectedAt, errors, record };
}

/** Collects console.error lines (the recorder reports store failures there) until the returned function runs. */
function collectConsoleErrors(into: string[]): () => void {
  const original = console.error;
  console.error = (...args: unknown[]) => {
    into.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ").slice(0, 200));
  };
  return () => void (console.error = original);
}
