/** A fault-matrix row: what was measured around one injected fault, and how it is judged. */
import type { DeviceSample, SeenFrame } from "./_rig.ts";
import type { RecordVerdict } from "./_record.ts";

/** One row of the matrix. Times in ms of wall clock unless `clock` says otherwise. */
export interface FaultRow {
  fault: string;
  /** How the fault was injected. */
  how: string;
  /** Engine frame current just before the injection, µA (null where no frame was seen). */
  frameBeforeUa: number | null;
  /** Engine frame current at the end of the observation window, µA (null: no frames after the fault). */
  frameAfterUa: number | null;
  /** Device output-stage current just before the injection / at the end, µA. */
  deviceBeforeUa: number | null;
  deviceAfterUa: number | null;
  /** Injection to the first 0 µA engine frame (null: none). */
  toZeroFrameMs: number | null;
  /** Injection to the device's output reaching 0 for good (null: it never did in the window). */
  toDeviceZeroMs: number | null;
  /** Which clock the times are on. */
  clock: "wall" | "emulator";
  /** The `limit` of the first 0 µA frame (or of the last frame when none was 0). */
  limit: string | null;
  record: RecordVerdict;
  /** Ended at 0 µA (frame and device) with the record intact. */
  ok: boolean;
  /** Anything else the row noticed (log lines, errors). */
  notes: string[];
}

/** What a row measured, before judging. */
export interface Measured {
  fault: string;
  how: string;
  injectedAt: number;
  frames: SeenFrame[];
  samples: DeviceSample[];
  record: RecordVerdict;
  notes?: string[];
}

/** Builds the row from frames and device samples around the injection time. */
export function judge(m: Measured): FaultRow {
  const before = m.frames.filter((f) => f.at < m.injectedAt).at(-1) ?? null;
  const after = m.frames.filter((f) => f.at >= m.injectedAt);
  const firstZero = after.find((f) => f.ua === 0) ?? null;
  const last = after.at(-1) ?? null;
  const devBefore = m.samples.filter((s) => s.at < m.injectedAt).at(-1) ?? null;
  const devAfter = m.samples.filter((s) => s.at >= m.injectedAt);
  const deviceZero = zeroForGood(devAfter);
  const frameAfterUa = last?.ua ?? null;
  const deviceAfterUa = devAfter.at(-1)?.ua ?? null;
  const zeroAtEnd = (frameAfterUa === null || frameAfterUa === 0) && (deviceAfterUa ?? 0) === 0;
  return {
    fault: m.fault,
    how: m.how,
    frameBeforeUa: before?.ua ?? null,
    frameAfterUa,
    deviceBeforeUa: devBefore?.ua ?? null,
    deviceAfterUa,
    toZeroFrameMs: firstZero ? firstZero.at - m.injectedAt : null,
    toDeviceZeroMs: deviceZero ? deviceZero.at - m.injectedAt : null,
    clock: "wall",
    limit: (firstZero ?? last)?.limit ?? null,
    record: m.record,
    ok: zeroAtEnd && m.record.ok && frameAfterUa !== null,
    notes: m.notes ?? [],
  };
}

/** A row for a fault that could not be run or measured (it counts as failed, with the reason). */
export function errorRow(fault: string, how: string, why: string): FaultRow {
  return {
    fault,
    how,
    frameBeforeUa: null,
    frameAfterUa: null,
    deviceBeforeUa: null,
    deviceAfterUa: null,
    toZeroFrameMs: null,
    toDeviceZeroMs: null,
    clock: "wall",
    limit: null,
    record: { ok: false, problems: [why], summary: why },
    ok: false,
    notes: [why],
  };
}

// The first sample from which the device stays at 0 to the end of the window.
function zeroForGood(samples: DeviceSample[]): DeviceSample | null {
  let start: DeviceSample | null = null;
  for (const s of samples) {
    if (s.ua === 0) start ??= s;
    else start = null;
  }
  return start;
}

const num = (x: number | null, digits = 1) => (x === null ? "—" : x.toFixed(digits));

/** The matrix as a Markdown table (what `deno task faults` prints and the README shows). */
export function formatMatrix(rows: FaultRow[]): string {
  const head = [
    "fault",
    "how injected",
    "before µA (frame / device)",
    "after µA (frame / device)",
    "to first 0 µA frame",
    "to device 0 µA",
    "limit",
    "record",
    "result",
  ];
  const lines = [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
  ];
  for (const r of rows) {
    const unit = r.clock === "emulator" ? " ms (emulator clock)" : " ms";
    const cells = [
      r.fault,
      r.how,
      `${num(r.frameBeforeUa)} / ${num(r.deviceBeforeUa)}`,
      `${num(r.frameAfterUa)} / ${num(r.deviceAfterUa)}`,
      r.toZeroFrameMs === null ? "—" : `${r.toZeroFrameMs.toFixed(0)} ms`,
      r.toDeviceZeroMs === null ? "never" : `${r.toDeviceZeroMs.toFixed(0)}${unit}`,
      r.limit ?? "—",
      r.record.ok ? `intact: ${r.record.summary}` : `NOT intact: ${r.record.problems.join("; ")}`,
      r.ok ? "pass" : "FAIL",
    ];
    lines.push(`| ${cells.map((c) => c.replaceAll("|", "/").replace(/\s+/g, " ").trim()).join(" | ")} |`);
  }
  return lines.join("\n");
}
