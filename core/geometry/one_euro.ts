/** One Euro filter (Casiez et al., CHI 2012): low lag when moving fast, low jitter when still. Pure, time injected. */

/** One Euro parameters. */
export interface OneEuroOptions {
  /** Cutoff (Hz) when still: lower = less jitter, more lag. Default 1.0. */
  minCutoff?: number;
  /** How fast the cutoff rises with speed (per unit/s). Default 0.007 (tuned for pixels); UV wants ~1–5. */
  beta?: number;
  /** Cutoff (Hz) of the speed estimate. Default 1.0. */
  dCutoff?: number;
}

/** A scalar One Euro filter. */
export interface OneEuroFilter {
  /** Filters a sample taken at `tMs` (milliseconds, non-decreasing). */
  filter(value: number, tMs: number): number;
  /** Forgets history (the next sample passes through unchanged). */
  reset(): void;
}

function alpha(cutoffHz: number, dtS: number): number {
  const tau = 1 / (2 * Math.PI * cutoffHz);
  return 1 / (1 + tau / dtS);
}

/** Creates a scalar One Euro filter; throws RangeError for a non-positive cutoff. */
export function createOneEuroFilter(options: OneEuroOptions = {}): OneEuroFilter {
  const { minCutoff = 1.0, beta = 0.007, dCutoff = 1.0 } = options;
  if (!(minCutoff > 0)) throw new RangeError(`One Euro "minCutoff" must be > 0, got ${minCutoff}`);
  if (!(dCutoff > 0)) throw new RangeError(`One Euro "dCutoff" must be > 0, got ${dCutoff}`);
  if (!(beta >= 0)) throw new RangeError(`One Euro "beta" must be >= 0, got ${beta}`);
  let last: { x: number; dx: number; t: number } | null = null;
  return {
    filter(value, tMs) {
      if (last === null) {
        last = { x: value, dx: 0, t: tMs };
        return value;
      }
      const dt = (tMs - last.t) / 1000;
      if (dt <= 0) return last.x;
      const rawDx = (value - last.x) / dt;
      const dx = last.dx + alpha(dCutoff, dt) * (rawDx - last.dx);
      const cutoff = minCutoff + beta * Math.abs(dx);
      const x = last.x + alpha(cutoff, dt) * (value - last.x);
      last = { x, dx, t: tMs };
      return x;
    },
    reset() {
      last = null;
    },
  };
}
