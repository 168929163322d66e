/** The "probe-locator" plugin kind: finds probe tips in a camera frame (pure, runs in the page per frame). */

/** An RGBA frame, as the page's canvas ImageData gives it (row-major, 4 bytes per pixel). */
export interface RgbaFrame {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** One probe tip found in the frame, in that frame's pixel coordinates. */
export interface ProbeTip {
  x: number;
  y: number;
  /** 0..1: how sure the locator is this is a probe tip. */
  confidence: number;
  /** Pixels the tip's marker covers (in the frame given). */
  areaPx: number;
}

/** What a locator found in one frame. */
export interface ProbeLocation {
  /** Up to the locator's maximum, most confident first; [] when none is seen. */
  tips: ProbeTip[];
  /** Confidence of the whole observation (the least confident tip; 0 when none). */
  confidence: number;
}

/** A locator instance; one per camera stream, called once per frame. */
export interface ProbeLocator {
  locate(frame: RgbaFrame): ProbeLocation;
  dispose(): void;
}

/** What a probe-locator plugin's entry module exports as `locator`. */
export interface ProbeLocatorDefinition {
  /** Same as the plugin id in plugin.json. */
  id: string;
  /** Validates options (throwing TypeError/RangeError naming the bad one) and creates a locator. */
  createLocator(options?: Record<string, unknown>): ProbeLocator;
}
