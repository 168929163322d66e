/** Messages between the page and the vision worker (structured-clone safe; keypoints travel as Float32Array). */
import type { BackendName } from "./backend.ts";
import type { DetectedFace } from "./face_detector.ts";
import type { VisionResult } from "./pipeline.ts";

/** Page → worker: set up (once). */
export interface WorkerInit {
  type: "init";
  faceUv: { uv: [number, number][]; triangles: number[] };
  backend: BackendName;
  /** Locator options (validated in the worker). */
  locator: Record<string, unknown>;
  readTags: boolean;
  /** Run the mesh on the downsampled frame (see VisionPipelineOptions.meshOnSample). */
  meshOnSample: boolean;
}

/** Page → worker: one frame (the bitmap is transferred). */
export interface WorkerFrame {
  type: "frame";
  id: number;
  bitmap: ImageBitmap;
  capturedAt: number;
}

/** Page → worker: benchmark the tracking mesh back-to-back on one frame for `ms`. */
export interface WorkerRaw {
  type: "raw";
  id: number;
  bitmap: ImageBitmap;
  ms: number;
}

/**
 * Worker → page: one frame's VisionResult as it crosses the worker boundary. The face travels as flat
 * keypoints (the page rebuilds `face` and `map`); the timings the page adds itself are left out.
 */
type WorkerResult = Omit<VisionResult, "face" | "map" | "captureMs" | "sentAt" | "sendMs"> & {
  type: "result";
  id: number;
  /** 468 × (x, y) of the largest face, or null. */
  keypoints: Float32Array | null;
  box: DetectedFace["box"] | null;
};

/** Worker → page. */
export type WorkerReply =
  | { type: "ready"; backend: string }
  | { type: "failed"; problem: "model" | "other"; message: string }
  | WorkerResult
  | { type: "raw"; id: number; fps: number }
  | { type: "error"; id: number; message: string };
