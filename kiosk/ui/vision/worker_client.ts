/** Page side of the vision worker: a FrameProcessor that posts each frame as an ImageBitmap and rebuilds the result. */
import type { FaceMapper } from "../../../core/geometry/mod.ts";
import type { BackendName } from "./backend.ts";
import type { VisionResult } from "./pipeline.ts";
import type { FrameProcessor } from "./vision_loop.ts";
import type { WorkerInit, WorkerReply } from "./worker_protocol.ts";

/** The worker could not start; `problem` "model" means a missing or corrupt weight file. */
export class VisionWorkerError extends Error {
  readonly problem: "model" | "other";
  constructor(problem: "model" | "other", message: string) {
    super(message);
    this.name = "VisionWorkerError";
    this.problem = problem;
  }
}

/** Options for startVisionWorker. */
export interface VisionWorkerOptions {
  /** URL of the worker bundle. Default "/vision_worker.js". */
  url?: string;
  faceUv: WorkerInit["faceUv"];
  /** Mapper over the same UV map, to rebuild the mesh mapping on the page for the overlay. */
  mapper: FaceMapper;
  backend: BackendName;
  locator?: Record<string, unknown>;
  readTags?: boolean;
  /** See VisionPipelineOptions.meshOnSample. Default false. */
  meshOnSample?: boolean;
}

/** Starts the worker and resolves once its detectors are ready. Throws VisionWorkerError. */
export async function startVisionWorker(options: VisionWorkerOptions): Promise<FrameProcessor> {
  const worker = new Worker(options.url ?? "/vision_worker.js", { type: "module" });
  const waiting = new Map<number, (reply: WorkerReply) => void>();
  let nextId = 1;
  const ready = new Promise<string>((resolve, reject) => {
    worker.onerror = (e) => reject(new VisionWorkerError("other", `vision worker failed: ${e.message}`));
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const msg = event.data;
      if (msg.type === "ready") resolve(msg.backend);
      else if (msg.type === "failed") reject(new VisionWorkerError(msg.problem, msg.message));
      else waiting.get(msg.id)?.(msg);
    };
  });
  worker.postMessage(
    {
      type: "init",
      faceUv: options.faceUv,
      backend: options.backend,
      locator: options.locator ?? {},
      readTags: options.readTags ?? false,
      meshOnSample: options.meshOnSample ?? false,
    } satisfies WorkerInit,
  );
  let backend: string;
  try {
    backend = await ready;
  } catch (err) {
    worker.terminate();
    throw err;
  }
  const ask = (message: Record<string, unknown>, bitmap: ImageBitmap) =>
    new Promise<WorkerReply>((resolve) => {
      const id = nextId++;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        resolve(reply);
      });
      worker.postMessage({ ...message, id, bitmap }, [bitmap]);
    });
  return {
    backend,
    // The worker times its tracking mesh on a bitmap of the element either way.
    async rawFps(source, ms) {
      const reply = await ask({ type: "raw", ms }, await createImageBitmap(source));
      if (reply.type !== "raw") {
        throw new Error(reply.type === "error" ? reply.message : "vision worker: bad reply");
      }
      return reply.fps;
    },
    async process(source, capturedAt) {
      const width = source instanceof HTMLVideoElement
        ? source.videoWidth
        : source instanceof HTMLCanvasElement
        ? source.width
        : source.displayWidth;
      if (width === 0) return null;
      const reply = await ask({ type: "frame", capturedAt }, await createImageBitmap(source));
      if (reply.type === "error") throw new Error(reply.message);
      if (reply.type !== "result") throw new Error(`vision worker sent "${reply.type}" for a frame`);
      const keypoints = reply.keypoints
        ? Array.from({ length: reply.keypoints.length / 2 }, (_, i) => ({
          x: reply.keypoints![i * 2]!,
          y: reply.keypoints![i * 2 + 1]!,
        }))
        : null;
      const result: VisionResult = {
        capturedAt: reply.capturedAt,
        width: reply.width,
        height: reply.height,
        tag: reply.tag,
        faceCount: reply.faceCount,
        face: keypoints && reply.box ? { keypoints, box: reply.box } : null,
        map: keypoints ? options.mapper.frame(keypoints) : null,
        tips: reply.tips,
        raw: reply.raw,
        observation: reply.observation,
        notice: reply.notice,
        meshMs: reply.meshMs,
        restMs: reply.restMs,
      };
      return result;
    },
    dispose() {
      worker.postMessage({ type: "dispose" });
      setTimeout(() => worker.terminate(), 500);
    },
  };
}
