/** Messages between the page and the vision worker (structured-clone safe; keypoints travel as Float32Array). */
import type { BackendName } from "./backend.ts";
import type { LocatedUv } from "../../../core/geometry/mod.ts";
import type { ProbeObservation, VisionNotice } from "./pipeline.ts";

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

/** Worker → page. */
export type WorkerReply =
  | { type: "ready"; backend: string }
  | { type: "failed"; problem: "model" | "other"; message: string }
  | {
    type: "result";
    id: number;
    capturedAt: number;
    width: number;
    height: number;
    tag: number | null;
    faceCount: number;
    /** 468 × (x, y) of the largest face, or null. */
    keypoints: Float32Array | null;
    box: { xMin: number; yMin: number; width: number; height: number } | null;
    tips: { x: number; y: number; confidence: number }[];
    raw: LocatedUv[];
    observation: ProbeObservation;
    notice: VisionNotice;
    meshMs: number;
    restMs: number;
  }
  | { type: "raw"; id: number; fps: number }
  | { type: "error"; id: number; message: string };
