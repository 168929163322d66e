/** Builds the mirror's frame processor: the vision worker when asked for, else the pipeline on the page's thread. */
import { createUvSmoother, type FaceMapper } from "../../../core/geometry/mod.ts";
import { createMarkerLocator } from "../../../plugins/locator-marker/mod.ts";
import type { BackendName } from "../vision/backend.ts";
import { createFrameCapturer } from "../vision/capture.ts";
import { startFaceCounter } from "../vision/crowd_client.ts";
import { createFaceDetector, type FaceDetector } from "../vision/face_detector.ts";
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
  // One face tracked every frame (cheap); faces are counted once a second in a worker (the two-face
  // detection costs ~45 ms, which would hold up a frame), and while two are seen a two-face detector runs on
  // the page. ?crowd=inline counts on the page's thread instead (the bench's "before"); so does a browser
  // where the worker cannot start.
  const inWorker = typeof Worker !== "undefined" &&
    new URLSearchParams(location.search).get("crowd") !== "inline";
  const counting = inWorker
    ? startFaceCounter({ backend }).catch((err) => {
      console.warn("mirror: crowd worker unavailable:", err);
      return null;
    })
    : Promise.resolve(null);
  let detector: FaceDetector, crowd: FaceDetector;
  try {
    detector = await createFaceDetector({ backend, maxFaces: 1 });
    crowd = await createFaceDetector({ backend, maxFaces: 2 });
  } catch (err) {
    counting.then((c) => c?.dispose());
    throw err;
  }
  const pipeline = createVisionPipeline({
    detector,
    crowd,
    // Not awaited at start: the mirror does not wait for the worker. Until it is ready, or if it never is,
    // counts fail or time out and the pipeline counts on the page's thread instead.
    countFaces: inWorker
      ? (image) =>
        counting.then((c) =>
          c ? c.count(image) : Promise.reject(new Error("the crowd worker is unavailable"))
        )
      : undefined,
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
    dispose: () => (detector.dispose(), crowd.dispose(), counting.then((c) => c?.dispose())),
    meshOnSample,
  });
}
