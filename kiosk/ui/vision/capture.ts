/** Takes a consistent snapshot of the current camera (or demo) frame: full size for the mesh, downsampled for the locator. */
import type { CapturedFrame } from "./pipeline.ts";

/** Options for createFrameCapturer. */
export interface FrameCapturerOptions {
  /** Width of the locator's downsampled frame; height keeps the aspect. Default 320. */
  sampleWidth?: number;
}

/** Reuses two canvases across frames; dispose() releases them. */
export interface FrameCapturer {
  capture(source: HTMLVideoElement | HTMLCanvasElement, capturedAt: number): CapturedFrame | null;
  dispose(): void;
}

/** Creates a capturer (browser only). capture() returns null until the source has a frame. */
export function createFrameCapturer(options: FrameCapturerOptions = {}): FrameCapturer {
  const sampleWidth = options.sampleWidth ?? 320;
  const full = document.createElement("canvas");
  const small = document.createElement("canvas");
  const fullCtx = full.getContext("2d", { willReadFrequently: true })!;
  const smallCtx = small.getContext("2d", { willReadFrequently: true })!;
  return {
    capture(source, capturedAt) {
      const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
      const height = source instanceof HTMLVideoElement ? source.videoHeight : source.height;
      if (width === 0 || height === 0) return null;
      if (full.width !== width || full.height !== height) [full.width, full.height] = [width, height];
      const sh = Math.round((height * sampleWidth) / width);
      if (small.width !== sampleWidth || small.height !== sh) [small.width, small.height] = [sampleWidth, sh];
      // One snapshot feeds both the mesh and the locator, so they see the same instant.
      fullCtx.drawImage(source, 0, 0, width, height);
      smallCtx.drawImage(full, 0, 0, sampleWidth, sh);
      const sample = smallCtx.getImageData(0, 0, sampleWidth, sh);
      return { source: full, width, height, sample, capturedAt };
    },
    dispose() {
      full.width =
        full.height =
        small.width =
        small.height =
          0;
    },
  };
}
