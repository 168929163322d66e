/** The mirror's test hook (?test=1): window.__mirror, read by the e2e test and the pipeline benchmark. */
import type { ReadonlySignal } from "@preact/signals";
import * as tf from "@tensorflow/tfjs-core";
import type { EngineFrame } from "../../../core/engine/types.ts";
import type { BackendName } from "../vision/backend.ts";
import type { CameraFrames } from "../vision/camera_frames.ts";
import { type FaceCounter, startFaceCounter } from "../vision/crowd_client.ts";
import type { VisionResult } from "../vision/pipeline.ts";
import type { FrameProcessor, VisionLoop } from "../vision/vision_loop.ts";

/** What window.__mirror holds. */
export interface MirrorHook {
  results: Record<string, unknown>[];
  /** performance.timeOrigin, to put page times on the wall clock. */
  timeOrigin: number;
  frames: { at: number; t: number; currentUa: number; zone: string | null; limit: string }[];
  backend: string;
  source: string;
  pause(): void;
  resume(): void;
  /** See FrameProcessor.rawFps; `input` "mesh" (default) or "element". */
  rawFps(ms: number, input?: "mesh" | "element"): Promise<number>;
  /** The whole per-frame work back to back (not waiting for the camera) for `ms`; frames per second. */
  pipelineFps(ms: number): Promise<number>;
  /** Live tfjs tensors on the page (leak check; the worker's are its own). */
  tensors(): number;
  /**
   * When camera frames are read as they arrive: the clock offset in use, their recent timestamps, and the
   * video's own capture times (requestVideoFrameCallback) of the same frames, to check the offset.
   */
  clock(): { offsetMs: number; timestampsMs: number[]; captureTimes: number[] } | null;
  /** What drives the loop: "stream" (camera frames as they arrive), "video" (requestVideoFrameCallback) or "timer" (demo). */
  frameSource: "stream" | "video" | "timer";
  /** Faces the crowd worker counts in `image` (a worker of its own, started on first use). */
  countFaces(image: ImageData): Promise<number>;
}

/** The installed hook: record() after each frame, dispose() on unmount. */
export interface InstalledHook {
  record(result: VisionResult, extra: { sent: boolean; overlayMs: number; startedAt: number }): void;
  dispose(): void;
}

/** Installs window.__mirror for one mirror session. `loop` is read lazily (it starts after the hook). */
export function installTestHook(
  setup: {
    processor: FrameProcessor;
    source: HTMLVideoElement | HTMLCanvasElement;
    demo: boolean;
    loop: () => VisionLoop;
    cameraFrames?: CameraFrames | null;
  },
  frames: ReadonlySignal<EngineFrame | null>,
): InstalledHook {
  const { processor, source } = setup;
  let backToBack = false;
  let counter: Promise<FaceCounter> | null = null;
  const captureTimes: number[] = [];
  const video = source instanceof HTMLVideoElement && setup.cameraFrames
    ? source as HTMLVideoElement & {
      requestVideoFrameCallback(cb: (now: number, meta: { captureTime?: number }) => void): number;
    }
    : null;
  let disposed = false;
  const onVideoFrame = (_now: number, meta: { captureTime?: number }) => {
    if (disposed) return;
    if (meta.captureTime) captureTimes.push(meta.captureTime);
    if (captureTimes.length > 64) captureTimes.shift();
    video?.requestVideoFrameCallback(onVideoFrame);
  };
  video?.requestVideoFrameCallback(onVideoFrame);
  const hook: MirrorHook = {
    results: [],
    frames: [],
    timeOrigin: performance.timeOrigin,
    backend: processor.backend,
    source: setup.demo ? "demo" : "camera",
    tensors: () => tf.memory().numTensors,
    frameSource: setup.cameraFrames ? "stream" : source instanceof HTMLVideoElement ? "video" : "timer",
    async countFaces(image) {
      counter ??= startFaceCounter({ backend: processor.backend as BackendName });
      return (await counter).count(image);
    },
    clock: () =>
      setup.cameraFrames
        ? {
          offsetMs: setup.cameraFrames.offsetMs,
          timestampsMs: [...setup.cameraFrames.recentTimestampsMs],
          captureTimes: [...captureTimes],
        }
        : null,
    pause: () => setup.loop().pause(),
    resume: () => setup.loop().resume(),
    async rawFps(ms, input) {
      setup.loop().pause();
      try {
        await new Promise((r) => setTimeout(r, 100));
        return await processor.rawFps(source, ms, input);
      } finally {
        setup.loop().resume();
      }
    },
    async pipelineFps(ms) {
      backToBack = true;
      try {
        return await setup.loop().backToBack(ms);
      } finally {
        backToBack = false;
      }
    },
  };
  (globalThis as unknown as { __mirror: MirrorHook }).__mirror = hook;
  const unsubscribe = frames.subscribe((f) => {
    if (f) {
      hook.frames.push({
        at: performance.now(),
        t: f.t,
        currentUa: f.currentUa,
        zone: f.zone,
        limit: f.limit,
      });
    }
  });
  return {
    record(result, { sent, overlayMs, startedAt }) {
      hook.results.push({
        capturedAt: result.capturedAt,
        sentAt: result.sentAt ?? performance.now(),
        sent,
        tag: result.tag,
        faceCount: result.faceCount,
        points: result.observation.points,
        confidence: result.observation.confidence,
        notice: result.notice,
        meshMs: result.meshMs,
        restMs: result.restMs,
        overlayMs,
        captureMs: result.captureMs ?? null,
        captureMethod: processor.captureMethod ?? null,
        sendMs: result.sendMs ?? null,
        waitMs: startedAt - result.capturedAt,
        // false for frames run back to back by pipelineFps (their capturedAt is when the run took them).
        paced: !backToBack,
        // Whole frame: capture, mesh, locator, UV, smoothing, send, overlay.
        workMs: performance.now() - startedAt,
      });
    },
    dispose() {
      disposed = true;
      unsubscribe();
      counter?.then((c) => c.dispose(), () => {});
    },
  };
}
