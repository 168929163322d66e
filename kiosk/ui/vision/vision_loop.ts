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

/** Turns a frame into a result (the vision loop's view of capture + pipeline; tests give it fakes). */
export interface FrameProcessor {
  /**
   * Takes the source's current frame (or the camera frame handed over), then runs the pipeline; null when
   * the source has no frame yet.
   */
  process(source: FrameSource, capturedAt: number): Promise<VisionResult | null>;
  /** Backend the face mesh runs on. */
  readonly backend: string;
  /** How the last frame was read ("planes" or "canvas"); null before the first. */
  readonly captureMethod: string | null;
  dispose(): void;
}

/** A processor on the page's own thread: capture, then the pipeline; `detector` is the tracking one. */
export function mainThreadProcessor(
  parts: { capturer: FrameCapturer; pipeline: VisionPipeline; detector: FaceDetector },
  options: { dispose?: () => void } = {},
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
   * video's requestVideoFrameCallback; the video is then only shown (and read by processNow).
   */
  frames?: CameraFrames | null;
  processor: FrameProcessor;
  /**
   * What the observations come from, sent with each: the kiosk accepts demo observations only where the demo
   * is allowed. Default "camera".
   */
  observationSource?: "camera" | "demo";
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
  /** Starts processing again (the newest frame next). */
  resume(): void;
  /** Resolves once no frame is in hand (at once when none is). */
  idle(): Promise<void>;
  /**
   * Runs one frame's whole work (capture, pipeline, send, onResult) on the source's current picture now, for
   * a paused and idle loop; resolves to whether it produced a result (an error goes to onError). A harness
   * times the work back to back with it (tools/mirror/mirror_hook.ts).
   */
  processNow(): Promise<boolean>;
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
  const observationSource = options.observationSource ?? "camera";
  const onError = options.onError ?? ((e: unknown) => console.error("mirror: frame failed", e));
  const trackingEveryMs = options.trackingEveryMs ?? 1000;
  const feed = options.frames ?? null;
  let running = true;
  let disposed = false;
  let busy = false;
  let pending: number | null = null;
  const done: number[] = [];
  let last: VisionResult | null = null;
  const stats: TrackingStats = { type: "tracking", faceSeen: false, probeSeen: false, fps: 0 };

  // One frame's whole work: capture, pipeline, send (before any drawing), then the overlay (onResult).
  // `always` also while paused (processNow); a paced frame still in hand when the loop pauses is dropped.
  async function step(input: FrameSource, capturedAt: number, always = false): Promise<boolean> {
    const startedAt = performance.now();
    if (input === source) options.beforeCapture?.(capturedAt);
    const result = await processor.process(input, capturedAt);
    if (!result || !(running || always)) return false;
    const sendStart = performance.now();
    const sent = send({ ...result.observation, source: observationSource });
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
    if (!running || busy) return;
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
    // Arrivals while paused are not kept: the element will show a newer picture by then.
    if (!running) return;
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
    idle: whenIdle,
    processNow: () => step(source, performance.now(), true).catch((e) => (onError(e), false)),
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
