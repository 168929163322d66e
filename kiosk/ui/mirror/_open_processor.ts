/** Builds the mirror's frame processor: the pipeline on the page's thread, the face count in the crowd worker. */
import { createUvSmoother, type FaceMapper } from "../../../core/geometry/mod.ts";
import { createMarkerLocator } from "../../../plugins/locator-marker/mod.ts";
import type { BackendName } from "../vision/backend.ts";
import { createFrameCapturer } from "../vision/capture.ts";
import { startFaceCounter } from "../vision/crowd_client.ts";
import { createFaceDetector, type FaceDetector } from "../vision/face_detector.ts";
import { createVisionPipeline } from "../vision/pipeline.ts";
import { type FrameProcessor, mainThreadProcessor } from "../vision/vision_loop.ts";

/** What the processor is built from. */
export interface ProcessorSetup {
  mapper: FaceMapper;
  backend: BackendName;
  locator: Record<string, unknown>;
}

/** Resolves to a ready processor; throws ModelFileError for bad weights. */
export async function openProcessor(setup: ProcessorSetup): Promise<FrameProcessor> {
  const { mapper, backend } = setup;
  // One face tracked every frame (cheap); faces are counted once a second in a worker (the two-face
  // detection costs ~45 ms, which would hold up a frame), and while two are seen a two-face detector runs on
  // the page. A browser where the worker cannot start counts on the page's thread.
  const inWorker = typeof Worker !== "undefined";
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
    // The mesh runs on the 320×240 locator sample: twice the frame rate of the full frame at the same
    // accuracy (docs/decisions.md).
  }, { meshOnSample: true });
  return mainThreadProcessor({ capturer: createFrameCapturer(), pipeline, detector }, {
    dispose: () => (detector.dispose(), crowd.dispose(), counting.then((c) => c?.dispose())),
  });
}
