import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { FieldError } from "../../core/engine/mod.ts";
import { parsePageMessage } from "../../kiosk/server/mod.ts";

/** Every contraindication answered "no", as JSON text. */
const NO =
  '{"implantedElectronicDevice":false,"pacemaker":false,"pregnancy":false,"epilepsy":false,"activeCancer":false,"under18":false,"brokenSkinOrRecentSurgeryOrFiller":false,"metalImplantsInFace":false}';

const bad: [string, string][] = [
  ["{not json", "json"],
  ["[1,2]", "json"],
  ['"probe"', "json"],
  ['{"type":"warp"}', "type"],
  ['{"points":[]}', "type"],
  ['{"type":"contact","on":true}', "type"],
  ['{"type":"fault","source":"x","reason":"y"}', "type"],
  ['{"type":"probe","points":[{"u":"a","v":0.5}],"confidence":0.9}', "points[0].u"],
  ['{"type":"probe","points":[{"u":0.3}],"confidence":0.9}', "points[0].v"],
  ['{"type":"probe","points":{},"confidence":0.9}', "points"],
  ['{"type":"probe","points":[],"confidence":1.5}', "confidence"],
  ['{"type":"probe","points":[],"confidence":0.9,"capturedAt":"now"}', "capturedAt"],
  ['{"type":"comfort","level":11}', "level"],
  ['{"type":"probe","points":[],"confidence":0.9,"source":"video"}', "source"],
  ['{"type":"comfort","level":3,"source":"camera"}', "source"],
  [`{"type":"start","routine":"free","comfort":5,"screening":${NO},"consent":false}`, "consent"],
  [
    `{"type":"start","routine":"free","comfort":5,"screening":${
      NO.replace('"pregnancy":false', '"pregnancy":"no"')
    },"consent":true}`,
    "screening.pregnancy",
  ],
  [`{"type":"start","routine":"","comfort":5,"screening":${NO},"consent":true}`, "routine"],
  [
    '{"type":"start","routine":"free","comfort":5,"screening":{},"consent":true}',
    "screening.implantedElectronicDevice",
  ],
  [
    `{"type":"start","routine":"free","comfort":5,"screening":${
      NO.replace(',"epilepsy":false', "")
    },"consent":true}`,
    "screening.epilepsy",
  ],
  ['{"type":"reset","by":42}', "by"],
  // The field travels on the error: a name with a quote in it comes back whole.
  ['{"type":"comfort","level":5,"a\\" b":1}', 'a" b'],
  [
    '{"type":"start","routine":"free","comfort":5,"screening":{"bad key!":false},"consent":true}',
    "screening",
  ],
];

for (const [text, field] of bad) {
  test(`page message ${text.slice(0, 60)} is refused naming "${field}"`, () => {
    try {
      parsePageMessage(text);
      assert.unreachable("should have thrown");
    } catch (error) {
      assert.instance(error, FieldError);
      assert.is((error as FieldError).field, field);
    }
  });
}

test("the page's own t is ignored and an unknown extra field is refused by name", () => {
  const r = parsePageMessage(
    '{"type":"probe","t":5,"points":[{"u":0.3,"v":0.5}],"confidence":0.9,"capturedAt":12}',
  );
  assert.equal(r.event, { type: "probe", points: [{ u: 0.3, v: 0.5 }], confidence: 0.9 });
  assert.is(r.capturedAt, 12);
  try {
    parsePageMessage('{"type":"probe","points":[{"u":0.3,"v":0.5}],"confidence":0.9,"zap":1}');
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, FieldError);
    assert.is((error as FieldError).field, "zap");
  }
});

test("a start carries consent and the operator name separately from the engine event", () => {
  const r = parsePageMessage(
    `{"type":"start","routine":"free","comfort":4,"screening":${NO},"consent":true,"by":"Ana"}`,
  );
  assert.equal(r.event, { type: "start", routine: "free", comfort: 4, screening: JSON.parse(NO) });
  assert.equal(r.consent, { given: true, by: "Ana" });
});

test("an emergency stop goes through even with malformed extra fields", () => {
  assert.equal(parsePageMessage('{"type":"estop","by":42,"t":"x","points":"?"}').event, { type: "estop" });
});

test("an oversized message is refused before parsing", () => {
  assert.throws(
    () => parsePageMessage(" ".repeat(20_000)),
    (e: unknown) => (e as FieldError).field === "message",
  );
});

test("any input either parses to an allowed event or fails with a FieldError naming a field", () => {
  const allowed = new Set(["probe", "estop", "comfort", "start", "end", "reset", "pause", "resume"]);
  const arbitrary = fc.oneof(
    fc.string(),
    fc.json(),
    fc.record({
      type: fc.constantFrom("probe", "start", "comfort", "contact", "x"),
      points: fc.anything(),
      confidence: fc.anything(),
      level: fc.anything(),
    })
      .map((o) => JSON.stringify(o)),
  );
  fc.assert(
    fc.property(arbitrary, (text) => {
      try {
        const r = parsePageMessage(text);
        return allowed.has(r.event.type) && !("t" in r.event);
      } catch (error) {
        return error instanceof FieldError && error.field.length > 0;
      }
    }),
    { numRuns: 500 },
  );
});

test("a probe's source is kept beside the event, which the engine gets without it", () => {
  for (const source of ["camera", "demo"] as const) {
    const r = parsePageMessage(
      JSON.stringify({ type: "probe", points: [{ u: 0.3, v: 0.5 }], confidence: 0.9, source }),
    );
    assert.equal(r.event, { type: "probe", points: [{ u: 0.3, v: 0.5 }], confidence: 0.9 });
    assert.is(r.source, source);
  }
});

test.run();
