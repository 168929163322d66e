/** Face keypoints in pixels ⇄ canonical face UV, per frame: a map between two embeddings of one mesh (DESIGN §2). */
import type { UvPoint } from "../engine/types.ts";
import { type BoundaryEdge, createMeshTopology, type MeshTopology } from "./mesh_topology.ts";

/** The parts of models/face_uv.json the mapper needs. */
export interface FaceUvMap {
  uv: ArrayLike<ArrayLike<number>>;
  triangles: ArrayLike<number>;
}

/** A UV point with whether it lies on the mesh (false: extrapolated beyond its boundary). */
export interface LocatedUv extends UvPoint {
  inside: boolean;
}

/** Both directions of the mapping for one frame's keypoints. */
export interface FaceFrameMap {
  /** Image pixel → UV (barycentric in the live mesh, extrapolated beyond it). */
  toUv(x: number, y: number): LocatedUv;
  /** UV → image pixel (for drawing zones on the live face). */
  toImage(u: number, v: number): { x: number; y: number; inside: boolean };
}

/** Built once from the UV map; `frame()` is called once per video frame. */
export interface FaceMapper {
  readonly topology: MeshTopology;
  frame(keypoints: ArrayLike<{ x: number; y: number }>): FaceFrameMap;
}

/** Creates a mapper for a UV map (validated: every vertex a finite [u, v] pair). */
export function createFaceMapper(faceUv: FaceUvMap): FaceMapper {
  const count = faceUv.uv.length;
  const uvFlat = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    const p = faceUv.uv[i]!;
    if (p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new TypeError(`Face UV map uv[${i}] must be a finite [u, v] pair`);
    }
    uvFlat[i * 2] = p[0]!;
    uvFlat[i * 2 + 1] = p[1]!;
  }
  const topology = createMeshTopology(faceUv.triangles, count);
  return {
    topology,
    frame(keypoints) {
      if (keypoints.length < count) {
        throw new RangeError(`Face keypoints has ${keypoints.length} points, expected ${count}`);
      }
      const image = new Float64Array(count * 2);
      for (let i = 0; i < count; i++) {
        image[i * 2] = keypoints[i]!.x;
        image[i * 2 + 1] = keypoints[i]!.y;
      }
      const forward = createMeshMap(topology, { from: image, to: uvFlat });
      let backward: MeshMap | null = null;
      return {
        toUv(x, y) {
          const m = forward.map(x, y);
          return { u: m.x, v: m.y, inside: m.inside };
        },
        toImage(u, v) {
          backward ??= createMeshMap(topology, { from: uvFlat, to: image });
          const m = backward.map(u, v);
          if (m.inside) return { x: m.x, y: m.y, inside: true };
          return invertBeyond(forward, backward, u, v, m);
        },
      };
    },
  };
}

/** Refinement steps and the UV tolerance (≈ 0.02 mm) at which toUv(toImage(p)) counts as p. */
const REFINE_STEPS = 8;
const REFINE_TOLERANCE_UV = 1e-4;

/**
 * Beyond the mesh each direction extrapolates from its own nearest boundary edge, and on a real face (turned,
 * tilted) those are different edges: toUv(toImage(p)) drifted 10 mm toward the midline 0.1 UV below the
 * jaw, so the overlay drew the neck keep-out where the engine does not judge it and the demo's marker slid into
 * it. The engine judges by toUv, so toImage is refined (Newton steps with the backward map's local linear part)
 * until toUv maps it back to p (or as close as the steps get).
 */
function invertBeyond(
  forward: MeshMap,
  backward: MeshMap,
  u: number,
  v: number,
  start: { x: number; y: number },
): { x: number; y: number; inside: boolean } {
  let x = start.x, y = start.y;
  let best = { x, y, err: Infinity };
  let j: number[] | null = null;
  for (let i = 0; i <= REFINE_STEPS; i++) {
    const back = forward.map(x, y);
    const du = u - back.x, dv = v - back.y;
    const err = Math.hypot(du, dv);
    if (err < best.err) best = { x, y, err };
    if (err < REFINE_TOLERANCE_UV) break;
    // The backward map's local linear part, taken once and only where the plain extrapolation is off.
    j ??= jacobian(backward, u, v, start);
    x += j[0]! * du + j[1]! * dv;
    y += j[2]! * du + j[3]! * dv;
  }
  // Where the forward map has a seam (two boundary edges equally near) no exact inverse exists: the closest
  // point found stands, never worse than the plain extrapolation (the first one tried).
  return { x: best.x, y: best.y, inside: false };
}

function jacobian(backward: MeshMap, u: number, v: number, at: { x: number; y: number }): number[] {
  const h = 1e-3;
  const bu = backward.map(u + h, v), bv = backward.map(u, v + h);
  return [(bu.x - at.x) / h, (bv.x - at.x) / h, (bu.y - at.y) / h, (bv.y - at.y) / h];
}

// The mesh map: one triangulation in two embeddings (live image mesh ⇄ canonical UV).

/** A mapped point; `inside` is false when it was extrapolated beyond the mesh boundary. */
export interface MappedPoint {
  x: number;
  y: number;
  inside: boolean;
  /** Triangle that held the point, or the boundary triangle it was extrapolated from. */
  triangle: number;
}

/** Options for createMeshMap. */
export interface MeshMapOptions {
  /** Cells per side of the lookup grid over the source mesh. Default 16. */
  gridSize?: number;
}

/** Maps points from the `from` embedding to the `to` embedding. */
export interface MeshMap {
  map(x: number, y: number): MappedPoint;
}

const EPS = 1e-9;

/**
 * Builds a map for one frame. `from` and `to` are flat [x0, y0, x1, y1, ...] vertex coordinates
 * (e.g. from = projected keypoints in pixels, to = UV). Inside the source mesh a point keeps its
 * barycentric coordinates; beyond it, the nearest boundary edge's local affine map
 * (least squares over the triangles around its ends) extrapolates.
 */
export function createMeshMap(
  topology: MeshTopology,
  coords: { from: ArrayLike<number>; to: ArrayLike<number> },
  options: MeshMapOptions = {},
): MeshMap {
  const { from, to } = coords;
  const n = topology.vertexCount * 2;
  if (from.length < n) throw new RangeError(`Mesh "from" has ${from.length / 2} vertices, expected ${n / 2}`);
  if (to.length < n) throw new RangeError(`Mesh "to" has ${to.length / 2} vertices, expected ${n / 2}`);
  const tri = topology.triangles;
  const triCount = tri.length / 3;
  const g = options.gridSize ?? 16;

  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i += 2) {
    const x = from[i]!, y = from[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const cellW = (maxX - minX) / g || 1, cellH = (maxY - minY) / g || 1;
  const cells: number[][] = Array.from({ length: g * g }, () => []);
  // Front-facing source triangles keep the target's winding; folded-over (occluded) ones flip it.
  const facing = new Int8Array(triCount);
  for (let t = 0; t < triCount; t++) {
    const a = tri[t * 3]!, b = tri[t * 3 + 1]!, c = tri[t * 3 + 2]!;
    const sa = area2(from, a, b, c), ta = area2(to, a, b, c);
    facing[t] = Math.abs(sa) < EPS ? 0 : Math.sign(sa) === Math.sign(ta) ? 1 : -1;
    if (facing[t] === 0) continue;
    const ax = from[a * 2]!, bx = from[b * 2]!, cx = from[c * 2]!;
    const ay = from[a * 2 + 1]!, by = from[b * 2 + 1]!, cy = from[c * 2 + 1]!;
    const c0 = cellOf(Math.min(ax, bx, cx), minX, cellW, g),
      c1 = cellOf(Math.max(ax, bx, cx), minX, cellW, g);
    const r0 = cellOf(Math.min(ay, by, cy), minY, cellH, g),
      r1 = cellOf(Math.max(ay, by, cy), minY, cellH, g);
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) cells[r * g + c]!.push(t);
  }

  function inside(x: number, y: number): MappedPoint | null {
    if (x < minX || x > maxX || y < minY || y > maxY) return null;
    let folded: MappedPoint | null = null;
    for (const t of cells[cellOf(y, minY, cellH, g) * g + cellOf(x, minX, cellW, g)]!) {
      const a = tri[t * 3]!, b = tri[t * 3 + 1]!, c = tri[t * 3 + 2]!;
      const w = barycentric(from, a, b, c, x, y);
      if (w[0] < -EPS || w[1] < -EPS || w[2] < -EPS) continue;
      const hit = {
        x: w[0] * to[a * 2]! + w[1] * to[b * 2]! + w[2] * to[c * 2]!,
        y: w[0] * to[a * 2 + 1]! + w[1] * to[b * 2 + 1]! + w[2] * to[c * 2 + 1]!,
        inside: true,
        triangle: t,
      };
      if (facing[t] === 1) return hit;
      folded ??= hit;
    }
    return folded;
  }

  // Each boundary edge's two vertex-ring fits, computed on first use (the overlay extrapolates hundreds of
  // points a frame over the same few dozen edges).
  const fits = new Map<BoundaryEdge, [Linear, Linear]>();
  const fitsOf = (edge: BoundaryEdge): [Linear, Linear] => {
    let f = fits.get(edge);
    if (!f) fits.set(edge, f = [fitLinear(from, to, edge.patchA), fitLinear(from, to, edge.patchB)]);
    return f;
  };

  function beyond(x: number, y: number): MappedPoint {
    let best = topology.boundary[0]!, bestD = Infinity, bestS = 0;
    for (const edge of topology.boundary) {
      const ax = from[edge.a * 2]!, ay = from[edge.a * 2 + 1]!;
      const dx = from[edge.b * 2]! - ax, dy = from[edge.b * 2 + 1]! - ay;
      const len2 = dx * dx + dy * dy;
      const s = len2 < EPS ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
      const d = (x - ax - s * dx) ** 2 + (y - ay - s * dy) ** 2;
      if (d < bestD) [best, bestD, bestS] = [edge, d, s];
    }
    const { a, b } = best;
    const qx = from[a * 2]! + bestS * (from[b * 2]! - from[a * 2]!);
    const qy = from[a * 2 + 1]! + bestS * (from[b * 2 + 1]! - from[a * 2 + 1]!);
    const qu = to[a * 2]! + bestS * (to[b * 2]! - to[a * 2]!);
    const qv = to[a * 2 + 1]! + bestS * (to[b * 2 + 1]! - to[a * 2 + 1]!);
    // Blend the vertex-ring fits along the edge, so the map is continuous where nearest edges meet at a vertex.
    const [ma, mb] = fitsOf(best);
    const m = [0, 1, 2, 3].map((i) => ma[i]! + bestS * (mb[i]! - ma[i]!)) as [number, number, number, number];
    const ox = x - qx, oy = y - qy;
    return {
      x: qu + m[0] * ox + m[1] * oy,
      y: qv + m[2] * ox + m[3] * oy,
      inside: false,
      triangle: best.triangle,
    };
  }

  return { map: (x, y) => inside(x, y) ?? beyond(x, y) };
}

function cellOf(value: number, min: number, size: number, g: number): number {
  return Math.max(0, Math.min(g - 1, Math.floor((value - min) / size)));
}

function area2(p: ArrayLike<number>, a: number, b: number, c: number): number {
  return (p[b * 2]! - p[a * 2]!) * (p[c * 2 + 1]! - p[a * 2 + 1]!) -
    (p[b * 2 + 1]! - p[a * 2 + 1]!) * (p[c * 2]! - p[a * 2]!);
}

function barycentric(p: ArrayLike<number>, a: number, b: number, c: number, x: number, y: number) {
  const ax = p[a * 2]!, ay = p[a * 2 + 1]!;
  const v0x = p[b * 2]! - ax, v0y = p[b * 2 + 1]! - ay;
  const v1x = p[c * 2]! - ax, v1y = p[c * 2 + 1]! - ay;
  const det = v0x * v1y - v1x * v0y;
  const px = x - ax, py = y - ay;
  const wb = (px * v1y - v1x * py) / det;
  const wc = (v0x * py - px * v0y) / det;
  return [1 - wb - wc, wb, wc] as const;
}

type Linear = [number, number, number, number];

// Least-squares linear part [m00, m01, m10, m11] of the affine map from → to over a patch of vertices.
function fitLinear(from: ArrayLike<number>, to: ArrayLike<number>, patch: number[]): Linear {
  let mx = 0, my = 0, mu = 0, mv = 0;
  for (const k of patch) {
    mx += from[k * 2]!;
    my += from[k * 2 + 1]!;
    mu += to[k * 2]!;
    mv += to[k * 2 + 1]!;
  }
  const n = patch.length;
  mx /= n, my /= n, mu /= n, mv /= n;
  let sxx = 0, sxy = 0, syy = 0, sux = 0, suy = 0, svx = 0, svy = 0;
  for (const k of patch) {
    const dx = from[k * 2]! - mx, dy = from[k * 2 + 1]! - my;
    const du = to[k * 2]! - mu, dv = to[k * 2 + 1]! - mv;
    sxx += dx * dx, sxy += dx * dy, syy += dy * dy;
    sux += du * dx, suy += du * dy, svx += dv * dx, svy += dv * dy;
  }
  const det = sxx * syy - sxy * sxy;
  if (Math.abs(det) < EPS) return [0, 0, 0, 0];
  return [
    (sux * syy - suy * sxy) / det,
    (suy * sxx - sux * sxy) / det,
    (svx * syy - svy * sxy) / det,
    (svy * sxx - svx * sxy) / det,
  ];
}
