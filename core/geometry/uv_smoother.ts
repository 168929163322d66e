/** Smooths up to N probe points over time with One Euro filters, keeping each point's identity by nearness. */
import type { UvPoint } from "../engine/types.ts";
import { createOneEuroFilter, type OneEuroFilter, type OneEuroOptions } from "./one_euro.ts";

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
