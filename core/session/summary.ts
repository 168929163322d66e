/** Session summary accumulator: time per zone, passes per step, current over time and face coverage, in bounded memory. */
import type { EngineFrame, UvPoint } from "../engine/types.ts";

/** Passes done on one step of a guided routine. */
export interface StepSummary {
  /** The step's index in the routine (0-based). */
  index: number;
  id: string;
  /** The step's target zone. */
  zone: string;
  /** Passes the step asks for, and how many were done. */
  passes: number;
  passesDone: number;
}

/** Current over time in equal buckets: bucket i covers [i·stepMs, (i+1)·stepMs) from the session's first frame. */
export interface CurrentSeries {
  stepMs: number;
  /** Mean and highest commanded current of the frames in each bucket, µA (0.1 µA resolution). */
  meanUa: number[];
  maxUa: number[];
}

/** Where stimulation happened: ms of output per cell of a grid over the face in UV (row-major, u across). */
export interface CoverageGrid {
  cols: number;
  rows: number;
  /** The grid's extent in UV: u0..u1 across, v0..v1 down. */
  u0: number;
  u1: number;
  v0: number;
  v1: number;
  /** Whole ms per cell, cols·rows of them. */
  ms: number[];
}

/** What a session did, as stored in `session_summaries` and sent to the page. */
export interface SessionSummary {
  /** Format version of this object. */
  v: 1;
  /** Engine-clock ms from the session's first frame to its last. */
  durationMs: number;
  /** Whole ms of output: always the sum of `zones`. */
  stimulationMs: number;
  /** Highest commanded current, µA. */
  maxUa: number;
  /** Whole ms of output per zone id (only zones that had output). */
  zones: Record<string, number>;
  /** Steps seen, in routine order; `stepCount` is the routine's length (steps never reached are not listed). */
  steps: StepSummary[];
  stepCount: number;
  /** The guided routine ran to its end. */
  completed: boolean;
  series: CurrentSeries;
  coverage: CoverageGrid;
  /** Why the session ended (the record's end reason), or null while it runs. */
  endReason: string | null;
}

/** Options for createSummaryAccumulator. */
export interface SummaryOptions {
  /** Coverage grid size. Default 24 × 24. */
  cols?: number;
  rows?: number;
  /** Coverage extent in UV. Default u 0..1, v 0.1..1.35 (every treatment zone, the lateral neck included). */
  u0?: number;
  u1?: number;
  v0?: number;
  v1?: number;
  /** Series bucket to start with, ms. Default 1000 (one point a second). */
  stepMs?: number;
  /** Most series points kept: past it, neighbouring buckets merge and the bucket doubles. Default 1200. */
  maxPoints?: number;
}

/** A running summary of one session. */
export interface SummaryAccumulator {
  /** Feeds one engine frame with the engine's stimulation count after it (FrameInfo.stimulationMs). */
  frame(frame: EngineFrame, stimulationMs: number): void;
  /** Feeds probe points the engine accepted (they locate the output of the frames that follow). */
  probe(points: readonly UvPoint[]): void;
  /** The summary so far; `endReason` once it ended. A fresh object each call. */
  snapshot(endReason?: string | null): SessionSummary;
}

/** Most probe points located per observation (the engine's tracking sends two). */
const MAX_POINTS = 4;
/** Most steps kept (a routine longer than this is summarised by its first steps). */
const MAX_STEPS = 256;
/** Zone ids kept (the zone map has a few dozen); output elsewhere is booked under OTHER. */
const MAX_ZONES = 64;
/** Where output with no zone (which the engine never commands) would be booked, so totals still add up. */
const OTHER = "other";

function positiveInt(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new RangeError(`Cannot summarise: ${name} must be an integer 1..${max}, got ${value}`);
  }
  return value;
}

/**
 * Creates the accumulator. Output time is the engine's own count (the rule-7 stimulation time): the increase of
 * `stimulationMs` at a frame is what the previous frame delivered, so it is booked to that frame's zone and to
 * the cells under the probe points that located it. A frame at 0 µA books nothing, whatever the count says.
 */
export function createSummaryAccumulator(options: SummaryOptions = {}): SummaryAccumulator {
  const cols = positiveInt(options.cols ?? 24, "cols", 256);
  const rows = positiveInt(options.rows ?? 24, "rows", 256);
  const maxPoints = positiveInt(options.maxPoints ?? 1200, "maxPoints", 100_000);
  const u0 = options.u0 ?? 0, u1 = options.u1 ?? 1, v0 = options.v0 ?? 0.1, v1 = options.v1 ?? 1.35;
  if (!(u1 > u0 && v1 > v0) || ![u0, u1, v0, v1].every(Number.isFinite)) {
    throw new RangeError(`Cannot summarise: the coverage extent is empty: u ${u0}..${u1}, v ${v0}..${v1}`);
  }
  let stepMs = options.stepMs ?? 1000;
  if (!(Number.isFinite(stepMs) && stepMs > 0)) {
    throw new RangeError(`Cannot summarise: stepMs must be a positive number, got ${stepMs}`);
  }

  const zones = new Map<string, number>();
  const steps = new Map<number, StepSummary>();
  const coverage = new Float64Array(cols * rows);
  // Series buckets as sums and counts, so merging two keeps exact means.
  const sums: number[] = [], counts: number[] = [], peaks: number[] = [];
  let t0: number | null = null, lastT = 0;
  let maxUa = 0, stepCount = 0, completed = false, sawGuidance = false;
  let lastCount = 0;
  /** The previous frame's output, and the cells its probe points were in (what the next count increase books). */
  let prev: { ua: number; zone: string | null; cells: number[] } | null = null;
  /** Cells of the latest accepted probe observation. */
  let cells: number[] = [];

  function cellOf(p: UvPoint): number {
    if (!Number.isFinite(p.u) || !Number.isFinite(p.v)) return -1;
    const c = Math.floor(((p.u - u0) / (u1 - u0)) * cols);
    const r = Math.floor(((p.v - v0) / (v1 - v0)) * rows);
    return c < 0 || c >= cols || r < 0 || r >= rows ? -1 : r * cols + c;
  }

  function book(ms: number) {
    if (!prev || prev.ua <= 0 || !(ms > 0)) return;
    let zone = prev.zone ?? OTHER;
    if (!zones.has(zone) && zones.size >= MAX_ZONES) zone = OTHER;
    zones.set(zone, (zones.get(zone) ?? 0) + ms);
    for (const c of prev.cells) coverage[c]! += ms;
  }

  /** Halves the series' resolution: neighbouring buckets merge, so memory stays bounded however long a session. */
  function mergePairs() {
    const half = Math.ceil(sums.length / 2);
    for (let k = 0; k < half; k++) {
      const a = 2 * k, b = a + 1;
      sums[k] = sums[a]! + (sums[b] ?? 0);
      counts[k] = counts[a]! + (counts[b] ?? 0);
      peaks[k] = Math.max(peaks[a]!, peaks[b] ?? 0);
    }
    sums.length = counts.length = peaks.length = half;
    stepMs *= 2;
  }

  function addToSeries(t: number, ua: number) {
    while (Math.floor((t - t0!) / stepMs) >= maxPoints) mergePairs();
    const i = Math.floor((t - t0!) / stepMs);
    while (sums.length <= i) sums.push(0), counts.push(0), peaks.push(0);
    sums[i]! += ua;
    counts[i]!++;
    peaks[i] = Math.max(peaks[i]!, ua);
  }

  function noteGuidance(f: EngineFrame) {
    const g = f.guidance;
    if (!g) {
      // The engine drops the guidance block once every step is done.
      if (sawGuidance && !completed) {
        completed = true;
        for (const s of steps.values()) s.passesDone = s.passes;
      }
      return;
    }
    sawGuidance = true;
    stepCount = Math.max(stepCount, g.stepIndex + 1, Math.min(g.stepCount, MAX_STEPS));
    // A step the routine moved past had all its passes done (the tracker advances only then).
    for (const s of steps.values()) if (s.index < g.stepIndex) s.passesDone = s.passes;
    if (g.stepIndex >= MAX_STEPS) return;
    const s = steps.get(g.stepIndex);
    if (s) s.passesDone = Math.max(s.passesDone, Math.min(g.passesDone, s.passes));
    else {
      steps.set(g.stepIndex, {
        index: g.stepIndex,
        id: g.stepId,
        zone: g.targetZone,
        passes: g.passes,
        passesDone: Math.min(g.passesDone, g.passes),
      });
    }
  }

  return {
    frame(f, stimulationMs) {
      const ua = Number.isFinite(f.currentUa) && f.currentUa > 0 ? f.currentUa : 0;
      const t = Number.isFinite(f.t) ? Math.max(lastT, f.t) : lastT;
      if (t0 === null) t0 = t;
      lastT = t;
      book(stimulationMs - lastCount);
      lastCount = Math.max(lastCount, stimulationMs);
      maxUa = Math.max(maxUa, ua);
      addToSeries(t, ua);
      noteGuidance(f);
      prev = { ua, zone: f.zone, cells };
    },
    probe(points) {
      const next: number[] = [];
      for (const p of points.slice(0, MAX_POINTS)) {
        const c = cellOf(p);
        // Two points in one cell are one place stimulated, not two.
        if (c >= 0 && !next.includes(c)) next.push(c);
      }
      cells = next;
    },
    snapshot(endReason = null) {
      const zoneMs: Record<string, number> = {};
      let total = 0;
      for (const [z, ms] of zones) {
        const whole = Math.round(ms);
        if (whole <= 0) continue;
        zoneMs[z] = whole;
        total += whole;
      }
      const round1 = (x: number) => Math.round(x * 10) / 10;
      return {
        v: 1,
        durationMs: t0 === null ? 0 : Math.round(lastT - t0),
        stimulationMs: total,
        maxUa: round1(maxUa),
        zones: zoneMs,
        steps: [...steps.values()].sort((a, b) => a.index - b.index).map((s) => ({ ...s })),
        stepCount,
        completed,
        series: {
          stepMs,
          meanUa: sums.map((s, i) => round1(counts[i]! > 0 ? s / counts[i]! : 0)),
          maxUa: peaks.map(round1),
        },
        coverage: { cols, rows, u0, u1, v0, v1, ms: Array.from(coverage, Math.round) },
        endReason,
      };
    },
  };
}
