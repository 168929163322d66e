/** The per-frame vision pipeline with fake detector and locator: observations, largest face, notices, two faces. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createFaceMapper, createUvSmoother } from "../../core/geometry/mod.ts";
import type { ProbeLocation } from "../../core/sdk/probe_locator.ts";
import { createVisionPipeline, type DetectedFace } from "../../kiosk/ui/vision/mod.ts";

const faceUv = JSON.parse(await Deno.readTextFile(new URL("../../models/face_uv.json", import.meta.url)));
const mapper = createFaceMapper(faceUv);

// A face whose keypoints are the UV map scaled by `scale` px and moved by (ox, oy).
function face(scale: number, ox = 0, oy = 0): DetectedFace {
  const keypoints = (faceUv.uv as [number, number][]).map(([u, v]) => ({
    x: ox + u * scale,
    y: oy + v * scale,
  }));
  return { keypoints, box: { xMin: ox, yMin: oy, width: scale, height: scale } };
}

const sample = { data: new Uint8ClampedArray(160 * 120 * 4), width: 160, height: 120 };
const frameAt = (t: number) => ({ source: {} as never, width: 640, height: 480, sample, capturedAt: t });

function parts(faces: DetectedFace[], found: ProbeLocation, crowdFaces?: DetectedFace[]) {
  let resets = 0;
  return {
    resets: () => resets,
    parts: {
      detector: { estimate: () => Promise.resolve(faces) },
      crowd: crowdFaces ? { estimate: () => Promise.resolve(crowdFaces), reset() {} } : undefined,
      resetTracking: () => void resets++,
      locator: { locate: () => found, dispose() {} },
      mapper,
      smoother: createUvSmoother(),
    },
  };
}

test("a probe tip on the face becomes a UV observation with the locator's confidence", async () => {
  // tip at sample (40, 30) → source (160, 120) → UV (0.4, 0.3) on a 400 px face at the origin
  const { parts: p } = parts([face(400)], {
    tips: [{ x: 40, y: 30, confidence: 0.9, areaPx: 20 }],
    confidence: 0.9,
  });
  const r = await createVisionPipeline(p).process(frameAt(100));
  assert.equal(r.observation, {
    type: "probe",
    points: [{ u: 0.4, v: 0.3 }],
    confidence: 0.9,
    capturedAt: 100,
  });
  assert.is(r.notice, null);
  assert.equal(r.tips, [{ x: 160, y: 120, confidence: 0.9 }]);
});

test("no face: an empty observation with confidence 0 (the engine holds output at 0)", async () => {
  const { parts: p } = parts([], { tips: [{ x: 1, y: 1, confidence: 1, areaPx: 20 }], confidence: 1 });
  const r = await createVisionPipeline(p).process(frameAt(5));
  assert.equal(r.observation, { type: "probe", points: [], confidence: 0, capturedAt: 5 });
  assert.is(r.notice, "no-face");
  assert.is(r.map, null);
});

test("a face without a probe tip reports no-probe and still maps the mesh for the overlay", async () => {
  const { parts: p } = parts([face(400)], { tips: [], confidence: 0 });
  const r = await createVisionPipeline(p).process(frameAt(5));
  assert.equal(r.observation.points, []);
  assert.is(r.notice, "no-probe");
  assert.ok(r.map !== null);
});

test("of two faces the larger one is used, and the result says two faces", async () => {
  // the larger face sits at x 200..600; the tip at source (400, 120) is its UV (0.5, 0.3)
  const big = face(400, 200, 0), small = face(100, 0, 0);
  const { parts: p } = parts([small, big], {
    tips: [{ x: 100, y: 30, confidence: 0.8, areaPx: 20 }],
    confidence: 0.8,
  });
  const r = await createVisionPipeline(p).process(frameAt(5));
  assert.is(r.notice, "two-faces");
  assert.is(r.face, big);
  assert.equal(r.observation.points, [{ u: 0.5, v: 0.3 }]);
});

// A locator that always sees one tip at sample (100, 30).
const oneTip = {
  locate: () => ({ tips: [{ x: 100, y: 30, confidence: 0.8, areaPx: 20 }], confidence: 0.8 }),
  dispose() {},
};

test("the crowd check finds a second face: two-face mode uses the largest until one face is left", async () => {
  const big = face(400, 200, 0), small = face(100, 0, 0);
  let crowdFaces = [small, big];
  let trackerCalls = 0, resets = 0;
  const pipeline = createVisionPipeline({
    detector: { estimate: () => (trackerCalls++, Promise.resolve([small])) },
    crowd: { estimate: () => Promise.resolve(crowdFaces), reset() {} },
    resetTracking: () => void resets++,
    locator: oneTip,
    mapper,
    smoother: createUvSmoother(),
  }, { crowdEveryMs: 1000 });
  for (const t of [0, 33, 66]) {
    const r = await pipeline.process(frameAt(t));
    assert.is(r.faceCount, 2);
    assert.is(r.notice, "two-faces");
    assert.is(r.face, big);
  }
  assert.is(trackerCalls, 0);
  crowdFaces = [big];
  const r = await pipeline.process(frameAt(1000));
  assert.is(r.faceCount, 1);
  assert.is(r.notice, null);
  assert.is(resets, 1);
  await pipeline.process(frameAt(1033));
  assert.is(trackerCalls, 1);
});

test("with countFaces the count runs beside the frames: two faces switch two-face mode on for later frames", async () => {
  const big = face(400, 200, 0), small = face(100, 0, 0);
  let crowdCalls = 0, trackerCalls = 0, counted = 0;
  let answer!: (n: number) => void;
  const pipeline = createVisionPipeline({
    detector: { estimate: () => (trackerCalls++, Promise.resolve([small])) },
    crowd: { estimate: () => (crowdCalls++, Promise.resolve([small, big])), reset() {} },
    countFaces: () => (counted++, new Promise<number>((r) => (answer = r))),
    locator: oneTip,
    mapper,
    smoother: createUvSmoother(),
  }, { crowdEveryMs: 1000 });
  // The first frame asks for a count and does not wait for it: the tracker's one face is used.
  let r = await pipeline.process(frameAt(0));
  assert.is(counted, 1);
  assert.is(crowdCalls, 0);
  assert.is(r.faceCount, 1);
  // No second count while one is out, and none before the period is over.
  await pipeline.process(frameAt(33));
  assert.is(counted, 1);
  answer(2);
  await Promise.resolve();
  await Promise.resolve();
  r = await pipeline.process(frameAt(66));
  assert.is(crowdCalls, 1);
  assert.is(r.faceCount, 2);
  assert.is(r.notice, "two-faces");
  assert.is(r.face, big);
  assert.is(trackerCalls, 2);
});

test("a face count that fails, or is late three times in a row, hands counting back to the page's thread", async () => {
  const setup = (countFaces: () => Promise<number>) => {
    const calls = { crowd: 0 };
    const pipeline = createVisionPipeline({
      detector: { estimate: () => Promise.resolve([face(400)]) },
      crowd: { estimate: () => (calls.crowd++, Promise.resolve([face(400)])), reset() {} },
      countFaces,
      locator: oneTip,
      mapper,
      smoother: createUvSmoother(),
    }, { crowdEveryMs: 10 });
    return { pipeline, calls };
  };
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  // A count that fails: the next due frame is counted on the page.
  const failing = setup(() => Promise.reject(new Error("worker gone")));
  await failing.pipeline.process(frameAt(0));
  await tick(1);
  assert.is(failing.calls.crowd, 0);
  await failing.pipeline.process(frameAt(10));
  assert.is(failing.calls.crowd, 1, "a failed count did not hand counting back");

  // A count that never answers: each times out after 2 periods (20 ms); after the third the page counts.
  const hanging = setup(() => new Promise<number>(() => {}));
  for (let i = 0; i < 3; i++) {
    await hanging.pipeline.process(frameAt(i * 10));
    await tick(30);
  }
  assert.is(hanging.calls.crowd, 0, "counted on the page before three counts were late");
  await hanging.pipeline.process(frameAt(100));
  assert.is(hanging.calls.crowd, 1, "three late counts did not hand counting back");
});

test("two tips give two points, each smoothed on its own track", async () => {
  const { parts: p } = parts([face(400)], {
    tips: [{ x: 20, y: 50, confidence: 0.9, areaPx: 20 }, { x: 80, y: 50, confidence: 0.7, areaPx: 20 }],
    confidence: 0.7,
  });
  const pipeline = createVisionPipeline(p);
  await pipeline.process(frameAt(0));
  const r = await pipeline.process(frameAt(33));
  assert.equal(r.observation.points, [{ u: 0.2, v: 0.5 }, { u: 0.8, v: 0.5 }]);
  assert.is(r.observation.confidence, 0.7);
});

test("with meshOnSample the mesh sees the downsampled frame and its keypoints are scaled back to source pixels", async () => {
  let seen: unknown = null;
  // sample 160×120 of a 640×480 source: the face found at 100 px in the sample is 400 px in the source
  const pipeline = createVisionPipeline({
    detector: { estimate: (input) => ((seen = input), Promise.resolve([face(100)])) },
    locator: {
      locate: () => ({ tips: [{ x: 40, y: 30, confidence: 0.9, areaPx: 20 }], confidence: 0.9 }),
      dispose() {},
    },
    mapper,
    smoother: createUvSmoother(),
  }, { meshOnSample: true });
  const r = await pipeline.process(frameAt(0));
  assert.is(seen, sample);
  assert.equal(r.face!.box, { xMin: 0, yMin: 0, width: 400, height: 400 });
  assert.equal(r.observation.points, [{ u: 0.4, v: 0.3 }]);
});

test.run();
