/** Routines as data: the shipped routines validate, and bad routine files are refused with the field named. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { estimateRoutineSeconds, validateRoutine } from "../../core/routines/mod.ts";
import { createZoneClassifier, defaultZoneMap } from "../../core/zones/mod.ts";
import { parseRoutineFile } from "../../kiosk/routines/mod.ts";

const text = await Deno.readTextFile("plugins/routines-core/routines.json");
const shipped = parseRoutineFile(text, "routines.json");
const express = () => structuredClone(JSON.parse(text).routines[0]);

test("the first-party file ships express-lift, jawline-neck and gentle-depuff", () => {
  assert.equal(shipped.map((r) => r.id), ["express-lift", "jawline-neck", "gentle-depuff"]);
});

test("express lift takes about 8 minutes at a 20 mm/s glide", () => {
  const seconds = estimateRoutineSeconds(shipped[0]!, defaultZoneMap.mmPerUv);
  assert.ok(seconds > 7 * 60 && seconds < 9 * 60, `${seconds} s`);
});

test("every stroke of every shipped routine stays inside its target zone", () => {
  const zones = createZoneClassifier(defaultZoneMap);
  for (const r of shipped) {
    for (const s of r.steps) {
      for (const p of [s.stroke.from, s.stroke.to]) {
        const c = zones.classify(p);
        assert.ok(c.kind === "treatment" && c.zone === s.zone, `${r.id}/${s.id}: ${JSON.stringify(c)}`);
      }
    }
  }
});

test("a stroke that ends in a keep-out zone is refused, naming the step and field", () => {
  const r = express();
  r.steps[2].stroke.to = { u: 0.343, v: 0.36 };
  assert.throws(
    () => validateRoutine(r, defaultZoneMap),
    /steps\[2\]: "stroke\.to" \(0\.343, 0\.36\) must lie in zone "brow-left", but it is keep-out "eye-left"/,
  );
});

test("a step that targets a keep-out zone, a level above 500 µA or a missing field is refused", () => {
  const keepOut = express();
  keepOut.steps[0].zone = "lips";
  assert.throws(
    () => validateRoutine(keepOut, defaultZoneMap),
    /"zone" must name a treatment zone, got "lips"/,
  );
  const loud = express();
  loud.steps[0].levelUa = 800;
  assert.throws(
    () => validateRoutine(loud, defaultZoneMap),
    /"levelUa" must be a number from 1 to 500, got 800/,
  );
  const noHold = express();
  delete noHold.steps[1].holdS;
  assert.throws(() => validateRoutine(noHold, defaultZoneMap), /steps\[1\]: "holdS" must be a number/);
  const free = express();
  free.id = "free";
  assert.throws(() => validateRoutine(free, defaultZoneMap), /"free" is built in/);
});

test("a routine file that is not JSON or repeats an id is refused with the file named", () => {
  assert.throws(() => parseRoutineFile("{", "mine.json"), /mine\.json: not valid JSON/);
  assert.throws(
    () => parseRoutineFile(JSON.stringify({ routines: [express(), express()] }), "mine.json"),
    /routine id "express-lift" appears twice/,
  );
  assert.throws(
    () => parseRoutineFile(JSON.stringify({ steps: [] }), "mine.json"),
    /"routines" must be an array/,
  );
});

test.run();
