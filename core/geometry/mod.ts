/** Pure geometry for the mirror: image ⇄ face-UV mapping on the live mesh, and temporal smoothing. */
export { type BoundaryEdge, createMeshTopology, type MeshTopology } from "./mesh_topology.ts";
export { createMeshMap, type MappedPoint, type MeshMap, type MeshMapOptions } from "./mesh_map.ts";
export {
  createFaceMapper,
  type FaceFrameMap,
  type FaceMapper,
  type FaceUvMap,
  type LocatedUv,
} from "./face_mapper.ts";
export { createOneEuroFilter, type OneEuroFilter, type OneEuroOptions } from "./one_euro.ts";
export { createUvSmoother, type UvSmoother, type UvSmootherOptions } from "./uv_smoother.ts";
