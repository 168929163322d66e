/** Builds the mirror's frame processor: the vision worker when asked for, else the pipeline on the page's thread. */
import { createUvSmoother, type FaceMapper } from "../../../core/geometry/mod.ts";
import { createMarkerLocator } from "../../../plugins/locator-marker/mod.ts";
import type { BackendName } from "../vision/backend.ts";
import { createFrameCapturer } from "../vision/capture.ts";
import { createFaceDetector } from "../vision/face_detector.ts";
import { createVisionPipeline } from "../vision/pipeline.ts";
import { type FrameProcessor, mainThreadProcessor } from "../vision/vision_loop.ts";
import { startVisionWorker, VisionWorkerError } from "../vision/worker_client.ts";
import type { WorkerInit } from "../vision/worker_protocol.ts";

/** What the processor is built from. */
export interface ProcessorSetup {
  faceUv: WorkerInit["faceUv"];
  mapper: FaceMapper;
  backend: BackendName;
  locator: Record<string, unknown>;
  readTags: boolean;
  meshOnSample: boolean;
  /** Try the worker first (falls back to the page's thread unless a model file is the problem). */
  worker: boolean;
}

/** Resolves to a ready processor; throws ModelFileError / VisionWorkerError("model") for bad weights. */
export async function openProcessor(setup: ProcessorSetup): Promise<FrameProcessor> {
  const { mapper, backend, readTags, meshOnSample } = setup;
  if (setup.worker && typeof Worker !== "undefined" && typeof OffscreenCanvas !== "undefined") {
    try {
      return await startVisionWorker({ ...setup });
    } catch (err) {
      if (err instanceof VisionWorkerError && err.problem === "model") throw err;
      console.warn("mirror: vision worker unavailable, running on the page's thread:", err);
    }
  }
  // One face tracked every frame (cheap); a second detector checks for two faces once a second.
  const detector = await createFaceDetector({ backend, maxFaces: 1 });
  const crowd = await createFaceDetector({ backend, maxFaces: 2 });
  const pipeline = createVisionPipeline({
    detector,
    crowd,
    resetTracking: () => detector.reset(),
    locator: createMarkerLocator(setup.locator),
    mapper,
    smoother: createUvSmoother(),
  }, { readTags, meshOnSample });
  return mainThreadProcessor({
    // ?capture=canvas reads frames with drawImage + getImageData (the bench's "before").
    capturer: createFrameCapturer({
      fromPlanes: meshOnSample && new URLSearchParams(location.search).get("capture") !== "canvas",
    }),
    pipeline,
    detector,
  }, {
    dispose: () => (detector.dispose(), crowd.dispose()),
    meshOnSample,
  });
}
