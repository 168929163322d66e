/** Colour-marker probe locator on synthetic frames: tips, two blobs, hue choice, rejects specks and streaks. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createMarkerLocator, locateMarkers, locator } from "../../plugins/locator-marker/mod.ts";
import { validateManifest } from "../../core/manifest/mod.ts";

type Rgb = [number, number, number];
const SKIN: Rgb = [224, 172, 140];

function frame(width: number, height: number, bg: Rgb = SKIN) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...bg, 255], i * 4);
  return { data, width, height };
}

function disc(f: ReturnType<typeof frame>, cx: number, cy: number, r: number, rgb: Rgb) {
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r) f.data.set(rgb, (y * f.width + x) * 4);
    }
  }
}

const GREEN: Rgb = [40, 200, 60];

test("one green marker gives one tip at its centre with high confidence", () => {
  const f = frame(320, 240);
  disc(f, 100.5, 80.5, 4, GREEN);
  const got = locateMarkers(f);
  assert.is(got.tips.length, 1);
  assert.ok(
    Math.abs(got.tips[0]!.x - 100.5) < 0.1 && Math.abs(got.tips[0]!.y - 80.5) < 0.1,
    JSON.stringify(got),
  );
  assert.ok(got.confidence >= 0.8, `confidence ${got.confidence}`);
});

test("two markers give two tips", () => {
  const f = frame(320, 240);
  disc(f, 60, 60, 4, GREEN);
  disc(f, 250, 180, 3.5, GREEN);
  const got = locateMarkers(f);
  assert.is(got.tips.length, 2);
  const xs = got.tips.map((t) => Math.round(t.x)).sort((a, b) => a - b);
  assert.equal(xs, [60, 250]);
  assert.ok(got.confidence >= 0.7);
});

test("a frame without the marker colour reports no tip and confidence 0", () => {
  const f = frame(160, 120);
  disc(f, 40, 40, 10, [200, 40, 40]); // red flag stripe
  disc(f, 100, 60, 10, [40, 60, 180]); // blue patch
  disc(f, 130, 90, 10, [240, 120, 40]); // orange suit
  assert.equal(locateMarkers(f), { tips: [], confidence: 0 });
});

test("specks below the minimum area are ignored", () => {
  const f = frame(160, 120);
  f.data.set(GREEN, (10 * 160 + 10) * 4);
  f.data.set(GREEN, (10 * 160 + 11) * 4);
  assert.is(locateMarkers(f).tips.length, 0);
});

test("a thin streak of marker colour is not confident enough to drive output", () => {
  const f = frame(160, 120);
  for (let x = 10; x < 150; x++) f.data.set(GREEN, (50 * 160 + x) * 4);
  const got = locateMarkers(f);
  assert.is(got.tips.length, 1);
  assert.ok(got.confidence < 0.6, `confidence ${got.confidence}`);
});

test("the hue is configurable, and hues wrap around 0°", () => {
  const f = frame(160, 120);
  disc(f, 40, 40, 4, [220, 40, 220]); // magenta, hue 300
  disc(f, 120, 80, 4, [230, 30, 50]); // red, hue ~354
  assert.is(locateMarkers(f).tips.length, 0);
  const magenta = locateMarkers(f, { hue: 300 });
  assert.is(magenta.tips.length, 1);
  assert.is(Math.round(magenta.tips[0]!.x), 40);
  const red = locateMarkers(f, { hue: 5, hueTolerance: 15 });
  assert.is(red.tips.length, 1);
  assert.is(Math.round(red.tips[0]!.x), 120);
});

test("a marker anywhere with radius 2..8 px is found within 0.75 px", () => {
  fc.assert(
    fc.property(
      fc.double({ min: 10, max: 150, noNaN: true }),
      fc.double({ min: 10, max: 110, noNaN: true }),
      fc.double({ min: 2, max: 8, noNaN: true }),
      (cx, cy, r) => {
        const f = frame(160, 120);
        disc(f, cx, cy, r, GREEN);
        const got = locateMarkers(f);
        return got.tips.length === 1 && Math.hypot(got.tips[0]!.x - cx, got.tips[0]!.y - cy) < 0.75 &&
          got.confidence > 0.6;
      },
    ),
    { numRuns: 100 },
  );
});

test("a dark or washed-out green is rejected by the value and saturation floors", () => {
  const f = frame(160, 120);
  disc(f, 40, 40, 5, [10, 50, 15]);
  disc(f, 120, 80, 5, [190, 215, 195]);
  assert.is(locateMarkers(f).tips.length, 0);
});

test("bad options and frames are named", () => {
  assert.throws(() => createMarkerLocator({ hue: 400 }), /"hue" must be in 0\.\.360/);
  assert.throws(() => createMarkerLocator({ colour: 1 }), /"colour" is unknown/);
  assert.throws(() => createMarkerLocator({ maxTips: "2" }), /"maxTips" must be a finite number/);
  assert.throws(
    () => locateMarkers({ data: new Uint8Array(10), width: 4, height: 4 }),
    /10 bytes, expected 64/,
  );
});

test("the plugin's manifest is a valid probe-locator and its definition creates a working locator", async () => {
  const manifest = validateManifest(
    JSON.parse(await Deno.readTextFile(new URL("../../plugins/locator-marker/plugin.json", import.meta.url))),
  );
  assert.equal(manifest.kinds, ["probe-locator"]);
  assert.is(manifest.id, locator.id);
  const f = frame(64, 48);
  disc(f, 20, 20, 4, GREEN);
  const instance = locator.createLocator({ minAreaPx: 2 });
  assert.is(instance.locate(f).tips.length, 1);
  instance.dispose();
});

test.run();
