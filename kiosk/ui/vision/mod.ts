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
export {
  type BackendName,
  BACKENDS,
  chooseBackend,
  type GpuInfo,
  isHardwareRenderer,
  probeGpu,
} from "./backend.ts";
export {
  createFaceDetector,
  type DetectedFace,
  type FaceDetector,
  type FaceDetectorOptions,
  type FaceSource,
} from "./face_detector.ts";
export {
  type CapturedFrame,
  createVisionPipeline,
  type ProbeObservation,
  type VisionNotice,
  type VisionParts,
  type VisionPipeline,
  type VisionPipelineOptions,
  type VisionResult,
} from "./pipeline.ts";
export {
  createFrameCapturer,
  type FrameCapturer,
  type FrameCapturerOptions,
  type FrameSource,
  type PlanarFrame,
  SAMPLE_FORMATS,
  sampleFrame,
} from "./capture.ts";
export {
  type Camera,
  CameraError,
  type CameraOptions,
  type CameraProblem,
  listCameras,
  openCamera,
} from "./camera.ts";
export {
  DEMO_CROP,
  DEMO_MARKER_RADIUS,
  DEMO_MARKER_RGB,
  DEMO_SIZE,
  type DemoSceneOptions,
  drawDemoScene,
} from "./demo_scene.ts";
export {
  type FrameProcessor,
  mainThreadProcessor,
  startVisionLoop,
  type TrackingStats,
  type VisionLoop,
  type VisionLoopOptions,
} from "./vision_loop.ts";
export {
  type CameraFrames,
  cameraFramesSupported,
  createCaptureClock,
  readCameraFrames,
} from "./camera_frames.ts";
export { MIRROR_ASSETS, type MirrorAsset } from "./assets.ts";
