/** The probe path of the end-to-end test video: no probe, a cheek glide, a jump into the eye keep-out, a forehead glide. */
import type { UvPoint } from "../../core/engine/types.ts";

/** One piece of the path: the marker glides from → to over [start, end) seconds; no `from` = no marker. */
export interface PathSegment {
  start: number;
  end: number;
  from?: UvPoint;
  to?: UvPoint;
  /** Zone the marker is in for the whole segment (checked by the test against the zone map). */
  zone: string | null;
}

/** The e2e path, 8 s at 30 fps. */
export const E2E_PATH: readonly PathSegment[] = [
  { start: 0, end: 1.5, zone: null },
  { start: 1.5, end: 3.5, from: { u: 0.3, v: 0.56 }, to: { u: 0.21, v: 0.5 }, zone: "cheek-left" },
  { start: 3.5, end: 5, from: { u: 0.343, v: 0.378 }, to: { u: 0.343, v: 0.378 }, zone: "eye-left" },
  { start: 5, end: 7, from: { u: 0.42, v: 0.2 }, to: { u: 0.58, v: 0.2 }, zone: "forehead" },
  { start: 7, end: 8, zone: null },
];

/** Length of a path in seconds. */
export function pathDuration(path: readonly PathSegment[]): number {
  return path.reduce((t, s) => Math.max(t, s.end), 0);
}

/** Where the marker is at time t (seconds): its UV and the segment's zone; null when no marker. */
export function pathAt(
  path: readonly PathSegment[],
  t: number,
): { point: UvPoint; zone: string | null } | null {
  const s = path.find((seg) => t >= seg.start && t < seg.end);
  if (!s || !s.from || !s.to) return null;
  const k = (t - s.start) / (s.end - s.start);
  return {
    point: { u: s.from.u + (s.to.u - s.from.u) * k, v: s.from.v + (s.to.v - s.from.v) * k },
    zone: s.zone,
  };
}
