/** Mirror overlay and prompts (pure): zones on the live mesh, keep-outs only when near, arrow, hold ring, messages. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createFaceMapper } from "../../core/geometry/mod.ts";
import { defaultZoneMap, uvDistanceToPolygon } from "../../core/zones/mod.ts";
import { buildOverlay, mirrorPrompts } from "../../kiosk/ui/mirror/mod.ts";
import { MORE_GEL_OHM } from "../../kiosk/ui/calibration.ts";
import { engineFrame, engineGuidance } from "../core/_engine_helpers.ts";

const faceUv = JSON.parse(await Deno.readTextFile(new URL("../../models/face_uv.json", import.meta.url)));
const map = createFaceMapper(faceUv).frame(
  (faceUv.uv as [number, number][]).map(([u, v]) => ({ x: u * 500, y: v * 500 })),
);

const frame = engineFrame;

const guidance = engineGuidance({
  stepCount: 3,
  stepId: "cheek-left",
  stroke: { from: { u: 0.36, v: 0.55 }, to: { u: 0.12, v: 0.47 } },
  strokeProgress: 0.5,
  holdRemainingS: 1.5,
  passes: 6,
});

test("treatment zones are projected onto the live mesh, the target zone marked", () => {
  const shapes = buildOverlay({
    map,
    frame: frame({ guidance }),
    zones: defaultZoneMap,
    tips: [],
    probeUv: [],
    holdTotalS: 3,
  });
  const target = shapes.zones.find((z) => z.role === "target")!;
  assert.is(target.id, "cheek-left");
  // an affine mesh (500 px per UV unit) maps polygon vertices to 500 × their UV
  const [u0, v0] = defaultZoneMap.zones.find((z) => z.id === "cheek-left")!.polygon[0]!;
  assert.ok(Math.abs(target.path[0]![0] - u0 * 500) < 1e-6 && Math.abs(target.path[0]![1] - v0 * 500) < 1e-6);
  assert.ok(shapes.zones.every((z) => z.kind === "treatment"), "keep-outs hidden while no probe is near");
  assert.ok(shapes.arrow && shapes.arrow.progress === 0.5 && shapes.arrow.path.length > 2);
  assert.equal(shapes.hold?.fraction, 0.5);
  assert.ok(Math.abs(shapes.hold!.at[0] - 60) < 1e-6 && Math.abs(shapes.hold!.at[1] - 235) < 1e-6);
});

test("a keep-out zone appears when a probe comes within its margin plus 15 mm, not before", () => {
  const eye = defaultZoneMap.zones.find((z) => z.id === "eye-left")!;
  const reach = (eye.kind === "keep-out" ? eye.marginMm + 15 : 0) / defaultZoneMap.mmPerUv;
  const near = { u: 0.343, v: 0.378 - 0.05 }; // above the eye
  const dist = uvDistanceToPolygon(near, eye.polygon);
  assert.ok(dist > 0 && dist < reach, `distance ${dist}`);
  const base = { map, frame: frame(), zones: defaultZoneMap, tips: [], holdTotalS: 0 };
  const shown = buildOverlay({ ...base, probeUv: [near] }).zones.filter((z) => z.role === "near").map((z) =>
    z.id
  );
  assert.equal(shown, ["eye-left"]);
  const far = buildOverlay({ ...base, probeUv: [{ u: 0.5, v: 0.9 }] }).zones.filter((z) => z.role === "near");
  assert.ok(!far.some((z) => z.id.startsWith("eye")));
});

test("probe dots turn 'blocked' while the engine holds a keep-out", () => {
  const shapes = buildOverlay({
    map: null,
    frame: frame({ limit: "keep-out:eye-left", zone: "eye-left" }),
    zones: defaultZoneMap,
    tips: [{ x: 10, y: 20 }],
    probeUv: [],
    holdTotalS: 0,
  });
  assert.equal(shapes.dots, [{ at: [10, 20], state: "blocked" }]);
  assert.equal(shapes.zones, []);
});

test("prompts: a missing model and a denied camera block and say output stays off", () => {
  const model = mirrorPrompts({
    modelError: 'Model file "facemesh/facemesh.bin" is missing',
    notice: null,
    frame: null,
  });
  assert.is(model.length, 1);
  assert.match(model[0]!.text, /facemesh\.bin" is missing.*Output stays off/);
  const camera = mirrorPrompts({ cameraError: "Camera access was denied.", notice: null, frame: null });
  assert.match(camera[0]!.text, /denied.*Output stays off/);
  assert.is(camera[0]!.level, "error");
});

test("prompts: keep-out first, then no face / no probe / two faces", () => {
  const p = mirrorPrompts({ notice: "two-faces", frame: frame({ limit: "keep-out:eye-left" }), lang: "en" });
  assert.equal(p.map((x) => x.level), ["error", "warn"]);
  assert.is(p[0]!.text, "Lift away from the eyes — output is off.");
  assert.match(p[1]!.text, /Two faces.*largest/);
  assert.match(mirrorPrompts({ notice: "no-face", frame: null })[0]!.text, /No face/);
  assert.match(mirrorPrompts({ notice: "no-probe", frame: null })[0]!.text, /Probe not seen/);
  assert.equal(mirrorPrompts({ notice: null, frame: frame({ currentUa: 100, limit: "zone" }) }), []);
});

test("prompts: poor contact asks for more gel (above MORE_GEL_OHM), in the page's language", () => {
  const at = (impedanceOhm: number | null, on = true) =>
    mirrorPrompts({
      notice: null,
      frame: frame({ limit: "zone" }),
      contact: { on, impedanceOhm },
      lang: "en",
    });
  assert.equal(at(4200), [], "gelled contact");
  assert.equal(at(MORE_GEL_OHM), [], "at the threshold");
  assert.equal(at(MORE_GEL_OHM + 1).map((p) => p.text), [
    "Add a little more gel — the probes are not touching the skin well.",
  ]);
  assert.equal(at(40_000, false), [], "no contact at all is not a gel problem");
  assert.equal(at(null), [], "no impedance reported");
  const es = mirrorPrompts({
    notice: "no-face",
    frame: frame({ limit: "keep-out:neck-front" }),
    contact: { on: true, impedanceOhm: 30_000 },
    lang: "es",
  });
  assert.equal(es.map((p) => p.text), [
    "Aléjese de la parte delantera del cuello — salida apagada.",
    "No se ve ninguna cara — mire al espejo.",
    "Ponga un poco más de gel — las sondas no tocan bien la piel.",
  ]);
});

test.run();
