/** Runs the pipeline once per camera frame, sends observations and periodic tracking stats over the page's socket. */
import type { CameraFrames } from "./camera_frames.ts";
import type { FrameCapturer, FrameSource } from "./capture.ts";
import type { FaceDetector } from "./face_detector.ts";
import type { VisionPipeline, VisionResult } from "./pipeline.ts";

/** Tracking stats the page reports for /api/health. */
export interface TrackingStats {
  type: "tracking";
  faceSeen: boolean;
  probeSeen: boolean;
  /** Frames processed per second over the last second. */
  fps: number;
}

/** Turns a frame into a result: on the page's thread, or in a worker. */
export interface FrameProcessor {
  /**
   * Takes the source's current frame (or the camera frame handed over), then runs the pipeline; null when
   * the source has no frame yet.
   */
  process(source: FrameSource, capturedAt: number): Promise<VisionResult | null>;
  /**
   * Benchmarks: estimateFaces back to back on the source's live frames for `ms`; frames per second of
   * estimateFaces time. `input` "mesh" (default) gives it each frame in the form the pipeline's mesh gets
   * it; "element" gives it the video element itself, the library's plain use.
   */
  rawFps(
    source: HTMLVideoElement | HTMLCanvasElement,
    ms: number,
    input?: "mesh" | "element",
  ): Promise<number>;
  /** Backend the face mesh runs on. */
  readonly backend: string;
  /** How frames are read on the page's thread ("planes" or "canvas"); undefined in the worker. */
  readonly captureMethod?: string | null;
  dispose(): void;
}

/**
 * A processor on the page's own thread: capture, then the pipeline; `detector` is the tracking one.
 * `meshOnSample` must match the pipeline's option, so rawFps times the mesh on the same input.
 */
export function mainThreadProcessor(
  parts: { capturer: FrameCapturer; pipeline: VisionPipeline; detector: FaceDetector },
  options: { dispose?: () => void; meshOnSample?: boolean } = {},
): FrameProcessor {
  const { capturer, pipeline, detector } = parts;
  return {
    backend: detector.backend,
    get captureMethod() {
      return capturer.method;
    },
    async process(source, capturedAt) {
      const t0 = performance.now();
      const frame = await capturer.capture(source, capturedAt);
      if (!frame) return null;
      const captureMs = performance.now() - t0;
      const result = await pipeline.process(frame);
      result.captureMs = captureMs;
      return result;
    },
    async rawFps(source, ms, input = "mesh") {
      // estimateFaces back to back on the live video: each call gets the current frame, in the form the
      // pipeline's mesh gets it (the 320×240 sample, or the element itself with meshOnSample false), or the
      // element itself for the library's plain use.
      const onSample = options.meshOnSample && input === "mesh";
      // Wall-clock like the pipeline's figure (other page work that runs in between counts against both);
      // only the time spent taking the sample, which is pipeline work, is left out.
      const start = performance.now();
      let n = 0, capturing = 0;
      while (performance.now() - start < ms) {
        const t = performance.now();
        const frame = onSample ? (await capturer.capture(source, 0))?.sample as ImageData : source;
        capturing += performance.now() - t;
        if (!frame) return 0;
        await detector.estimate(frame);
        n++;
      }
      return (n * 1000) / (performance.now() - start - capturing);
    },
    dispose() {
      capturer.dispose();
      options.dispose?.();
    },
  };
}

/** Options for startVisionLoop. */
export interface VisionLoopOptions {
  /** The camera video, or the demo scene's canvas. */
  source: HTMLVideoElement | HTMLCanvasElement;
  /**
   * The camera's frames as they arrive (camera_frames.ts). When given they drive the loop instead of the
   * video's requestVideoFrameCallback; the video is then only shown (and read by rawFps and backToBack).
   */
  frames?: CameraFrames | null;
  processor: FrameProcessor;
  /** Sends one message to the kiosk; false when not connected. */
  send(message: Record<string, unknown>): boolean;
  /**
   * Called after every processed frame (overlay, test hook); `sent` is false when the socket was closed,
   * `startedAt` is when work on the frame began (performance.now).
   */
  onResult?(result: VisionResult, sent: boolean, startedAt: number): void;
  /** Called with an error thrown by a frame; the loop keeps going. Default console.error. */
  onError?(error: unknown): void;
  /** For a canvas source: draws the next frame before it is captured. */
  beforeCapture?(now: number): void;
  /** Frame interval for a canvas source, ms. Default 1000 / 30. */
  intervalMs?: number;
  /** Period of tracking messages, ms. Default 1000. */
  trackingEveryMs?: number;
}

/** A running loop. */
export interface VisionLoop {
  /** Latest stats (also sent as a "tracking" message every second). */
  readonly stats: TrackingStats;
  /** Stops processing (a paused loop sends nothing, so the engine goes stale → output 0). */
  pause(): void;
  /**
   * Benchmarks: runs the whole per-frame work (capture, pipeline, send, overlay) back to back on the
   * source's current frame for `ms`, not waiting for camera frames; resolves to frames per second.
   */
  backToBack(ms: number): Promise<number>;
  resume(): void;
  dispose(): void;
}

type VideoWithCallback = HTMLVideoElement & {
  requestVideoFrameCallback(cb: (now: number, meta: { captureTime?: number }) => void): number;
  cancelVideoFrameCallback(handle: number): void;
};

/**
 * Starts the loop (browser only). One frame is processed at a time; of the frames that arrive meanwhile,
 * the newest runs next and the rest are skipped.
 */
export function startVisionLoop(options: VisionLoopOptions): VisionLoop {
  const { source, processor, send } = options;
  const onError = options.onError ?? ((e: unknown) => console.error("mirror: frame failed", e));
  const trackingEveryMs = options.trackingEveryMs ?? 1000;
  const feed = options.frames ?? null;
  let running = true;
  let disposed = false;
  let busy = false;
  let measuring = false;
  let pending: number | null = null;
  const done: number[] = [];
  let last: VisionResult | null = null;
  const stats: TrackingStats = { type: "tracking", faceSeen: false, probeSeen: false, fps: 0 };

  // One frame's whole work: capture, pipeline, send (before any drawing), then the overlay (onResult).
  async function step(input: FrameSource, capturedAt: number): Promise<boolean> {
    const startedAt = performance.now();
    if (input === source) options.beforeCapture?.(capturedAt);
    const result = await processor.process(input, capturedAt);
    if (!result || !running) return false;
    const sendStart = performance.now();
    const sent = send(result.observation as unknown as Record<string, unknown>);
    result.sentAt = sendStart;
    result.sendMs = performance.now() - sendStart;
    last = result;
    const now = performance.now();
    done.push(now);
    while (done.length > 0 && done[0]! < now - 1000) done.shift();
    options.onResult?.(result, sent, startedAt);
    return true;
  }

  // Starts the newest waiting frame when idle: the camera's newest, or the element's current picture.
  function pump() {
    if (!running || measuring || busy) return;
    let job: { input: FrameSource; capturedAt: number; frame?: VideoFrame } | null = null;
    if (feed) {
      const got = feed.take();
      if (got) job = { input: got.frame, capturedAt: got.capturedAt, frame: got.frame };
    } else if (pending !== null) [job, pending] = [{ input: source, capturedAt: pending }, null];
    if (job === null) return;
    busy = true;
    const frame = job.frame;
    step(job.input, job.capturedAt).catch(onError).finally(() => {
      frame?.close();
      busy = false;
      idle?.();
      pump();
    });
  }

  let idle: (() => void) | null = null;
  const whenIdle = () =>
    busy ? new Promise<void>((r) => (idle = () => (idle = null, r()))) : Promise.resolve();

  let handle = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const arrived = (capturedAt: number) => {
    // Arrivals while paused or measuring are not kept: the element will show a newer picture by then.
    if (!running || measuring) return;
    pending = capturedAt;
    pump();
  };
  if (feed) feed.onFrame = pump;
  else if (source instanceof HTMLVideoElement && "requestVideoFrameCallback" in source) {
    const video = source as VideoWithCallback;
    const onFrame = (now: number, meta: { captureTime?: number }) => {
      if (disposed) return;
      handle = video.requestVideoFrameCallback(onFrame);
      // captureTime is the camera's own timestamp (same clock as performance.now) when the browser knows it.
      arrived(meta.captureTime && meta.captureTime > 0 && meta.captureTime <= now ? meta.captureTime : now);
    };
    handle = video.requestVideoFrameCallback(onFrame);
  } else {
    timer = setInterval(() => arrived(performance.now()), options.intervalMs ?? 1000 / 30);
  }

  const tracking = setInterval(() => {
    const now = performance.now();
    while (done.length > 0 && done[0]! < now - 1000) done.shift();
    stats.fps = running ? done.length : 0;
    stats.faceSeen = running && last !== null && last.faceCount > 0;
    stats.probeSeen = running && last !== null && last.observation.points.length > 0;
    send({ ...stats });
  }, trackingEveryMs);

  return {
    stats,
    pause() {
      running = false;
    },
    resume() {
      running = true;
      pump();
    },
    async backToBack(ms) {
      measuring = true;
      pending = null;
      try {
        await whenIdle();
        const start = performance.now();
        let n = 0;
        while (performance.now() - start < ms && !disposed) {
          if (await step(source, performance.now()).catch((e) => (onError(e), false))) n++;
        }
        return (n * 1000) / (performance.now() - start);
      } finally {
        measuring = false;
        pump();
      }
    },
    dispose() {
      running = false;
      disposed = true;
      clearInterval(timer);
      clearInterval(tracking);
      if (handle) (source as VideoWithCallback).cancelVideoFrameCallback(handle);
      if (feed) feed.onFrame = null;
      processor.dispose();
    },
  };
}
