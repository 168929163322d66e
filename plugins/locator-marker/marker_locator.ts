/** Colour-marker probe locator: hue mask → connected blobs → up to two tip centroids with a confidence. */
import type { ProbeLocation, ProbeLocator, ProbeTip, RgbaFrame } from "@glidepath/sdk";

/** Options of the colour-marker locator (all optional; defaults suit a green sticker at 320×240). */
export interface MarkerLocatorOptions {
  /** Marker hue in degrees 0..360. Default 120 (green: absent from skin, hair and most clothes). */
  hue?: number;
  /** Accepted distance from `hue` in degrees. Default 22. */
  hueTolerance?: number;
  /** Minimum HSV saturation 0..1. Default 0.45. */
  minSaturation?: number;
  /** Minimum HSV value 0..1. Default 0.3. */
  minValue?: number;
  /** Blobs smaller than this (pixels of the given frame) are ignored. Default 4. */
  minAreaPx?: number;
  /** A blob this large or larger gets full size confidence. Default 16. */
  fullAreaPx?: number;
  /** Most tips reported. Default 2 (the two probe balls). */
  maxTips?: number;
  /** A further tip must be at least this fraction of the largest blob's area. Default 0.25. */
  minRelativeArea?: number;
}

type Resolved = Required<MarkerLocatorOptions>;

const DEFAULTS: Resolved = {
  hue: 120,
  hueTolerance: 22,
  minSaturation: 0.45,
  minValue: 0.3,
  minAreaPx: 4,
  fullAreaPx: 16,
  maxTips: 2,
  minRelativeArea: 0.25,
};

/** Validates untrusted options (e.g. from settings) and fills defaults; errors name the option. */
export function validateMarkerOptions(options: Record<string, unknown> = {}): Resolved {
  const out = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in DEFAULTS)) throw new TypeError(`Marker locator option "${key}" is unknown`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new TypeError(`Marker locator option "${key}" must be a finite number, got ${String(value)}`);
    }
    (out as Record<string, number>)[key] = value;
  }
  const range = (key: keyof Resolved, lo: number, hi: number) => {
    if (out[key] < lo || out[key] > hi) {
      throw new RangeError(`Marker locator option "${key}" must be in ${lo}..${hi}, got ${out[key]}`);
    }
  };
  range("hue", 0, 360);
  range("hueTolerance", 1, 90);
  range("minSaturation", 0, 1);
  range("minValue", 0, 1);
  range("minAreaPx", 1, 1e6);
  range("fullAreaPx", 1, 1e6);
  range("maxTips", 1, 4);
  range("minRelativeArea", 0, 1);
  if (!Number.isInteger(out.maxTips)) {
    throw new RangeError(`Marker locator option "maxTips" must be an integer`);
  }
  return out;
}

interface Blob {
  area: number;
  sx: number;
  sy: number;
  score: number;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

let scratch = { score: new Float32Array(0), label: new Int32Array(0) };

/** Finds marker tips in one frame (pure). Coordinates are pixel centres of the frame given. */
export function locateMarkers(frame: RgbaFrame, options: MarkerLocatorOptions = {}): ProbeLocation {
  const o = { ...DEFAULTS, ...options };
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Frame size must be positive integers, got ${width}×${height}`);
  }
  if (data.length < width * height * 4) {
    throw new RangeError(
      `Frame data has ${data.length} bytes, expected ${width * height * 4} for ${width}×${height}`,
    );
  }
  // Per-pixel match score 0..1 (0 = not the marker); 1 at the exact hue. Buffers are reused across calls
  // (the function never yields, so one set serves every caller).
  const n = width * height;
  if (scratch.score.length !== n) scratch = { score: new Float32Array(n), label: new Int32Array(n) };
  const { score, label } = scratch;
  score.fill(0);
  label.fill(0);
  const minMax = o.minValue * 255, minSat = o.minSaturation;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const r = data[p]!, g = data[p + 1]!, b = data[p + 2]!;
    const max = r > g ? (r > b ? r : b) : (g > b ? g : b);
    if (max < minMax) continue;
    const min = r < g ? (r < b ? r : b) : (g < b ? g : b), chroma = max - min;
    if (chroma < minSat * max || chroma === 0) continue;
    let h = max === r ? ((g - b) / chroma) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
    h *= 60;
    if (h < 0) h += 360;
    let d = Math.abs(h - o.hue);
    if (d > 180) d = 360 - d;
    if (d <= o.hueTolerance) score[i] = 1 - 0.5 * (d / o.hueTolerance);
  }
  // 4-connected components by flood fill with an explicit stack.
  const stack: number[] = [];
  const blobs: Blob[] = [];
  for (let start = 0; start < n; start++) {
    if (score[start] === 0 || label[start] !== 0) continue;
    const blob: Blob = { area: 0, sx: 0, sy: 0, score: 0, minX: width, maxX: 0, minY: height, maxY: 0 };
    blobs.push(blob);
    label[start] = blobs.length;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % width, y = (i - x) / width;
      blob.area++;
      blob.sx += x;
      blob.sy += y;
      blob.score += score[i]!;
      if (x < blob.minX) blob.minX = x;
      if (x > blob.maxX) blob.maxX = x;
      if (y < blob.minY) blob.minY = y;
      if (y > blob.maxY) blob.maxY = y;
      const visit = (j: number) => {
        if (score[j] !== 0 && label[j] === 0) {
          label[j] = blobs.length;
          stack.push(j);
        }
      };
      if (x > 0) visit(i - 1);
      if (x < width - 1) visit(i + 1);
      if (y > 0) visit(i - width);
      if (y < height - 1) visit(i + width);
    }
  }
  const candidates = blobs.filter((b) => b.area >= o.minAreaPx).sort((a, b) => b.area - a.area);
  const largest = candidates[0]?.area ?? 0;
  const tips: ProbeTip[] = candidates
    .filter((b) => b.area >= largest * o.minRelativeArea)
    .slice(0, o.maxTips)
    .map((b) => {
      // A round marker fills ~π/4 of a square box; a streak (an edge, a cable) is long or sparse.
      const w = b.maxX - b.minX + 1, h = b.maxY - b.minY + 1;
      const fill = b.area / (w * h);
      const shape = Math.min(1, fill / 0.6) * Math.min(1, Math.min(w, h) / Math.max(w, h) / 0.6);
      const size = Math.min(1, b.area / o.fullAreaPx);
      const hueMatch = b.score / b.area;
      return {
        x: b.sx / b.area + 0.5,
        y: b.sy / b.area + 0.5,
        areaPx: b.area,
        confidence: Math.round(hueMatch * shape * Math.sqrt(size) * 1000) / 1000,
      };
    })
    .sort((a, b) => b.confidence - a.confidence);
  return { tips, confidence: tips.length === 0 ? 0 : Math.min(...tips.map((t) => t.confidence)) };
}

/** Creates a locator instance with validated options. */
export function createMarkerLocator(options: Record<string, unknown> = {}): ProbeLocator {
  const resolved = validateMarkerOptions(options);
  return {
    locate: (frame) => locateMarkers(frame, resolved),
    dispose() {},
  };
}
