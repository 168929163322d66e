/**
 * The mirror's harness hook: window.__mirror, read by the e2e test and the pipeline benchmark. It loads only
 * in their build of the page (harness_app.ts), attached through kiosk/ui/mirror/instrument.ts.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { MirrorAttachment, MirrorSession } from "../../kiosk/ui/mirror/instrument.ts";
import { frame } from "../../kiosk/ui/state.ts";
import type { BackendName } from "../../kiosk/ui/vision/backend.ts";
import { createFrameCapturer } from "../../kiosk/ui/vision/capture.ts";
import { type FaceCounter, startFaceCounter } from "../../kiosk/ui/vision/crowd_client.ts";
import { createFaceDetector, type FaceDetector } from "../../kiosk/ui/vision/face_detector.ts";
import { readFrameTag } from "./frame_tag.ts";

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
  /**
   * estimateFaces back to back on the source's live frames for `ms`, the loop paused; frames per second of
   * estimateFaces time. `input` "mesh" (default) gives it each frame as the pipeline's mesh gets it (the
   * 320×240 sample; taking it is not timed); "element" gives it the video element, the library's plain use.
   */
  rawFps(ms: number, input?: "mesh" | "element"): Promise<number>;
  /** The whole per-frame work back to back (not waiting for the camera) for `ms`; frames per second. */
  pipelineFps(ms: number): Promise<number>;
  /** Live tfjs tensors on the page (leak check; the workers' are their own). */
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

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback(cb: (now: number, meta: { captureTime?: number }) => void): number;
};

/** Attaches window.__mirror to one mirror session (a MirrorInstrument). */
export function attachMirrorHook(session: MirrorSession): MirrorAttachment {
  const { processor, source, loop, cameraFrames } = session;
  let backToBack = false;
  let counter: Promise<FaceCounter> | null = null;
  // rawFps's own one-face detector (same model and backend as the pipeline's) and sampler, made on first use.
  let raw: Promise<{ detector: FaceDetector; capturer: ReturnType<typeof createFrameCapturer> }> | null =
    null;
  const captureTimes: number[] = [];
  const video = source instanceof HTMLVideoElement && cameraFrames ? source as FrameCallbackVideo : null;
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
    source: session.demo ? "demo" : "camera",
    tensors: () => tf.memory().numTensors,
    frameSource: cameraFrames ? "stream" : source instanceof HTMLVideoElement ? "video" : "timer",
    async countFaces(image) {
      counter ??= startFaceCounter({ backend: processor.backend as BackendName });
      return (await counter).count(image);
    },
    clock: () =>
      cameraFrames
        ? {
          offsetMs: cameraFrames.offsetMs,
          timestampsMs: [...cameraFrames.recentTimestampsMs],
          captureTimes: [...captureTimes],
        }
        : null,
    pause: () => loop.pause(),
    resume: () => loop.resume(),
    async rawFps(ms, input = "mesh") {
      raw ??= createFaceDetector({ backend: processor.backend as BackendName, maxFaces: 1 })
        .then((detector) => ({ detector, capturer: createFrameCapturer() }));
      const { detector, capturer } = await raw;
      loop.pause();
      try {
        await new Promise((r) => setTimeout(r, 100));
        // Wall-clock like the pipeline's figure (other page work in between counts against both); only the
        // time spent taking the sample, which is pipeline work, is left out.
        const start = performance.now();
        let n = 0, capturing = 0;
        while (performance.now() - start < ms) {
          const t = performance.now();
          const frame = input === "mesh" ? (await capturer.capture(source, 0))?.sample as ImageData : source;
          capturing += performance.now() - t;
          if (!frame) return 0;
          await detector.estimate(frame);
          n++;
        }
        return (n * 1000) / (performance.now() - start - capturing);
      } finally {
        loop.resume();
      }
    },
    async pipelineFps(ms) {
      loop.pause();
      backToBack = true;
      try {
        await loop.idle();
        const start = performance.now();
        let n = 0;
        while (performance.now() - start < ms && !disposed) if (await loop.processNow()) n++;
        return (n * 1000) / (performance.now() - start);
      } finally {
        backToBack = false;
        loop.resume();
      }
    },
  };
  (globalThis as unknown as { __mirror: MirrorHook }).__mirror = hook;
  const unsubscribe = frame.subscribe((f) => {
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
    frameDone(result, { sent, overlayMs, startedAt }) {
      hook.results.push({
        capturedAt: result.capturedAt,
        sentAt: result.sentAt ?? performance.now(),
        sent,
        tag: readFrameTag(result.sample, result.width),
        faceCount: result.faceCount,
        points: result.observation.points,
        confidence: result.observation.confidence,
        notice: result.notice,
        meshMs: result.meshMs,
        restMs: result.restMs,
        overlayMs,
        captureMs: result.captureMs ?? null,
        captureMethod: processor.captureMethod,
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
      raw?.then(({ detector, capturer }) => (detector.dispose(), capturer.dispose()), () => {});
    },
  };
}
