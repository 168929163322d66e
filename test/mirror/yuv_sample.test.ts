/** The camera-plane sampler: I420 / NV12 / RGBA frames downsampled to the locator's RGBA frame with the right colours. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { type PlanarFrame, sampleFrame } from "../../kiosk/ui/vision/capture.ts";

// RGB → limited-range BT.601 YUV (the forward transform cameras use), rounded like a camera would.
function toYuv([r, g, b]: [number, number, number]): [number, number, number] {
  const y = 0.299 * r + 0.587 * g + 0.114 * b;
  return [
    Math.round(16 + (219 / 255) * y),
    Math.round(128 + (224 / 255) * ((b - y) / 1.772)),
    Math.round(128 + (224 / 255) * ((r - y) / 1.402)),
  ];
}

// A w×h frame of 2×2-aligned colour blocks, colour(x, y) per block, as I420 and NV12 (stride padded by 8).
function yuvFrames(w: number, h: number, colour: (bx: number, by: number) => [number, number, number]) {
  const ys = w + 8, cs = w / 2 + 8, ch = h / 2;
  const i420 = new Uint8Array(ys * h + 2 * cs * ch);
  const nv12 = new Uint8Array(ys * h + 2 * cs * ch);
  const uOff = ys * h, vOff = uOff + cs * ch;
  for (let by = 0; by < ch; by++) {
    for (let bx = 0; bx < w / 2; bx++) {
      const [y, u, v] = toYuv(colour(bx, by));
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        i420[(2 * by + dy!) * ys + 2 * bx + dx!] = y;
        nv12[(2 * by + dy!) * ys + 2 * bx + dx!] = y;
      }
      i420[uOff + by * cs + bx] = u;
      i420[vOff + by * cs + bx] = v;
      nv12[uOff + by * cs * 2 + 2 * bx] = u;
      nv12[uOff + by * cs * 2 + 2 * bx + 1] = v;
    }
  }
  const base = { width: w, height: h };
  return {
    i420: {
      ...base,
      format: "I420",
      data: i420,
      layout: [{ offset: 0, stride: ys }, { offset: uOff, stride: cs }, { offset: vOff, stride: cs }],
    } as PlanarFrame,
    nv12: {
      ...base,
      format: "NV12",
      data: nv12,
      layout: [{ offset: 0, stride: ys }, { offset: uOff, stride: cs * 2 }],
    } as PlanarFrame,
  };
}

const out = (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) });

test("an I420 frame halves to the block colours within 3 levels", () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 3, maxLength: 3 }), (rgb) => {
    const { i420 } = yuvFrames(16, 12, () => rgb as [number, number, number]);
    const o = out(8, 6);
    sampleFrame(i420, o);
    for (let i = 0; i < o.data.length; i += 4) {
      for (let c = 0; c < 3; c++) {
        assert.ok(Math.abs(o.data[i + c]! - rgb[c]!) <= 3, `channel ${c}: ${o.data[i + c]} vs ${rgb[c]}`);
      }
      assert.is(o.data[i + 3], 255);
    }
  }));
});

test("NV12 and I420 of the same picture sample to the same pixels, and each output pixel is its own 2×2 block", () => {
  const colour = (
    bx: number,
    by: number,
  ): [number, number, number] => [(bx * 37) % 256, (by * 53) % 256, ((bx + by) * 29) % 256];
  const { i420, nv12 } = yuvFrames(32, 24, colour);
  const a = out(16, 12), b = out(16, 12);
  sampleFrame(i420, a);
  sampleFrame(nv12, b);
  assert.equal(Array.from(a.data), Array.from(b.data));
  // pixel (5, 7) of the half-size frame is block (5, 7)
  const i = (7 * 16 + 5) * 4;
  colour(5, 7).forEach((c, k) => assert.ok(Math.abs(a.data[i + k]! - c) <= 3));
});

test("a BGRA frame averages each 2×2 block and swaps red and blue", () => {
  const w = 4, h = 2;
  const data = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) data.set([p * 10, 100, 200, 255], p * 4); // B, G, R, A
  const o = out(2, 1);
  sampleFrame({ format: "BGRA", width: w, height: h, data, layout: [{ offset: 0, stride: w * 4 }] }, o);
  // block 0 holds pixels 0, 1, 4, 5 → blue (0 + 10 + 40 + 50) / 4 = 25
  assert.equal(Array.from(o.data), [200, 100, 25, 255, 200, 100, 45, 255]);
});

test("an unknown pixel format is refused by name", () => {
  assert.throws(
    () =>
      sampleFrame({ format: "P010", width: 4, height: 4, data: new Uint8Array(64), layout: [] }, out(2, 2)),
    (e: unknown) => e instanceof TypeError && /"P010"/.test((e as Error).message),
  );
});

// The float formula the fixed-point sampler implements (limited-range BT.601), rounded and clamped.
function referenceI420(f: PlanarFrame, ow: number, oh: number): number[] {
  const [yp, up, vp] = f.layout;
  const kr = 0.299, kb = 0.114, kg = 1 - kr - kb, ys = 255 / 219, cs = 255 / 224;
  const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)));
  const outPx: number[] = [];
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const sx = Math.min(f.width - 2, Math.max(0, Math.floor((x + 0.5) * (f.width / ow) - 1)));
      const sy = Math.min(f.height - 2, Math.max(0, Math.floor((y + 0.5) * (f.height / oh) - 1)));
      const l =
        ((f.data[yp!.offset + sy * yp!.stride + sx]! + f.data[yp!.offset + sy * yp!.stride + sx + 1]! +
              f.data[yp!.offset + (sy + 1) * yp!.stride + sx]! +
              f.data[yp!.offset + (sy + 1) * yp!.stride + sx + 1]!) /
            4 - 16) * ys;
      const cx = Math.min(f.width / 2 - 1, (sx + 1) >> 1), cy = Math.min(f.height / 2 - 1, (sy + 1) >> 1);
      const u = f.data[up!.offset + cy * up!.stride + cx]! - 128,
        v = f.data[vp!.offset + cy * vp!.stride + cx]! - 128;
      outPx.push(
        clamp(l + 2 * (1 - kr) * cs * v),
        clamp(l - ((2 * kb * (1 - kb)) / kg) * cs * u - ((2 * kr * (1 - kr)) / kg) * cs * v),
        clamp(l + 2 * (1 - kb) * cs * u),
        255,
      );
    }
  }
  return outPx;
}

test("the fixed-point I420 path matches the float formula within 1 level on random planes, packed or not", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16 * 12 * 3 / 2, maxLength: 16 * 12 * 3 / 2 }), (bytes) => {
      const frame: PlanarFrame = {
        format: "I420",
        width: 16,
        height: 12,
        data: bytes,
        layout: [{ offset: 0, stride: 16 }, { offset: 192, stride: 8 }, { offset: 240, stride: 8 }],
      };
      const expected = referenceI420(frame, 8, 6);
      const packed = out(8, 6);
      sampleFrame(frame, packed);
      // A buffer not aligned to 4 bytes takes the byte-by-byte path.
      const unaligned = {
        width: 8,
        height: 6,
        data: new Uint8ClampedArray(new ArrayBuffer(8 * 6 * 4 + 1), 1, 8 * 6 * 4),
      };
      sampleFrame(frame, unaligned);
      for (let i = 0; i < expected.length; i++) {
        assert.ok(
          Math.abs(packed.data[i]! - expected[i]!) <= 1,
          `byte ${i}: ${packed.data[i]} vs ${expected[i]}`,
        );
        assert.is(unaligned.data[i], packed.data[i], `byte ${i}: unaligned differs`);
      }
    }),
    { numRuns: 200 },
  );
});

test.run();
