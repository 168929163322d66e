/** Per-frame vision pipeline: face mesh → largest face → probe locator → UV on the live mesh → smoothing → observation. */
import type { UvPoint } from "../../../core/engine/types.ts";
import type { FaceFrameMap, FaceMapper, LocatedUv, UvSmoother } from "../../../core/geometry/mod.ts";
import type { ProbeLocator, RgbaFrame } from "../../../core/sdk/probe_locator.ts";
import type { DetectedFace, FaceSource } from "./face_detector.ts";

/** One captured camera frame: the full-size snapshot for the face mesh and a downsampled copy for the locator. */
export interface CapturedFrame {
  source: FaceSource;
  /** Size of `source` in pixels. */
  width: number;
  height: number;
  /** The same frame downsampled (RGBA). */
  sample: RgbaFrame;
  /** Page clock (performance.now) when the frame was captured. */
  capturedAt: number;
}

/** The observation message sent to the kiosk over the WebSocket (DESIGN §4 probe event). */
export interface ProbeObservation {
  type: "probe";
  points: UvPoint[];
  confidence: number;
  capturedAt: number;
}

/** Why the observation carries no point (shown as a prompt), or a warning that still allows output. */
export type VisionNotice = "no-face" | "no-probe" | "two-faces" | null;

/** What one frame produced, for the engine (observation) and the overlay (the rest). */
export interface VisionResult {
  capturedAt: number;
  /** Source frame size in pixels. */
  width: number;
  height: number;
  /** The downsampled frame the locator saw (a harness reads test videos' frame numbers from it). */
  sample: RgbaFrame;
  faceCount: number;
  /** The largest face, or null. */
  face: DetectedFace | null;
  /** Mapping for the largest face's mesh this frame (overlay projects zones with it). */
  map: FaceFrameMap | null;
  /** Probe tips in source pixels. */
  tips: { x: number; y: number; confidence: number }[];
  /** Raw UV of each tip (before smoothing). */
  raw: LocatedUv[];
  observation: ProbeObservation;
  notice: VisionNotice;
  /** Milliseconds spent in the face mesh, and in everything else. */
  meshMs: number;
  restMs: number;
  /** Milliseconds spent taking the frame (downsample and pixel read), when the processor measured it. */
  captureMs?: number;
  /** When the observation was handed to the socket (performance.now) and how long that took (set by the loop). */
  sentAt?: number;
  sendMs?: number;
}

/** What the pipeline runs on (all injected, so tests use fakes). */
export interface VisionParts {
  detector: { estimate(source: FaceSource): Promise<DetectedFace[]> };
  locator: ProbeLocator;
  mapper: FaceMapper;
  smoother: UvSmoother;
  /**
   * A second detector looking for up to two faces: it re-detects every `crowdEveryMs` and runs on every
   * frame while it sees two (the one-face tracker is several times cheaper than two faces). Optional.
   */
  crowd?: { estimate(source: FaceSource): Promise<DetectedFace[]>; reset(): void };
  /** Resets the one-face tracker when two-face mode ends (its last region is out of date). */
  resetTracking?(): void;
  /**
   * Counts faces off the page's thread (crowd_worker.ts). With it, the periodic check no longer stands in
   * for a frame's mesh: the sample goes to the worker every `crowdEveryMs`, and only when it sees two faces
   * does `crowd` run on the frames (until one face is left). Without it, `crowd` does the check inline.
   */
  countFaces?(sample: ImageData): Promise<number>;
}

/** Options for createVisionPipeline. */
export interface VisionPipelineOptions {
  /** Clock for the timing fields. Default performance.now. */
  now?: () => number;
  /** Period of the crowd (two-face) check, ms of capture time. Default 1000. */
  crowdEveryMs?: number;
  /**
   * Run the face mesh on the downsampled frame (the locator's) instead of the full one; keypoints are
   * scaled back to source pixels. Cheaper (less pixel conversion), slightly coarser. Default false.
   */
  meshOnSample?: boolean;
}

/** The pipeline; process() one frame at a time. */
export interface VisionPipeline {
  process(frame: CapturedFrame): Promise<VisionResult>;
}

const area = (f: DetectedFace) => f.box.width * f.box.height;
const scaleFaces = (faces: DetectedFace[], k: number): DetectedFace[] =>
  k === 1 ? faces : faces.map((f) => ({
    keypoints: f.keypoints.map((p) => ({ x: p.x * k, y: p.y * k })),
    box: { xMin: f.box.xMin * k, yMin: f.box.yMin * k, width: f.box.width * k, height: f.box.height * k },
  }));

/** Creates the pipeline over its parts. */
export function createVisionPipeline(
  parts: VisionParts,
  options: VisionPipelineOptions = {},
): VisionPipeline {
  const now = options.now ?? (() => performance.now());
  const crowdEveryMs = options.crowdEveryMs ?? 1000;
  let crowdAt = -Infinity;
  let crowdCount = 0;
  let counting = false, crowdFresh = false;
  // The off-thread counter, until it fails once or is late three times in a row: then the page counts
  // inline (a hung or dead worker must not end two-face detection).
  let counter = parts.countFaces;
  let late = 0;
  const giveUp = (why: string) => {
    if (!counter) return;
    counter = undefined;
    console.warn(`mirror: ${why}; counting faces on the page's thread from now on`);
  };
  return {
    async process(frame) {
      const t0 = now();
      // The tracker (one face) runs on most frames. Every crowdEveryMs faces are counted (off the page's
      // thread with countFaces, else by a two-face detection standing in for the tracker); while two are
      // seen the two-face detector runs on every frame (tracking both), so the largest face is used.
      const meshInput = options.meshOnSample ? frame.sample as ImageData : frame.source;
      const meshScale = options.meshOnSample ? frame.width / frame.sample.width : 1;
      const crowd = parts.crowd;
      const due = crowd !== undefined && frame.capturedAt - crowdAt >= crowdEveryMs;
      if (due && counter && crowdCount <= 1) {
        // Off the page's thread: the answer switches two-face mode on for the frames after it.
        crowdAt = frame.capturedAt;
        if (!counting) {
          counting = true;
          const ask = counter, sample = frame.sample as ImageData;
          let settled = false;
          let timer: ReturnType<typeof setTimeout> | undefined = undefined;
          // Whichever comes first, the answer or the timeout, settles the count; the other is ignored.
          const settle = () =>
            settled ? false : (settled = true, counting = false, clearTimeout(timer), true);
          timer = setTimeout(() => {
            if (settle() && ++late >= 3) giveUp("the face count did not answer three times");
          }, 2 * crowdEveryMs);
          Promise.resolve().then(() => ask(sample)).then((n) => {
            if (!settle()) return;
            late = 0;
            if (n > 1 && crowdCount <= 1) [crowdCount, crowdFresh] = [n, true];
          }, (err) => settle() && giveUp(`the face count failed (${(err as Error).message})`));
        }
      }
      const viaCrowd = crowd !== undefined && (counter ? crowdCount > 1 : due || crowdCount > 1);
      if (viaCrowd && (due || crowdFresh)) {
        // A fresh two-face detection (the crowd detector then tracks both faces until the next one).
        crowdAt = frame.capturedAt;
        crowdFresh = false;
        crowd!.reset();
      }
      const faces = scaleFaces(
        await (viaCrowd ? crowd!.estimate(meshInput) : parts.detector.estimate(meshInput)),
        meshScale,
      );
      if (viaCrowd) {
        const before = crowdCount;
        crowdCount = faces.length;
        if (before > 1 && crowdCount <= 1) parts.resetTracking?.();
      }
      const t1 = now();
      const faceCount = faces.length;
      const face = faces.length === 0 ? null : faces.reduce((a, b) => (area(b) > area(a) ? b : a));
      const map = face ? parts.mapper.frame(face.keypoints) : null;
      // No face, no use for the probe's place: the locator runs only with a face.
      const found = map ? parts.locator.locate(frame.sample) : { tips: [], confidence: 0 };
      let notice: VisionNotice = faceCount > 1 ? "two-faces" : null;
      let tips: VisionResult["tips"] = [], raw: LocatedUv[] = [], points: UvPoint[] = [];
      if (!map) notice = "no-face";
      else if (found.tips.length === 0) notice = "no-probe";
      else {
        const sx = frame.width / frame.sample.width, sy = frame.height / frame.sample.height;
        tips = found.tips.map((t) => ({ x: t.x * sx, y: t.y * sy, confidence: t.confidence }));
        raw = tips.map((t) => map.toUv(t.x, t.y));
        points = parts.smoother.smooth(raw.map(({ u, v }) => ({ u, v })), frame.capturedAt)
          .map(({ u, v }) => ({ u: Math.round(u * 1e5) / 1e5, v: Math.round(v * 1e5) / 1e5 }));
      }
      if (points.length === 0) parts.smoother.reset();
      const confidence = points.length === 0 ? 0 : found.confidence;
      return {
        capturedAt: frame.capturedAt,
        width: frame.width,
        height: frame.height,
        sample: frame.sample,
        faceCount,
        face,
        map,
        tips,
        raw,
        observation: { type: "probe", points, confidence, capturedAt: frame.capturedAt },
        notice,
        meshMs: t1 - t0,
        restMs: now() - t1,
      };
    },
  };
}
