/** Live coaching's pure part: minutes:seconds, what is left of the routine, and which cue a frame calls for. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Guidance } from "../../core/engine/types.ts";
import { cueText, deriveCue, formatMinSec, routineLeft } from "../../kiosk/ui/coach.ts";

test("formatMinSec: plain minutes:seconds, rounded up, never negative", () => {
  const table: [number, string][] = [
    [0, "0:00"],
    [0.2, "0:01"],
    [4, "0:04"],
    [4.01, "0:05"],
    [59.5, "1:00"],
    [60, "1:00"],
    [61, "1:01"],
    [750, "12:30"],
    [1200, "20:00"],
    [-3, "0:00"],
  ];
  for (const [s, want] of table) assert.is(formatMinSec(s), want, String(s));
  for (const bad of [NaN, Infinity]) {
    assert.throws(() => formatMinSec(bad), (e: unknown) => e instanceof RangeError);
  }
});

const g = (over: Partial<Guidance> = {}): Guidance => ({
  stepIndex: 0,
  stepCount: 4,
  stepId: "forehead-lift",
  targetZone: "forehead",
  stroke: { from: { u: 0.5, v: 0.3 }, to: { u: 0.5, v: 0.15 } },
  strokeProgress: 0,
  holdRemainingS: 0,
  passesDone: 0,
  passes: 3,
  ...over,
});

test("routineLeft: passes on this step and steps after it, in English and Spanish", () => {
  const table: [Partial<Guidance>, string, string][] = [
    [
      {},
      "3 passes on this step, then 3 more steps",
      "3 pasadas en este paso, después 3 pasos más",
    ],
    [
      { passesDone: 2, stepIndex: 2 },
      "1 pass on this step, then 1 more step",
      "1 pasada en este paso, después 1 paso más",
    ],
    [
      { passesDone: 3, stepIndex: 3 },
      "0 passes on this step, last step",
      "0 pasadas en este paso, último paso",
    ],
    [
      { passesDone: 5, stepIndex: 9 },
      "0 passes on this step, last step",
      "0 pasadas en este paso, último paso",
    ],
  ];
  for (const [over, en, es] of table) {
    assert.is(routineLeft(g(over), "en"), en, JSON.stringify(over));
    assert.is(routineLeft(g(over), "es"), es, JSON.stringify(over));
  }
});

test("deriveCue: a move at each new step and pass, a hold when a hold starts, else nothing", () => {
  const cheek = { stepIndex: 1, stepId: "cheek-l", targetZone: "cheek-left" };
  const table: [string, Guidance | null, Guidance | null, ReturnType<typeof deriveCue>][] = [
    ["no routine", null, null, null],
    ["routine ended", g(), null, null],
    ["first frame", null, g(), { kind: "move", glide: "up", zone: "forehead" }],
    ["same frame again", g(), g({ strokeProgress: 0.4 }), null],
    [
      "new step, outward",
      g(),
      g({ ...cheek, stroke: { from: { u: 0.4, v: 0.6 }, to: { u: 0.2, v: 0.55 } } }),
      { kind: "move", glide: "outward", zone: "cheek-left" },
    ],
    [
      "new step, inward",
      g(),
      g({ ...cheek, stroke: { from: { u: 0.8, v: 0.6 }, to: { u: 0.6, v: 0.58 } } }),
      { kind: "move", glide: "inward", zone: "cheek-left" },
    ],
    [
      "new step, down",
      g(),
      g({ ...cheek, stroke: { from: { u: 0.5, v: 0.96 }, to: { u: 0.5, v: 1.08 } } }),
      { kind: "move", glide: "down", zone: "cheek-left" },
    ],
    ["hold starts", g({ strokeProgress: 1 }), g({ strokeProgress: 1, holdRemainingS: 3 }), { kind: "hold" }],
    ["hold counts down", g({ holdRemainingS: 3 }), g({ holdRemainingS: 2.9 }), null],
    ["hold ends, next pass", g({ holdRemainingS: 0.1 }), g({ passesDone: 1 }), {
      kind: "move",
      glide: "up",
      zone: "forehead",
    }],
    ["last pass done", g({ passesDone: 2 }), g({ passesDone: 3 }), null],
  ];
  for (const [name, prev, next, want] of table) assert.equal(deriveCue(prev, next), want, name);
});

test("cueText: the glide and the area as the person names it (cheek-left is their right cheek), in each language", () => {
  const table: [Parameters<typeof cueText>[0], string, string][] = [
    [{ kind: "move", glide: "up", zone: "forehead" }, "Glide up: forehead", "Deslice hacia arriba: frente"],
    [
      { kind: "move", glide: "outward", zone: "cheek-left" },
      "Glide outward: right cheek",
      "Deslice hacia fuera: mejilla derecha",
    ],
    [
      { kind: "move", glide: "down", zone: "neck-right" },
      "Glide down: left side of the neck",
      "Deslice hacia abajo: lado izquierdo del cuello",
    ],
    [
      { kind: "move", glide: "inward", zone: "vendor-zone-x" },
      "Glide inward: vendor zone x",
      "Deslice hacia dentro: vendor zone x",
    ],
    [{ kind: "hold" }, "Hold", "Mantenga"],
  ];
  for (const [cue, en, es] of table) {
    assert.is(cueText(cue, "en"), en);
    assert.is(cueText(cue, "es"), es);
  }
});

test.run();
