/** Face-specific mapping: live keypoints in pixels ⇄ canonical face UV, per frame (DESIGN §2). */
import type { UvPoint } from "../engine/types.ts";
import { createMeshMap, type MeshMap } from "./mesh_map.ts";
import { createMeshTopology, type MeshTopology } from "./mesh_topology.ts";

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
          return { x: m.x, y: m.y, inside: m.inside };
        },
      };
    },
  };
}
