/** Pure geometry for the mirror: image ⇄ face-UV mapping on the live mesh, and temporal smoothing. */
export { type BoundaryEdge, createMeshTopology, type MeshTopology } from "./mesh_topology.ts";
export {
  createFaceMapper,
  createMeshMap,
  type FaceFrameMap,
  type FaceMapper,
  type FaceUvMap,
  type LocatedUv,
  type MappedPoint,
  type MeshMap,
  type MeshMapOptions,
} from "./face_mapper.ts";
export {
  createOneEuroFilter,
  createUvSmoother,
  type OneEuroFilter,
  type OneEuroOptions,
  type UvSmoother,
  type UvSmootherOptions,
} from "./uv_smoother.ts";
