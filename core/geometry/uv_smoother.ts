/** Smooths probe points over time: One Euro filters (Casiez et al., CHI 2012), each point kept by nearness. */
import type { UvPoint } from "../engine/types.ts";

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

/** Options for createUvSmoother. */
export interface UvSmootherOptions extends OneEuroOptions {
  /** A gap longer than this (ms) restarts the filters, so a probe that reappears does not glide in. Default 250. */
  maxGapMs?: number;
  /** A point further than this (UV) from every tracked point starts a new track. Default 0.08 (≈ 17 mm). */
  maxJump?: number;
}

/** Stateful smoother; one per camera stream. */
export interface UvSmoother {
  smooth(points: readonly UvPoint[], tMs: number): UvPoint[];
  reset(): void;
}

interface Track {
  u: OneEuroFilter;
  v: OneEuroFilter;
  last: UvPoint;
}

/** Creates a smoother. Defaults suit UV units at camera rate: minCutoff 1.5 Hz, beta 2, dCutoff 1 Hz. */
export function createUvSmoother(options: UvSmootherOptions = {}): UvSmoother {
  const { maxGapMs = 250, maxJump = 0.08, minCutoff = 1.5, beta = 2, dCutoff = 1 } = options;
  const filterOptions = { minCutoff, beta, dCutoff };
  let tracks: Track[] = [];
  let lastT = -Infinity;
  const newTrack = (p: UvPoint): Track => ({
    u: createOneEuroFilter(filterOptions),
    v: createOneEuroFilter(filterOptions),
    last: p,
  });
  return {
    smooth(points, tMs) {
      if (tMs - lastT > maxGapMs) tracks = [];
      lastT = tMs;
      const free = [...tracks];
      const next: Track[] = [];
      const out = points.map((p) => {
        let bestI = -1, bestD = maxJump;
        free.forEach((t, i) => {
          const d = Math.hypot(t.last.u - p.u, t.last.v - p.v);
          if (d <= bestD) [bestI, bestD] = [i, d];
        });
        const track = bestI >= 0 ? free.splice(bestI, 1)[0]! : newTrack(p);
        const q = { u: track.u.filter(p.u, tMs), v: track.v.filter(p.v, tMs) };
        track.last = q;
        next.push(track);
        return q;
      });
      tracks = next;
      return out;
    },
    reset() {
      tracks = [];
      lastT = -Infinity;
    },
  };
}
