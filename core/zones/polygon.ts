/** Polygon geometry on the UV face shared by the classifier and the mirror overlay: containment and distance. */
import type { UvPoint } from "../engine/types.ts";
import type { UvPolygon } from "./zone_map.ts";

/** A polygon as flat coordinates with its bounding box, so the hot path allocates nothing. */
export interface PreparedPolygon {
  points: Float64Array; // u0, v0, u1, v1, ...
  minU: number;
  maxU: number;
  minV: number;
  maxV: number;
}

/** Flattens a polygon once for repeated tests. */
export function prepare(poly: UvPolygon): PreparedPolygon {
  const points = new Float64Array(poly.length * 2);
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  poly.forEach(([u, v], i) => {
    points[2 * i] = u;
    points[2 * i + 1] = v;
    minU = Math.min(minU, u);
    maxU = Math.max(maxU, u);
    minV = Math.min(minV, v);
    maxV = Math.max(maxV, v);
  });
  return { points, minU, maxU, minV, maxV };
}

/** Even-odd point-in-polygon test, with a bounding-box early out. */
export function contains(p: PreparedPolygon, u: number, v: number): boolean {
  if (u < p.minU || u > p.maxU || v < p.minV || v > p.maxV) return false;
  const pts = p.points;
  const n = pts.length / 2;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ui = pts[2 * i]!, vi = pts[2 * i + 1]!, uj = pts[2 * j]!, vj = pts[2 * j + 1]!;
    if ((vi > v) !== (vj > v) && u < ((uj - ui) * (v - vi)) / (vj - vi) + ui) inside = !inside;
  }
  return inside;
}

/** UV distance from a point to the nearest edge of the polygon (inside or out). */
export function distanceToEdges(p: PreparedPolygon, u: number, v: number): number {
  const pts = p.points;
  const n = pts.length / 2;
  let best = Infinity;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const ax = pts[2 * j]!, ay = pts[2 * j + 1]!, bx = pts[2 * i]!, by = pts[2 * i + 1]!;
    const dx = bx - ax, dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const s = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / len2));
    const ex = ax + s * dx - u, ey = ay + s * dy - v;
    best = Math.min(best, ex * ex + ey * ey);
  }
  return Math.sqrt(best);
}

/** UV distance from a point to a polygon, 0 inside: what the overlay uses to show a keep-out a probe is near. */
export function uvDistanceToPolygon(point: UvPoint, poly: UvPolygon): number {
  const p = prepare(poly);
  return contains(p, point.u, point.v) ? 0 : distanceToEdges(p, point.u, point.v);
}
