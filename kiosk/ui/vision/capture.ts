/** Takes the current camera (or demo) frame: the element for the mesh, a copy sampled from its planes for the locator. */
import type { CapturedFrame } from "./pipeline.ts";

/** Options for createFrameCapturer. */
export interface FrameCapturerOptions {
  /** Width of the locator's downsampled frame; height keeps the aspect. Default 320. */
  sampleWidth?: number;
}

/**
 * What a frame is taken from: the camera video or demo canvas (their current picture), or a camera frame
 * handed over as it arrived (camera_frames.ts; the caller keeps ownership and closes it).
 */
export type FrameSource = HTMLVideoElement | HTMLCanvasElement | VideoFrame;

/** Reuses one canvas and buffers across frames; dispose() releases them. */
export interface FrameCapturer {
  /** Resolves to null until the source has a frame. */
  capture(source: FrameSource, capturedAt: number): Promise<CapturedFrame | null>;
  /** How the last frame was read: "planes" (VideoFrame) or "canvas" (drawImage); null before the first. */
  readonly method: "planes" | "canvas" | null;
  dispose(): void;
}

/**
 * Creates a capturer (browser only). A camera frame is read from its own planes (WebCodecs `VideoFrame` +
 * `copyTo`, YUV → RGB on the small frame only: capture 4.1 → ~2 ms a frame against `drawImage` +
 * `getImageData`, which converts the whole frame; docs/decisions.md). The demo canvas, GPU-backed frames
 * and browsers without VideoFrame go through drawImage. The planes are read asynchronously, so the element
 * may show a newer frame by then: the mesh runs on the sample, never on the element.
 */
export function createFrameCapturer(options: FrameCapturerOptions = {}): FrameCapturer {
  const sampleWidth = options.sampleWidth ?? 320;
  let planes = typeof VideoFrame !== "undefined";
  let method: "planes" | "canvas" | null = null;
  const small = document.createElement("canvas");
  const smallCtx = small.getContext("2d", { willReadFrequently: true })!;
  let buffer = new Uint8Array(0);

  // Reads a frame from its own planes: "unsupported" when they are not in memory in a known format.
  async function readPlanes(vf: VideoFrame, sw: number, sh: number): Promise<ImageData | "unsupported"> {
    if (vf.format === null || !SAMPLE_FORMATS.includes(vf.format)) return "unsupported";
    const size = vf.allocationSize();
    if (buffer.byteLength < size) buffer = new Uint8Array(size);
    const layout = await vf.copyTo(buffer);
    // A fresh ImageData per frame: the result may still be read when the next frame comes.
    const out = new ImageData(sw, sh);
    sampleFrame({
      format: vf.format,
      width: vf.visibleRect?.width ?? vf.codedWidth,
      height: vf.visibleRect?.height ?? vf.codedHeight,
      data: buffer,
      layout,
      matrix: vf.colorSpace?.matrix,
      fullRange: vf.colorSpace?.fullRange,
    }, out);
    return out;
  }

  // The video's current frame from its own planes: "unreadable" when it has no frame yet.
  async function fromVideo(video: HTMLVideoElement, sw: number, sh: number) {
    let vf: VideoFrame;
    try {
      vf = new VideoFrame(video);
    } catch {
      return "unreadable";
    }
    try {
      return await readPlanes(vf, sw, sh);
    } finally {
      vf.close();
    }
  }

  // Downsamples through the 2D canvas (any source the canvas can draw).
  function throughCanvas(source: CanvasImageSource, sw: number, sh: number): ImageData {
    if (small.width !== sw || small.height !== sh) [small.width, small.height] = [sw, sh];
    smallCtx.drawImage(source, 0, 0, sw, sh);
    method = "canvas";
    return smallCtx.getImageData(0, 0, sw, sh);
  }

  return {
    get method() {
      return method;
    },
    async capture(source, capturedAt) {
      if (typeof VideoFrame !== "undefined" && source instanceof VideoFrame) {
        // A frame handed over as it arrived: the mesh runs on the sample taken from it (the pipeline must
        // run with meshOnSample).
        const width = source.displayWidth, height = source.displayHeight;
        const sh = Math.round((height * sampleWidth) / width);
        let sample = planes ? await readPlanes(source, sampleWidth, sh) : "unsupported";
        if (sample === "unsupported") {
          planes = false;
          sample = throughCanvas(source, sampleWidth, sh);
        } else method = "planes";
        return { source: sample, width, height, sample, capturedAt };
      }
      const video = source instanceof HTMLVideoElement;
      const width = video ? source.videoWidth : (source as HTMLCanvasElement).width;
      const height = video ? source.videoHeight : (source as HTMLCanvasElement).height;
      if (width === 0 || height === 0) return null;
      if (video && (source.width !== width || source.height !== height)) {
        // tfjs reads the element's width/height attributes as the frame size.
        [source.width, source.height] = [width, height];
      }
      const element = source as HTMLVideoElement | HTMLCanvasElement;
      const sh = Math.round((height * sampleWidth) / width);
      if (video && planes) {
        const read = await fromVideo(source, sampleWidth, sh);
        if (read instanceof ImageData) {
          method = "planes";
          return { source: element, width, height, sample: read, capturedAt };
        }
        // GPU-backed or unknown format: this camera is read through the canvas from now on.
        if (read === "unsupported") planes = false;
      }
      return { source: element, width, height, sample: throughCanvas(element, sampleWidth, sh), capturedAt };
    },
    dispose() {
      small.width = small.height = 0;
      buffer = new Uint8Array(0);
    },
  };
}

// The sampler: a camera frame's raw planes (I420, NV12 or RGBA/BGRA) straight to the locator's small RGBA frame.

/** A camera frame as copied out of a WebCodecs VideoFrame (`copyTo`): planes in one buffer. */
export interface PlanarFrame {
  /** VideoFrame pixel format: I420, I420A, NV12, RGBA, RGBX, BGRA or BGRX. */
  format: string;
  /** Visible size in pixels. */
  width: number;
  height: number;
  data: Uint8Array;
  /** Offset and stride of each plane in `data` (VideoFrame.copyTo's layout). */
  layout: readonly { offset: number; stride: number }[];
  /** YUV matrix (VideoFrame.colorSpace.matrix): "bt709", "bt2020-ncl", anything else is BT.601. Default BT.601. */
  matrix?: string | null;
  /** Full-range YUV (0..255) instead of limited (16..235). Default false. */
  fullRange?: boolean | null;
}

/** Pixel formats sampleFrame reads. */
export const SAMPLE_FORMATS: readonly string[] = ["I420", "I420A", "NV12", "RGBA", "RGBX", "BGRA", "BGRX"];

function coefficients(matrix: string | null | undefined): [kr: number, kb: number] {
  if (matrix === "bt709") return [0.2126, 0.0722];
  if (matrix === "bt2020-ncl") return [0.2627, 0.0593];
  return [0.299, 0.114];
}

/**
 * Writes the frame, box-filtered down to `out.width × out.height`, into `out.data` (RGBA, alpha 255).
 * Each output pixel averages the 2×2 luma (or RGB) pixels at its centre and takes the chroma sample there,
 * so a 640×480 → 320×240 sample is an exact 2×2 box filter. Throws TypeError on an unknown format.
 */
export function sampleFrame(
  frame: PlanarFrame,
  out: { width: number; height: number; data: Uint8ClampedArray },
): void {
  const { width, height, data, layout } = frame;
  const ow = out.width, oh = out.height, o = out.data;
  if (o.length < ow * oh * 4) {
    throw new RangeError(`Sample buffer holds ${o.length} bytes, needs ${ow * oh * 4}`);
  }
  const kx = width / ow, ky = height / oh;
  // Top-left of the 2×2 block nearest each output pixel's centre, per column and row.
  const xs = new Int32Array(ow), ys = new Int32Array(oh);
  for (let x = 0; x < ow; x++) xs[x] = Math.min(width - 2, Math.max(0, Math.floor((x + 0.5) * kx - 1)));
  for (let y = 0; y < oh; y++) ys[y] = Math.min(height - 2, Math.max(0, Math.floor((y + 0.5) * ky - 1)));
  const format = frame.format;
  if (format === "RGBA" || format === "RGBX" || format === "BGRA" || format === "BGRX") {
    const { offset, stride } = layout[0]!;
    const [r, b] = format[0] === "R" ? [0, 2] : [2, 0];
    for (let y = 0, i = 0; y < oh; y++) {
      const row0 = offset + ys[y]! * stride, row1 = row0 + stride;
      for (let x = 0; x < ow; x++, i += 4) {
        const a = row0 + xs[x]! * 4, c = row1 + xs[x]! * 4;
        o[i] = (data[a + r]! + data[a + 4 + r]! + data[c + r]! + data[c + 4 + r]! + 2) >> 2;
        o[i + 1] = (data[a + 1]! + data[a + 5]! + data[c + 1]! + data[c + 5]! + 2) >> 2;
        o[i + 2] = (data[a + b]! + data[a + 4 + b]! + data[c + b]! + data[c + 4 + b]! + 2) >> 2;
        o[i + 3] = 255;
      }
    }
    return;
  }
  const nv12 = format === "NV12";
  if (!nv12 && format !== "I420" && format !== "I420A") {
    throw new TypeError(
      `Frame format "${format}" is not supported; expected one of ${SAMPLE_FORMATS.join(", ")}`,
    );
  }
  const [kr, kb] = coefficients(frame.matrix);
  const kg = 1 - kr - kb;
  // Y' = ys·(Y − y0); chroma scaled the same way around 128.
  const full = frame.fullRange === true;
  const yScale = full ? 1 : 255 / 219, y0 = full ? 0 : 16, cScale = full ? 1 : 255 / 224;
  const rv = 2 * (1 - kr) * cScale, bu = 2 * (1 - kb) * cScale;
  const gu = ((2 * kb * (1 - kb)) / kg) * cScale, gv = ((2 * kr * (1 - kr)) / kg) * cScale;
  const yPlane = layout[0]!;
  const uPlane = layout[1]!;
  const vPlane = nv12 ? layout[1]! : layout[2]!;
  const cStep = nv12 ? 2 : 1, vShift = nv12 ? 1 : 0;
  const cw = (width + 1) >> 1, ch = (height + 1) >> 1;
  // Chroma column of each output pixel (in bytes within its row).
  const cxs = new Int32Array(ow);
  for (let x = 0; x < ow; x++) cxs[x] = Math.min(cw - 1, (xs[x]! + 1) >> 1) * cStep;
  // Fixed point (16 fractional bits) from tables: per chroma byte its share of R, G and B, per 2×2 luma sum
  // its level. The result rounds half up and is clamped to 0..255 (exact to the float formula within ±1).
  // Built once per colour space and range (a camera keeps both), not per frame.
  const key = `${kr},${kb},${full}`;
  let tables = TABLES.get(key);
  if (!tables) {
    tables = {
      luma: new Int32Array(4 * 255 + 1),
      rOfV: new Int32Array(256),
      gOfUV: new Int32Array(512),
      bOfU: new Int32Array(256),
    };
    const t = tables;
    for (let sum = 0; sum < t.luma.length; sum++) {
      t.luma[sum] = Math.round((sum - 4 * y0) * (yScale / 4) * 65536);
    }
    for (let c = 0; c < 256; c++) {
      t.rOfV[c] = Math.round(rv * (c - 128) * 65536);
      t.bOfU[c] = Math.round(bu * (c - 128) * 65536);
      t.gOfUV[c] = Math.round(gu * (c - 128) * 65536);
      t.gOfUV[256 + c] = Math.round(gv * (c - 128) * 65536);
    }
    TABLES.set(key, t);
  }
  const { luma, rOfV, gOfUV, bOfU } = tables;
  const half = 32768;
  const packed = LITTLE_ENDIAN && o.byteOffset % 4 === 0
    ? new Uint32Array(o.buffer, o.byteOffset, ow * oh)
    : null;
  for (let y = 0, i = 0; y < oh; y++) {
    const row0 = yPlane.offset + ys[y]! * yPlane.stride, row1 = row0 + yPlane.stride;
    const cy = Math.min(ch - 1, (ys[y]! + 1) >> 1);
    const uRow = uPlane.offset + cy * uPlane.stride, vRow = vPlane.offset + cy * vPlane.stride + vShift;
    for (let x = 0; x < ow; x++, i++) {
      const a = row0 + xs[x]!, b = row1 + xs[x]!, cx = cxs[x]!;
      const l = luma[data[a]! + data[a + 1]! + data[b]! + data[b + 1]!]! + half;
      const u = data[uRow + cx]!, v = data[vRow + cx]!;
      let r = (l + rOfV[v]!) >> 16, g = (l - gOfUV[u]! - gOfUV[256 + v]!) >> 16, bl = (l + bOfU[u]!) >> 16;
      r = r < 0 ? 0 : r > 255 ? 255 : r;
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      bl = bl < 0 ? 0 : bl > 255 ? 255 : bl;
      if (packed) packed[i] = 0xff000000 | (bl << 16) | (g << 8) | r;
      else {
        const k = i * 4;
        o[k] = r, o[k + 1] = g, o[k + 2] = bl, o[k + 3] = 255;
      }
    }
  }
}

const TABLES = new Map<string, { luma: Int32Array; rOfV: Int32Array; gOfUV: Int32Array; bOfU: Int32Array }>();

// Packed RGBA writes need a little-endian platform (every browser the kiosk targets).
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
