/** The mirror's page settings, read from the URL in one place (pure: the caller passes `location.search`). */
import { BACKENDS } from "../vision/backend.ts";

/** What the page address may set; null where it sets nothing (the component's props or defaults apply). */
export interface MirrorConfig {
  /** `?camera=`: "auto", "demo" or a camera deviceId. */
  camera: string | null;
  /** `?backend=`: "auto" or a shipped tfjs backend. */
  backend: string | null;
  /** `?hue=`: the marker hue in degrees, 0..360. */
  hue: number | null;
  /**
   * `?frames=video` drives the loop by requestVideoFrameCallback, the fallback of browsers without
   * MediaStreamTrackProcessor (the e2e test and the bench run both). Default "stream".
   */
  frames: "stream" | "video";
}

const FRAMES = ["stream", "video"] as const;

/**
 * Reads the mirror's settings from a query string ("?camera=demo&hue=300") or its parsed form. Other
 * parameters are left alone. Throws a RangeError naming the first bad value.
 */
export function parseMirrorConfig(search: string | URLSearchParams): MirrorConfig {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const bad = (name: string, wanted: string, got: string) =>
    new RangeError(`Cannot read the page address: ${name} must be ${wanted}, got ${JSON.stringify(got)}`);
  const camera = params.get("camera");
  if (camera !== null && camera.trim() === "") throw bad("camera", "auto, demo or a camera id", camera);
  const backend = params.get("backend");
  if (backend !== null && backend !== "auto" && !(BACKENDS as readonly string[]).includes(backend)) {
    throw bad("backend", `one of auto, ${BACKENDS.join(", ")}`, backend);
  }
  const hueText = params.get("hue");
  const hue = hueText === null ? null : Number(hueText);
  if (hue !== null && (hueText!.trim() === "" || !Number.isFinite(hue) || hue < 0 || hue > 360)) {
    throw bad("hue", "a number of degrees 0..360", hueText!);
  }
  const frames = params.get("frames") ?? "stream";
  if (!(FRAMES as readonly string[]).includes(frames)) throw bad("frames", "stream or video", frames);
  return { camera, backend, hue, frames: frames as MirrorConfig["frames"] };
}
