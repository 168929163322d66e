/** The vision worker: face mesh, locator, UV and smoothing off the page's thread (bundled to dist/vision_worker.js). */
import { createFaceMapper, createUvSmoother } from "../../../core/geometry/mod.ts";
import { createMarkerLocator } from "../../../plugins/locator-marker/mod.ts";
import { createFaceDetector, type FaceDetector } from "./face_detector.ts";
import { ModelFileError } from "./model_files.ts";
import { createVisionPipeline, type VisionPipeline } from "./pipeline.ts";
import type { WorkerFrame, WorkerInit, WorkerRaw, WorkerReply } from "./worker_protocol.ts";

// The worker global (typed by hand: the project compiles with the DOM lib, not "webworker").
const scope = self as unknown as {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  close(): void;
};
const post = (reply: WorkerReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

let pipeline: VisionPipeline | null = null;
const sampleWidth = 320;
let small: OffscreenCanvas | null = null;
let smallCtx: OffscreenCanvasRenderingContext2D | null = null;
const detectors: FaceDetector[] = [];
let meshOnSample = false;

async function init(msg: WorkerInit) {
  try {
    const mapper = createFaceMapper(msg.faceUv);
    const detector = await createFaceDetector({ backend: msg.backend, maxFaces: 1 });
    detectors.push(detector);
    const crowd = await createFaceDetector({ backend: msg.backend, maxFaces: 2 });
    detectors.push(crowd);
    pipeline = createVisionPipeline({
      detector,
      crowd,
      resetTracking: () => detector.reset(),
      locator: createMarkerLocator(msg.locator),
      mapper,
      smoother: createUvSmoother(),
    }, { readTags: msg.readTags, meshOnSample: msg.meshOnSample });
    meshOnSample = msg.meshOnSample;
    small = new OffscreenCanvas(sampleWidth, 240);
    smallCtx = small.getContext("2d", { willReadFrequently: true })!;
    post({ type: "ready", backend: detector.backend });
  } catch (err) {
    post({
      type: "failed",
      problem: err instanceof ModelFileError ? "model" : "other",
      message: (err as Error).message,
    });
  }
}

async function frame(msg: WorkerFrame) {
  const { bitmap, id, capturedAt } = msg;
  try {
    if (!pipeline || !small || !smallCtx) throw new Error("vision worker got a frame before it was ready");
    const { width, height } = bitmap;
    const sh = Math.round((height * sampleWidth) / width);
    if (small.height !== sh) small.height = sh;
    smallCtx.drawImage(bitmap, 0, 0, sampleWidth, sh);
    const sample = smallCtx.getImageData(0, 0, sampleWidth, sh);
    const r = await pipeline.process({ source: bitmap, width, height, sample, capturedAt });
    let keypoints: Float32Array | null = null;
    if (r.face) {
      keypoints = new Float32Array(r.face.keypoints.length * 2);
      r.face.keypoints.forEach((k, i) => (keypoints![i * 2] = k.x, keypoints![i * 2 + 1] = k.y));
    }
    post({
      type: "result",
      id,
      capturedAt,
      width,
      height,
      tag: r.tag,
      faceCount: r.faceCount,
      keypoints,
      box: r.face?.box ?? null,
      tips: r.tips,
      raw: r.raw,
      observation: r.observation,
      notice: r.notice,
      meshMs: r.meshMs,
      restMs: r.restMs,
    }, keypoints ? [keypoints.buffer] : []);
  } catch (err) {
    post({ type: "error", id, message: (err as Error).message });
  } finally {
    bitmap.close();
  }
}

async function raw(msg: WorkerRaw) {
  try {
    const detector = detectors[0];
    if (!detector) throw new Error("vision worker got a benchmark before it was ready");
    let input: ImageBitmap | ImageData = msg.bitmap;
    if (meshOnSample && smallCtx && small) {
      smallCtx.drawImage(msg.bitmap, 0, 0, small.width, small.height);
      input = smallCtx.getImageData(0, 0, small.width, small.height);
    }
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < msg.ms) {
      await detector.estimate(input);
      n++;
    }
    post({ type: "raw", id: msg.id, fps: (n * 1000) / (performance.now() - start) });
  } catch (err) {
    post({ type: "error", id: msg.id, message: (err as Error).message });
  } finally {
    msg.bitmap.close();
  }
}

scope.onmessage = (event: MessageEvent<WorkerInit | WorkerFrame | WorkerRaw | { type: "dispose" }>) => {
  const msg = event.data;
  if (msg.type === "init") void init(msg);
  else if (msg.type === "frame") void frame(msg);
  else if (msg.type === "raw") void raw(msg);
  else if (msg.type === "dispose") {
    detectors.forEach((d) => d.dispose());
    scope.close();
  }
};
