/**
 * The mirror's one seam for a harness: the e2e test and the bench attach to every mirror session through it
 * (tools/mirror/mirror_hook.ts, loaded only in their build of the page). The shipped page sets nothing.
 */
import type { CameraFrames } from "../vision/camera_frames.ts";
import type { VisionResult } from "../vision/pipeline.ts";
import type { FrameProcessor, VisionLoop } from "../vision/vision_loop.ts";

/** One running mirror session, as a harness sees it. */
export interface MirrorSession {
  processor: FrameProcessor;
  /** The camera video, or the demo scene's canvas. */
  source: HTMLVideoElement | HTMLCanvasElement;
  demo: boolean;
  loop: VisionLoop;
  /** The camera's frames as they arrive, when they drive the loop; else null. */
  cameraFrames: CameraFrames | null;
}

/** What a harness does per session: hears every processed frame, and is disposed with the session. */
export interface MirrorAttachment {
  /** After each frame's overlay: `sent` false when the socket was closed, times on performance.now. */
  frameDone(result: VisionResult, info: { sent: boolean; overlayMs: number; startedAt: number }): void;
  dispose(): void;
}

/** Attaches a harness to one mirror session. */
export type MirrorInstrument = (session: MirrorSession) => MirrorAttachment;

let current: MirrorInstrument | null = null;

/** Sets (or with null clears) the harness that attaches to mirror sessions started from now on. */
export function setMirrorInstrument(instrument: MirrorInstrument | null): void {
  current = instrument;
}

/** The harness set with setMirrorInstrument, or null (always, in the shipped page). */
export function mirrorInstrument(): MirrorInstrument | null {
  return current;
}
