/** Points against the zone map: polygon containment and edge distance (shared with the overlay), then classification. */
import type { UvPoint } from "../engine/types.ts";
import type { UvPolygon, ZoneMap } from "./zone_map.ts";

/** Where a probe point is, from the envelope's point of view. */
export type PointClass =
  | { kind: "keep-out"; zone: string; distanceMm: number }
  | { kind: "off-face" }
  | { kind: "off-zone" }
  | { kind: "treatment"; zone: string; levelUa: number; freqHz: number };

/** A zone map prepared for fast classification (bounding boxes, flat arrays). */
export interface ZoneClassifier {
  classify(point: UvPoint): PointClass;
  readonly map: ZoneMap;
}

/** Prepares a classifier; classification is pure and allocation-light (≤ 5 µs per point is the target). */
export function createZoneClassifier(map: ZoneMap): ZoneClassifier {
  const keepOuts = map.zones.flatMap((z) =>
    z.kind === "keep-out" ? [{ id: z.id, marginUv: z.marginMm / map.mmPerUv, poly: prepare(z.polygon) }] : []
  );
  const treatments = map.zones.flatMap((z) =>
    z.kind === "treatment"
      ? [{
        result: { kind: "treatment", zone: z.id, levelUa: z.levelUa, freqHz: z.freqHz } as const,
        poly: prepare(z.polygon),
      }]
      : []
  );
  const face = prepare(map.outline.face);
  const neck = prepare(map.outline.neck);
  const offFace: PointClass = { kind: "off-face" };
  const offZone: PointClass = { kind: "off-zone" };

  return {
    map,
    classify({ u, v }: UvPoint): PointClass {
      if (!Number.isFinite(u) || !Number.isFinite(v)) return offFace;
      for (const k of keepOuts) {
        const m = k.marginUv;
        if (u < k.poly.minU - m || u > k.poly.maxU + m || v < k.poly.minV - m || v > k.poly.maxV + m) {
          continue;
        }
        if (contains(k.poly, u, v)) return { kind: "keep-out", zone: k.id, distanceMm: 0 };
        const d = distanceToEdges(k.poly, u, v);
        if (d <= m) return { kind: "keep-out", zone: k.id, distanceMm: d * map.mmPerUv };
      }
      if (!contains(face, u, v) && !contains(neck, u, v)) return offFace;
      // Where treatment zones overlap, the lowest level wins (DESIGN §3: the most restrictive).
      let best: PointClass | null = null;
      for (const t of treatments) {
        if (
          contains(t.poly, u, v) && (best === null || t.result.levelUa < (best as typeof t.result).levelUa)
        ) {
          best = t.result;
        }
      }
      return best ?? offZone;
    },
  };
}

// Polygon geometry on the UV face, shared by the classifier, the engine's exclusions, the stroke checks and the
// mirror overlay.

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
