/** Takes the current camera (or demo) frame: the element itself for the mesh, a downsampled copy for the locator. */
import type { CapturedFrame } from "./pipeline.ts";
import { SAMPLE_FORMATS, sampleFrame } from "./yuv_sample.ts";

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
