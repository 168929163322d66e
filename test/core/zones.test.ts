/** Zone classification: DESIGN §2 landmarks, keep-out margins in millimetres, the neck by extrapolation. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  createZoneClassifier,
  defaultZoneMap,
  uvDistanceToPolygon,
  type UvPolygon,
  validateZoneMap,
} from "../../core/zones/mod.ts";
import faceUv from "../../models/face_uv.json" with { type: "json" };

const zones = createZoneClassifier(defaultZoneMap);
const at = (u: number, v: number) => zones.classify({ u, v });
const MM = 1 / 209;
const uv = faceUv.uv as [number, number][];
const lidContour = (names: string[]) =>
  names.flatMap((n) => (faceUv.annotations as Record<string, number[]>)[n]!.map((i) => uv[i]!));

test("upper and lower eyelid landmarks 159, 386, 145, 374 are eye keep-outs", () => {
  assert.equal(at(0.343, 0.355), { ...at(0.343, 0.355), kind: "keep-out", zone: "eye-left" });
  assert.is((at(0.657, 0.355) as { zone: string }).zone, "eye-right");
  assert.is((at(0.343, 0.401) as { zone: string }).zone, "eye-left");
  assert.is((at(0.657, 0.401) as { zone: string }).zone, "eye-right");
});

test("mouth corners 61 and 291 are lip keep-outs", () => {
  assert.equal(at(0.382, 0.695).kind, "keep-out");
  assert.is((at(0.618, 0.695) as { zone: string }).zone, "lips");
});

test("cheek landmarks 50 and 280 are treatment zones cheek-left and cheek-right", () => {
  assert.equal(at(0.277, 0.532), { kind: "treatment", zone: "cheek-left", levelUa: 250, freqHz: 3 });
  assert.is((at(0.723, 0.532) as { zone: string }).zone, "cheek-right");
});

test("jaw angles 172 and 397 are on the jawline; the chin above landmark 152 is the chin zone", () => {
  assert.is((at(0.128, 0.792) as { zone: string }).zone, "jawline-left");
  assert.is((at(0.872, 0.792) as { zone: string }).zone, "jawline-right");
  assert.is((at(0.5, 0.9) as { zone: string }).zone, "chin");
});

test("forehead below landmark 10 is the forehead zone; the nose is not a treatment zone", () => {
  assert.is((at(0.5, 0.18) as { zone: string }).zone, "forehead");
  assert.is(at(0.5, 0.5).kind, "off-zone");
  assert.is(at(0.5, 0.56).kind, "off-zone");
});

test("below the chin (v > 0.954) the midline is the front-of-neck keep-out and the sides are neck zones", () => {
  assert.is((at(0.5, 1.0) as { zone: string }).zone, "neck-front");
  assert.is((at(0.5, 1.25) as { zone: string }).zone, "neck-front");
  assert.is((at(0.26, 1.05) as { zone: string }).zone, "neck-left");
  assert.is((at(0.74, 1.05) as { zone: string }).zone, "neck-right");
});

test("anything off the face and neck is off-face, including u < 0, u > 1 and far below the chin", () => {
  for (const [u, v] of [[-0.1, 0.5], [1.1, 0.5], [0.5, 2], [0.05, 1.1], [0.5, 0.0]] as const) {
    assert.is(at(u, v).kind, "off-face", `(${u}, ${v})`);
  }
});

test("every point within 10 mm of an eyelid contour is an eye keep-out (property)", () => {
  const contour = [
    ...lidContour(["rightEyeUpper0", "rightEyeLower0"]),
    ...lidContour(["leftEyeUpper0", "leftEyeLower0"]),
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: contour.length - 1 }),
      fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      fc.double({ min: 0, max: 10, noNaN: true }),
      (i, angle, mm) => {
        const [u0, v0] = contour[i]!;
        const c = at(u0 + Math.cos(angle) * mm * MM, v0 + Math.sin(angle) * mm * MM);
        return c.kind === "keep-out" && c.zone.startsWith("eye-");
      },
    ),
    { numRuns: 3000 },
  );
});

test("every point within 5 mm of the outer lip contour is a lip keep-out (property)", () => {
  const contour = lidContour(["lipsUpperOuter", "lipsLowerOuter"]);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: contour.length - 1 }),
      fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
      fc.double({ min: 0, max: 5, noNaN: true }),
      (i, angle, mm) => {
        const [u0, v0] = contour[i]!;
        const c = at(u0 + Math.cos(angle) * mm * MM, v0 + Math.sin(angle) * mm * MM);
        return c.kind === "keep-out" && c.zone === "lips";
      },
    ),
    { numRuns: 3000 },
  );
});

// An independent model of point-to-polygon distance (the mirror overlay's former copy): even-odd inside
// test, else the shortest hypot to an edge.
function modelDistance(p: { u: number; v: number }, poly: UvPolygon): number {
  let inside = false, best = Infinity;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [ui, vi] = poly[i]!, [uj, vj] = poly[j]!;
    if ((vi > p.v) !== (vj > p.v) && p.u < ((uj - ui) * (p.v - vi)) / (vj - vi) + ui) inside = !inside;
    const dx = ui - uj, dy = vi - vj, len2 = dx * dx + dy * dy;
    const s = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.u - uj) * dx + (p.v - vj) * dy) / len2));
    best = Math.min(best, Math.hypot(uj + s * dx - p.u, vj + s * dy - p.v));
  }
  return inside ? 0 : best;
}

test("uvDistanceToPolygon is 0 inside a polygon and the distance to the nearest edge outside it", () => {
  const square: UvPolygon = [[0, 0], [1, 0], [1, 1], [0, 1]];
  assert.is(uvDistanceToPolygon({ u: 0.5, v: 0.5 }, square), 0);
  assert.ok(Math.abs(uvDistanceToPolygon({ u: 1.25, v: 0.5 }, square) - 0.25) < 1e-12);
  assert.ok(Math.abs(uvDistanceToPolygon({ u: 2, v: 2 }, square) - Math.SQRT2) < 1e-12);
});

test("uvDistanceToPolygon agrees with an independent model on every zone of the default map (property)", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: defaultZoneMap.zones.length - 1 }),
      fc.double({ min: -0.1, max: 1.2, noNaN: true }),
      fc.double({ min: -0.1, max: 1.3, noNaN: true }),
      (i, u, v) => {
        const poly = defaultZoneMap.zones[i]!.polygon;
        return Math.abs(uvDistanceToPolygon({ u, v }, poly) - modelDistance({ u, v }, poly)) < 1e-12;
      },
    ),
    { numRuns: 3000 },
  );
});

test("a point the classifier keeps out for a zone lies within that zone's margin by uvDistanceToPolygon (property)", () => {
  const eye = defaultZoneMap.zones.find((z) => z.id === "eye-left")!;
  const margin = eye.kind === "keep-out" ? eye.marginMm : 0;
  fc.assert(
    fc.property(
      fc.double({ min: 0.25, max: 0.45, noNaN: true }),
      fc.double({ min: 0.28, max: 0.48, noNaN: true }),
      (u, v) => {
        const c = at(u, v);
        const mm = uvDistanceToPolygon({ u, v }, eye.polygon) * defaultZoneMap.mmPerUv;
        if (c.kind === "keep-out" && c.zone === "eye-left") return Math.abs(c.distanceMm - mm) < 1e-9;
        return mm > margin;
      },
    ),
    { numRuns: 3000 },
  );
});

test("every point below the jaw within 40 mm of the midline is kept out (property)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -40, max: 40, noNaN: true }),
      fc.double({ min: 0.96, max: 1.5, noNaN: true }),
      (mm, v) => {
        const c = at(0.5 + mm * MM, v);
        return c.kind === "keep-out" && c.zone === "neck-front";
      },
    ),
    { numRuns: 2000 },
  );
});

test("no treatment zone overlaps a keep-out zone or its margin (property over the face box)", () => {
  fc.assert(
    fc.property(
      fc.double({ min: -0.2, max: 1.2, noNaN: true }),
      fc.double({ min: 0, max: 1.5, noNaN: true }),
      (u, v) => {
        const c = at(u, v);
        if (c.kind !== "treatment") return true;
        // A treatment answer means no keep-out polygon is within its margin: check the eye margin directly.
        const nearEye = [
          ...lidContour(["rightEyeUpper0", "rightEyeLower0", "leftEyeUpper0", "leftEyeLower0"]),
        ]
          .some(([pu, pv]) => Math.hypot(pu - u, pv - v) < 10 * MM);
        return !nearEye;
      },
    ),
    { numRuns: 5000 },
  );
});

test("validateZoneMap names the bad field", () => {
  assert.throws(
    () => validateZoneMap({ mmPerUv: 209, outline: { face: [], neck: [] }, zones: [] }),
    /zones must be a non-empty array/,
  );
  const bad = structuredClone(defaultZoneMap) as unknown as { zones: Record<string, unknown>[] };
  bad.zones[0]!.kind = "maybe";
  assert.throws(
    () => validateZoneMap(bad),
    /zones\[0\]\.kind must be "treatment" or "keep-out", got "maybe"/,
  );
  const neg = structuredClone(defaultZoneMap) as unknown as { zones: Record<string, unknown>[] };
  neg.zones[5]!.levelUa = -3;
  assert.throws(() => validateZoneMap(neg), /zones\[5\]\.levelUa must be a positive number, got -3/);
});

test.run();
