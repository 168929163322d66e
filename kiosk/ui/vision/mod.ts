/** The page's vision pipeline: model integrity, camera, face mesh, probe locating and observations. */
export {
  httpModelReader,
  type ModelFileEntry,
  ModelFileError,
  type ModelFileReader,
  type ModelManifest,
  parseModelManifest,
  sha256Hex,
  verifyModelFiles,
} from "./model_files.ts";
