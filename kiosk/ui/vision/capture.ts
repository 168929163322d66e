/** Takes the current camera (or demo) frame: the element itself for the mesh, a downsampled copy for the locator. */
import type { CapturedFrame } from "./pipeline.ts";

/** Options for createFrameCapturer. */
export interface FrameCapturerOptions {
  /** Width of the locator's downsampled frame; height keeps the aspect. Default 320. */
  sampleWidth?: number;
}

/** Reuses one canvas across frames; dispose() releases it. */
export interface FrameCapturer {
  capture(source: HTMLVideoElement | HTMLCanvasElement, capturedAt: number): CapturedFrame | null;
  dispose(): void;
}

/**
 * Creates a capturer (browser only). capture() returns null until the source has a frame.
 * The mesh must read the same frame as the locator: the pipeline calls estimateFaces in the same task
 * as capture(), and face-landmarks-detection copies the pixels before its first await, so no snapshot
 * copy of the full frame is needed (it cost ~5 ms a frame on the 2-core machine).
 */
export function createFrameCapturer(options: FrameCapturerOptions = {}): FrameCapturer {
  const sampleWidth = options.sampleWidth ?? 320;
  const small = document.createElement("canvas");
  const smallCtx = small.getContext("2d", { willReadFrequently: true })!;
  return {
    capture(source, capturedAt) {
      const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
      const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
      if (width === 0 || height === 0) return null;
      if (source instanceof HTMLVideoElement && (source.width !== width || source.height !== height)) {
        // tfjs reads the element's width/height attributes as the frame size.
        [source.width, source.height] = [width, height];
      }
      const sh = Math.round((height * sampleWidth) / width);
      if (small.width !== sampleWidth || small.height !== sh) [small.width, small.height] = [sampleWidth, sh];
      smallCtx.drawImage(source, 0, 0, sampleWidth, sh);
      const sample = smallCtx.getImageData(0, 0, sampleWidth, sh);
      return { source, width, height, sample, capturedAt };
    },
    dispose() {
      small.width = small.height = 0;
    },
  };
}
