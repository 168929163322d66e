/** A frame-number tag (a row of black/white cells) drawn into test videos and read back by the mirror's harness hook. */
import type { RgbaFrame } from "../../core/sdk/probe_locator.ts";

/** Tag layout in pixels of a 640-wide frame: a white sync cell, then BITS cells, most significant first. */
export const FRAME_TAG = { x: 8, y: 452, cell: 14, bits: 10 } as const;

/** Draws frame number n (0..1023) at the bottom-left of a 640-wide frame. */
export function drawFrameTag(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  n: number,
): void {
  if (!Number.isInteger(n) || n < 0 || n >= 1 << FRAME_TAG.bits) {
    throw new RangeError(`Frame tag must be an integer 0..${(1 << FRAME_TAG.bits) - 1}, got ${n}`);
  }
  const { x, y, cell, bits } = FRAME_TAG;
  ctx.fillStyle = "#000";
  ctx.fillRect(x - 4, y - 4, cell * (bits + 1) + 8, cell + 8);
  for (let i = 0; i <= bits; i++) {
    const on = i === 0 || ((n >> (bits - i)) & 1) === 1;
    ctx.fillStyle = on ? "#fff" : "#000";
    ctx.fillRect(x + i * cell, y, cell, cell);
  }
}

/** Reads the tag from a (possibly downsampled) frame of a 640-wide source; null when there is none. */
export function readFrameTag(frame: RgbaFrame, sourceWidth = 640): number | null {
  const k = frame.width / sourceWidth;
  const { x, y, cell, bits } = FRAME_TAG;
  const luma = (i: number) => {
    const px = Math.floor((x + (i + 0.5) * cell) * k), py = Math.floor((y + cell / 2) * k);
    if (px >= frame.width || py >= frame.height) return -1;
    const o = (py * frame.width + px) * 4;
    return 0.299 * frame.data[o]! + 0.587 * frame.data[o + 1]! + 0.114 * frame.data[o + 2]!;
  };
  if (luma(0) < 200) return null;
  let n = 0;
  for (let i = 1; i <= bits; i++) {
    const l = luma(i);
    if (l < 0 || (l > 60 && l < 200)) return null;
    n = (n << 1) | (l >= 200 ? 1 : 0);
  }
  return n;
}
