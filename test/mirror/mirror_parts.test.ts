/** Small mirror parts: backend choice, frame tags, I420 conversion, the e2e path, tracking reports for /api/health. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { chooseBackend, isHardwareRenderer } from "../../kiosk/ui/vision/mod.ts";
import { FRAME_TAG, readFrameTag } from "../../tools/mirror/frame_tag.ts";
import { rgbaToI420, y4mHeader } from "../../tools/mirror/y4m.ts";
import { E2E_PATH, pathAt } from "../../tools/mirror/e2e_path.ts";
import { createTrackingMonitor } from "../../kiosk/server/tracking.ts";
import { createZoneClassifier, defaultZoneMap } from "../../core/zones/mod.ts";

test("backend: wasm without a hardware GPU, webgl with one, a URL override wins, unknown names are refused", () => {
  assert.is(chooseBackend(null, { hardware: false, renderer: "SwiftShader" }), "wasm");
  assert.is(chooseBackend("auto", { hardware: true, renderer: "Mesa Intel UHD" }), "webgl");
  assert.is(chooseBackend("cpu", { hardware: true, renderer: "x" }), "cpu");
  assert.throws(
    () => chooseBackend("webgpu", { hardware: true, renderer: "x" }),
    /"webgpu" is not available/,
  );
  assert.not.ok(
    isHardwareRenderer("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)"),
  );
  assert.not.ok(isHardwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
  assert.ok(isHardwareRenderer("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060)"));
});

// Paints the tag the way drawFrameTag does, into an RGBA buffer at `k` scale.
function tagged(n: number, width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4).fill(128);
  const k = width / 640;
  const { x, y, cell, bits } = FRAME_TAG;
  for (let i = 0; i <= bits; i++) {
    const on = i === 0 || ((n >> (bits - i)) & 1) === 1;
    for (let py = Math.floor(y * k); py < Math.floor((y + cell) * k); py++) {
      for (let px = Math.floor((x + i * cell) * k); px < Math.floor((x + (i + 1) * cell) * k); px++) {
        data.fill(on ? 255 : 0, (py * width + px) * 4, (py * width + px) * 4 + 3);
      }
    }
  }
  return { data, width, height };
}

test("frame tags read back at full and downsampled size; a frame without one reads null", () => {
  for (const n of [0, 1, 105, 239, 1023]) {
    assert.is(readFrameTag(tagged(n, 640, 480)), n);
    assert.is(readFrameTag(tagged(n, 320, 240)), n);
  }
  assert.is(
    readFrameTag({ data: new Uint8ClampedArray(320 * 240 * 4).fill(128), width: 320, height: 240 }),
    null,
  );
});

test("I420: white, black and pure red convert to BT.601 limited-range values", () => {
  const px = (r: number, g: number, b: number) => new Uint8Array(Array(4).fill([r, g, b, 255]).flat());
  assert.equal([...rgbaToI420(px(255, 255, 255), 2, 2)], [235, 235, 235, 235, 128, 128]);
  assert.equal([...rgbaToI420(px(0, 0, 0), 2, 2)], [16, 16, 16, 16, 128, 128]);
  const red = rgbaToI420(px(255, 0, 0), 2, 2);
  assert.is(red[0], 82);
  assert.is(red[4], 90);
  assert.is(red[5], 240);
  assert.is(y4mHeader(640, 480, 30), "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n");
  assert.throws(() => rgbaToI420(new Uint8Array(12), 3, 1), /even sizes/);
});

test("the e2e path's segments lie in the zones they claim (checked against the engine's zone map)", () => {
  const classify = createZoneClassifier(defaultZoneMap);
  for (let t = 0; t < 8; t += 1 / 30) {
    const at = pathAt(E2E_PATH, t);
    if (!at) continue;
    const c = classify.classify(at.point);
    const zone = c.kind === "treatment" || c.kind === "keep-out" ? c.zone : c.kind;
    assert.is(zone, at.zone, `t=${t.toFixed(2)} ${JSON.stringify(at.point)}`);
  }
  assert.is(pathAt(E2E_PATH, 0.5), null);
});

test("tracking reports: consumed, validated, shown with the observation age, and dropped when stale", () => {
  let now = 1000;
  const m = createTrackingMonitor({ now: () => now, staleMs: 3000 });
  assert.is(m.offer('{"type":"probe","points":[],"confidence":0}'), false);
  assert.is(m.snapshot(), null);
  assert.ok(m.offer('{"type":"tracking","faceSeen":true,"probeSeen":false,"fps":29}'));
  m.observed();
  now += 40;
  assert.equal(m.snapshot(), { faceSeen: true, probeSeen: false, fps: 29, lastObservationAgeMs: 40 });
  assert.throws(() => m.offer('{"type":"tracking","faceSeen":1,"probeSeen":false,"fps":29}'), /"faceSeen"/);
  assert.throws(() => m.offer('{"type":"tracking","faceSeen":true,"probeSeen":false,"fps":-1}'), /"fps"/);
  now += 5000;
  assert.is(m.snapshot(), null);
});

test.run();
