/** Drift-corrected periodic scheduler on setTimeout that measures its own tick jitter. */
import { type Clock, systemClock } from "../../core/sdk/mod.ts";

/** What a tick callback learns about its tick. */
export interface TickInfo {
  /** Tick number since start (skipped slots still count). */
  index: number;
  /** When the tick was due, on the scheduler clock. */
  scheduledAt: number;
  /** When it actually ran. */
  now: number;
  /** Slots skipped because the loop was blocked for longer than a period. */
  skipped: number;
}

/** Jitter figures in ms: lateness of each tick against the slot its timer was armed for. */
export interface JitterStats {
  ticks: number;
  skipped: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Options for createScheduler. */
export interface SchedulerOptions {
  /** Tick period in ms. Default 20 (50 Hz). */
  periodMs?: number;
  /** Clock and timers. Default systemClock. */
  clock?: Clock;
  /**
   * Wake this many ms early and busy-wait to the slot; trades a little CPU for lower jitter.
   * Default 0 (no spinning).
   */
  spinMs?: number;
  /** How many recent lateness samples the stats keep. Default 3000 (60 s at 50 Hz). */
  window?: number;
  /** Receives what a tick throws; the scheduler keeps ticking. Default: console.error. */
  onError?: (error: unknown) => void;
}

/** A running periodic scheduler. */
export interface Scheduler {
  /** Starts ticking; the first tick is due one period from now. No-op when running. */
  start(): void;
  /** Stops ticking; stats are kept. */
  stop(): void;
  /** True between start() and stop(). */
  readonly running: boolean;
  /** Lateness figures over the recent window. */
  stats(): JitterStats;
  /** Forgets the recorded lateness samples. */
  resetStats(): void;
  /** Stops the scheduler for good. */
  dispose(): void;
}

/** Percentile (0..1) of an ascending-sorted array; 0 for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i]!;
}

/**
 * Calls `tick` every `periodMs`. Slots are fixed at start + n × period, so timer lateness never
 * accumulates; when the loop was blocked past whole slots those slots are skipped, not replayed.
 */
export function createScheduler(tick: (info: TickInfo) => void, options: SchedulerOptions = {}): Scheduler {
  const periodMs = options.periodMs ?? 20;
  const clock = options.clock ?? systemClock;
  const spinMs = options.spinMs ?? 0;
  const window = options.window ?? 3000;
  const onError = options.onError ?? ((error: unknown) => console.error("scheduler tick failed:", error));
  if (!(periodMs > 0) || !Number.isFinite(periodMs)) {
    throw new RangeError(`Cannot create scheduler: periodMs must be a positive number, got ${periodMs}`);
  }
  if (!(spinMs >= 0) || spinMs >= periodMs) {
    throw new RangeError(`Cannot create scheduler: spinMs must be in [0, periodMs), got ${spinMs}`);
  }

  let running = false;
  let disposed = false;
  let timer: unknown;
  let origin = 0;
  let index = 0;
  let skippedTotal = 0;
  const lateness: number[] = [];
  let next = 0; // ring position in lateness

  function record(late: number) {
    if (lateness.length < window) lateness.push(late);
    else lateness[next] = late;
    next = (next + 1) % window;
  }

  function arm() {
    const due = origin + index * periodMs;
    const wait = Math.max(0, due - clock.now() - spinMs);
    timer = clock.setTimeout(fire, wait);
  }

  function fire() {
    timer = undefined;
    if (!running) return;
    let now = clock.now();
    let due = origin + index * periodMs;
    while (spinMs > 0 && now < due) now = clock.now();
    // Lateness counts from the slot this timer was armed for, so a long block shows in the figures in full.
    record(Math.max(0, now - due));
    // Blocked past whole slots: jump to the latest slot that is due instead of bursting.
    let skipped = 0;
    if (now - due >= periodMs) {
      skipped = Math.floor((now - due) / periodMs);
      index += skipped;
      skippedTotal += skipped;
      due = origin + index * periodMs;
    }
    const info: TickInfo = { index, scheduledAt: due, now, skipped };
    index++;
    try {
      tick(info);
    } catch (error) {
      onError(error);
    }
    if (running) arm();
  }

  return {
    start() {
      if (disposed) throw new TypeError("Cannot start scheduler: it is disposed");
      if (running) return;
      running = true;
      origin = clock.now();
      index = 1;
      arm();
    },
    stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    get running() {
      return running;
    },
    stats() {
      const sorted = [...lateness].sort((a, b) => a - b);
      const mean = sorted.length ? sorted.reduce((s, x) => s + x, 0) / sorted.length : 0;
      return {
        ticks: sorted.length,
        skipped: skippedTotal,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: sorted.length ? sorted[sorted.length - 1]! : 0,
        mean,
      };
    },
    resetStats() {
      lateness.length = 0;
      next = 0;
      skippedTotal = 0;
    },
    dispose() {
      this.stop();
      disposed = true;
    },
  };
}
