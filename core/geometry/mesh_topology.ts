/** Triangulation facts that do not change per frame: boundary edges and their neighbourhoods, computed once. */

/** A mesh edge used by exactly one triangle, with the vertices used to extrapolate beyond it. */
export interface BoundaryEdge {
  a: number;
  b: number;
  /** The one triangle (index into the triangle list / 3) that holds the edge. */
  triangle: number;
  /** Vertices of the triangles around a, and around b: the patches local affine maps are fitted to. */
  patchA: number[];
  patchB: number[];
}

/** Triangle list plus its boundary, shared by every MeshMap built on it. */
export interface MeshTopology {
  /** Flat vertex indices, three per triangle. */
  triangles: Uint32Array;
  vertexCount: number;
  boundary: BoundaryEdge[];
}

/**
 * Builds the topology of a triangle list (e.g. models/face_uv.json `triangles`).
 * Throws RangeError when an index is out of range or the list is not a multiple of 3.
 */
export function createMeshTopology(triangles: ArrayLike<number>, vertexCount: number): MeshTopology {
  if (triangles.length === 0 || triangles.length % 3 !== 0) {
    throw new RangeError(`Triangle list length must be a positive multiple of 3, got ${triangles.length}`);
  }
  const tri = new Uint32Array(triangles.length);
  for (let i = 0; i < triangles.length; i++) {
    const k = triangles[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= vertexCount) {
      throw new RangeError(`Triangle index triangles[${i}] = ${k} is outside 0..${vertexCount - 1}`);
    }
    tri[i] = k;
  }
  const edgeUse = new Map<number, { count: number; triangle: number; a: number; b: number }>();
  const trianglesOfVertex: number[][] = Array.from({ length: vertexCount }, () => []);
  for (let t = 0; t < tri.length / 3; t++) {
    for (let e = 0; e < 3; e++) {
      const a = tri[t * 3 + e]!;
      const b = tri[t * 3 + ((e + 1) % 3)]!;
      trianglesOfVertex[a]!.push(t);
      const key = Math.min(a, b) * vertexCount + Math.max(a, b);
      const used = edgeUse.get(key);
      if (used) used.count++;
      else edgeUse.set(key, { count: 1, triangle: t, a, b });
    }
  }
  const ring = (v: number) => {
    const patch = new Set<number>();
    for (const t of trianglesOfVertex[v]!) patch.add(tri[t * 3]!).add(tri[t * 3 + 1]!).add(tri[t * 3 + 2]!);
    return [...patch];
  };
  const boundary: BoundaryEdge[] = [];
  for (const { count, triangle, a, b } of edgeUse.values()) {
    if (count !== 1) continue;
    boundary.push({ a, b, triangle, patchA: ring(a), patchB: ring(b) });
  }
  return { triangles: tri, vertexCount, boundary };
}
