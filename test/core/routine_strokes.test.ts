/** Routines that finish (issue 9.8): a stroke path that crosses a keep-out, leaves its zone or grazes either is refused at load. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Routine, validateRoutine } from "../../core/routines/mod.ts";
import { defaultZoneMap, validateZoneMap, type Zone } from "../../core/zones/mod.ts";
import { parseRoutineFile } from "../../kiosk/routines/mod.ts";

const treatment = (id: string, polygon: [number, number][]): Zone => ({
  id,
  kind: "treatment",
  levelUa: 40, // the lowest level, so these zones win where they overlap the shipped ones
  freqHz: 3,
  polygon,
});

/**
 * The shipped map plus zones wide enough that both ends of a stroke can lie in one zone while its middle
 * crosses a keep-out or leaves the zone: the shipped zones are shaped so that no such stroke exists there.
 */
const wideMap = validateZoneMap({
  ...defaultZoneMap,
  zones: [
    ...defaultZoneMap.zones,
    treatment("over-eyes", [[0.25, 0.25], [0.75, 0.25], [0.75, 0.5], [0.25, 0.5]]),
    treatment("neck-band", [[0.22, 1.0], [0.78, 1.0], [0.78, 1.3], [0.22, 1.3]]),
    treatment("u-shape", [
      [0.2, 0.5],
      [0.3, 0.5],
      [0.3, 0.6],
      [0.7, 0.6],
      [0.7, 0.5],
      [0.8, 0.5],
      [0.8, 0.7],
      [
        0.2,
        0.7,
      ],
    ]),
  ],
});

function routine(zone: string, from: [number, number], to: [number, number]): unknown {
  const step = (id: string, z: string, f: [number, number], t: [number, number]) => ({
    id,
    zone: z,
    stroke: { from: { u: f[0], v: f[1] }, to: { u: t[0], v: t[1] } },
    passes: 2,
    holdS: 2,
    freqHz: 1,
    levelUa: 100,
  });
  return {
    id: "bad-stroke",
    name: "Bad stroke",
    description: "A forehead step that is fine, then the step under test.",
    steps: [step("forehead-ok", "forehead", [0.36, 0.22], [0.36, 0.15]), step("under-test", zone, from, to)],
  };
}

test("a stroke whose ends are in its zone but whose path crosses the eye keep-out is refused, naming the step", () => {
  assert.throws(
    () => validateRoutine(routine("over-eyes", [0.34, 0.27], [0.34, 0.49]), wideMap),
    (e: Error) =>
      e instanceof RangeError &&
      e.message ===
        `routine "bad-stroke" step 1 (under-test): the stroke from (0.34,0.27) to (0.34,0.49) enters keep-out ` +
          `"eye-left" (its margin) at (0.34,0.299)`,
  );
});

test("a stroke across the throat is refused where it enters the neck-front keep-out", () => {
  assert.throws(
    () => validateRoutine(routine("neck-band", [0.25, 1.1], [0.75, 1.1]), wideMap),
    /routine "bad-stroke" step 1 \(under-test\): the stroke from \(0\.25,1\.1\) to \(0\.75,1\.1\) enters keep-out "neck-front" \(its margin\) at \(0\.3,1\.1\)/,
  );
});

test("a stroke that leaves its own zone part-way (output would be 0 there) is refused", () => {
  assert.throws(
    () => validateRoutine(routine("u-shape", [0.25, 0.53], [0.75, 0.53]), wideMap),
    /step 1 \(under-test\): the stroke from \(0\.25,0\.53\) to \(0\.75,0\.53\) leaves zone "u-shape" for zone "cheek-left" at \(0\.3,0\.53\)/,
  );
});

test("a jawline stroke that dips into the neck zone below the jaw (the lower neck level wins there) is refused", () => {
  assert.throws(
    () => validateRoutine(routine("jawline-left", [0.15, 0.815], [0.3, 0.87]), defaultZoneMap),
    /step 1 \(under-test\): the stroke from \(0\.15,0\.815\) to \(0\.3,0\.87\) leaves zone "jawline-left" for zone "neck-left" at \(0\.201,0\.834\)/,
  );
});

test("a stroke that grazes a keep-out margin or its zone's edge is refused: tracking jitter would stall it", () => {
  // The old express-lift brow stroke started 0.9 mm below the eye margin.
  assert.throws(
    () => validateRoutine(routine("brow-left", [0.33, 0.295], [0.33, 0.24]), defaultZoneMap),
    /step 1 \(under-test\): .* passes 0\.9 mm from the 12 mm margin of keep-out "eye-left" \(strokes keep 2 mm clear\) at \(0\.33,0\.295\)/,
  );
  assert.throws(
    () => validateRoutine(routine("jawline-left", [0.385, 0.85], [0.2, 0.68]), defaultZoneMap),
    /passes 1\.9 mm from the edge of zone "jawline-left" \(strokes keep 2 mm inside\) at \(0\.385,0\.85\)/,
  );
});

test("the shipped routines load under the stroke rule; the brow stroke as it shipped before would not", async () => {
  const text = await Deno.readTextFile("plugins/routines-core/routines.json");
  const shipped: Routine[] = parseRoutineFile(text, "routines.json");
  assert.is(shipped.length, 3);
  // The rule has teeth on the shipped data: the brow stroke as it shipped before this change is refused.
  const doc = JSON.parse(text);
  doc.routines[0].steps[2].stroke.from.v = 0.295;
  assert.throws(() => parseRoutineFile(JSON.stringify(doc), "routines.json"), /step 2 \(brow-left\)/);
});

test("the check is at load: a routine file with one bad stroke loads no routine at all", () => {
  const file = JSON.stringify({ routines: [routine("over-eyes", [0.34, 0.27], [0.34, 0.49])] });
  assert.throws(
    () => parseRoutineFile(file, "mine.json", { zoneMap: wideMap }),
    (e: Error) =>
      e instanceof RangeError &&
      e.message.startsWith(`mine.json routines[0] "bad-stroke" step 1 (under-test):`),
  );
});

test.run();
