/** Minimal YUV4MPEG2 writer pieces: RGBA → I420 (BT.601, limited range) and the stream/frame headers. */

/** Stream header for an I420 y4m (what Chromium's fake camera reads). */
export function y4mHeader(width: number, height: number, fps: number): string {
  return `YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`;
}

/** Converts RGBA to planar I420 (Y, then U and V at half resolution); width and height must be even. */
export function rgbaToI420(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Uint8Array {
  if (width % 2 !== 0 || height % 2 !== 0) {
    throw new RangeError(`I420 needs even sizes, got ${width}×${height}`);
  }
  if (rgba.length < width * height * 4) {
    throw new RangeError(`RGBA has ${rgba.length} bytes, expected ${width * height * 4}`);
  }
  const out = new Uint8Array((width * height * 3) / 2);
  const uOff = width * height, vOff = uOff + (width * height) / 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[y * width + x] = 16 + ((66 * rgba[o]! + 129 * rgba[o + 1]! + 25 * rgba[o + 2]! + 128) >> 8);
    }
  }
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let r = 0, g = 0, b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const o = ((y + dy!) * width + x + dx!) * 4;
        r += rgba[o]!, g += rgba[o + 1]!, b += rgba[o + 2]!;
      }
      r /= 4, g /= 4, b /= 4;
      const i = (y / 2) * (width / 2) + x / 2;
      out[uOff + i] = Math.max(0, Math.min(255, Math.round(128 + (-38 * r - 74 * g + 112 * b) / 256)));
      out[vOff + i] = Math.max(0, Math.min(255, Math.round(128 + (112 * r - 94 * g - 18 * b) / 256)));
    }
  }
  return out;
}
