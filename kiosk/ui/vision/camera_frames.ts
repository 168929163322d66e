/** Camera frames as they arrive (MediaStreamTrackProcessor), dated on the page's clock; the newest wins. */

/** True where the browser can hand camera frames to script as they arrive. */
export function cameraFramesSupported(): boolean {
  return typeof (globalThis as { MediaStreamTrackProcessor?: unknown }).MediaStreamTrackProcessor ===
      "function" &&
    typeof VideoFrame !== "undefined";
}

/** How far back the capture clock looks for its best bound, ms: long enough to meet a prompt frame, short
 * enough to follow a camera clock that drifts against the page's. */
export const CLOCK_WINDOW_MS = 10_000;
/** A frame that would be dated this much before it arrived means the timestamps jumped back. */
const JUMP_MS = 1000;

/**
 * Maps a frame's timestamp (µs on the capture clock) to the page clock. Chromium stamps camera frames with
 * the capture time on the system's monotonic clock; performance.now() counts from another origin, so the
 * offset is learned: each frame read at `now` bounds it from below (timestamp − now ≤ offset, as no frame
 * is read before it is captured), and the largest bound of the last CLOCK_WINDOW_MS is used (a window, not
 * all time, so a camera clock drifting against the page's is followed). A frame is dated late by the
 * shortest delivery delay in the window (≈ 1–2 ms in headless Chromium), and never after it arrived. When
 * the timestamps jump back (a restarted track), the old bounds are dropped at once.
 */
export function createCaptureClock(): {
  capturedAt(timestampUs: number, now: number): number;
  readonly offsetMs: number;
} {
  // Bounds of the window, largest first after pruning: each entry is dropped once a later one is larger.
  let bounds: { at: number; bound: number }[] = [];
  return {
    capturedAt(timestampUs, now) {
      const bound = timestampUs / 1000 - now;
      const best = bounds[0]?.bound;
      // A bound far below the best means the timestamps jumped back by more than any delivery delay.
      if (best !== undefined && bound < best - JUMP_MS) bounds = [];
      while (bounds.length > 0 && bounds[bounds.length - 1]!.bound <= bound) bounds.pop();
      bounds.push({ at: now, bound });
      while (bounds[0]!.at < now - CLOCK_WINDOW_MS) bounds.shift();
      return Math.min(now, timestampUs / 1000 - bounds[0]!.bound);
    },
    get offsetMs() {
      return bounds[0]?.bound ?? -Infinity;
    },
  };
}

/** A reader of one camera track's frames on the page's thread; the newest frame wins. */
export interface CameraFrames {
  /** The newest frame not yet taken, or null; the caller owns it and must close() it. */
  take(): { frame: VideoFrame; capturedAt: number } | null;
  /** Called when a frame arrives (set by the vision loop). */
  onFrame: (() => void) | null;
  /** Clock offset in use: capture time on the page clock = timestamp (ms) − offsetMs. */
  readonly offsetMs: number;
  /** The last 64 frames' timestamps, ms (the benchmark checks the offset against the video's capture times). */
  readonly recentTimestampsMs: readonly number[];
  dispose(): void;
}

type ProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => {
  readable: ReadableStream<VideoFrame>;
};

/**
 * Starts reading `track` (a clone, so the display video keeps its own). Returns null where
 * MediaStreamTrackProcessor is missing: the loop then uses requestVideoFrameCallback, which reports a
 * frame only at the page's next rendering step (≈ 12 ms after capture on the reference machine, against
 * ≈ 1.5 ms here).
 */
export function readCameraFrames(track: MediaStreamTrack): CameraFrames | null {
  if (!cameraFramesSupported()) return null;
  const Processor =
    (globalThis as unknown as { MediaStreamTrackProcessor: ProcessorCtor }).MediaStreamTrackProcessor;
  const own = track.clone();
  const reader = new Processor({ track: own, maxBufferSize: 1 }).readable.getReader();
  const clock = createCaptureClock();
  const recent: number[] = [];
  let newest: { frame: VideoFrame; capturedAt: number } | null = null;
  let stopped = false;
  const frames: CameraFrames = {
    onFrame: null,
    take() {
      const got = newest;
      newest = null;
      return got;
    },
    get offsetMs() {
      return clock.offsetMs;
    },
    recentTimestampsMs: recent,
    dispose() {
      stopped = true;
      newest?.frame.close();
      newest = null;
      reader.cancel().catch(() => {});
      own.stop();
    },
  };
  (async () => {
    while (!stopped) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) break;
      if (stopped) {
        value.close();
        break;
      }
      const capturedAt = clock.capturedAt(value.timestamp, performance.now());
      recent.push(value.timestamp / 1000);
      if (recent.length > 64) recent.shift();
      newest?.frame.close(); // a newer frame came before it was taken
      newest = { frame: value, capturedAt };
      frames.onFrame?.();
    }
  })();
  return frames;
}
