/** FieldError / FieldRangeError: validation errors carry the bad field as data, the message as before. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  createEngine,
  type EngineEvent,
  errorField,
  FieldError,
  FieldRangeError,
  parseEvent,
} from "../../core/engine/mod.ts";

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.unreachable("should have thrown");
}

/** [input, where, field, message] — the message is the one replay prints after "replay: ". */
const PARSE: [unknown, string, string, string][] = [
  [{ t: 0, type: "warp" }, "line 4: ", "type", 'line 4: field "type" must be one of '],
  [{ t: -1, type: "end" }, "", "t", 'field "t" must be between 0 and 86400000, got -1'],
  [
    { t: 1, type: "probe", points: [{ u: 0.1, v: "x" }], confidence: 1 },
    "line 3: ",
    "points[0].v",
    'line 3: field "points[0].v" must be a finite number, got "x"',
  ],
  [
    { t: 1, type: "start", routine: "free", comfort: 5, screening: { pregnancy: "no" } },
    "",
    "screening.pregnancy",
    'field "screening.pregnancy" must be true or false, got "no"',
  ],
  [{ t: 1, type: "contact" }, "", "on", 'field "on" must be true or false, got undefined'],
  // A field name with a quote in it: no pattern over the text could be trusted to read it back.
  [{ t: 1, type: "end", 'a" b': 1 }, "", 'a" b', 'field "a" b" is not a field of a "end" event'],
];

for (const [input, where, field, message] of PARSE) {
  test(`parseEvent(${JSON.stringify(input)}) throws a FieldError with field ${JSON.stringify(field)}`, () => {
    const error = caught(() => parseEvent(input, where));
    assert.instance(error, FieldError);
    assert.instance(error, TypeError, "still a TypeError for callers that catch bad input");
    assert.is((error as FieldError).field, field);
    assert.is(errorField(error), field);
    assert.ok((error as Error).message.startsWith(message), (error as Error).message);
  });
}

test("a non-object event is a plain TypeError that names no field", () => {
  const error = caught(() => parseEvent("hello", "line 1: "));
  assert.instance(error, TypeError);
  assert.is(errorField(error), undefined);
  assert.is((error as Error).message, 'line 1: event must be a JSON object, got "hello"');
});

test("the engine's refusals are FieldRangeErrors naming routine, type and t", () => {
  const engine = createEngine();
  const start = { t: 0, type: "start", routine: "free", comfort: 5, screening: {} } as EngineEvent;
  const unknown = caught(() => engine.apply({ ...start, routine: "nope" } as EngineEvent));
  assert.instance(unknown, FieldRangeError);
  assert.instance(unknown, RangeError);
  assert.is(errorField(unknown), "routine");
  engine.apply(start);
  assert.is(errorField(caught(() => engine.apply({ ...start, t: 10 }))), "type");
  engine.apply({ t: 100, type: "estop" });
  const back = caught(() => engine.apply({ t: 50, type: "reset" }));
  assert.is(errorField(back), "t");
  assert.match((back as Error).message, /^field "t" must not go back in time: 50 after 100$/);
});

test("errorField reads only the two field errors, never the text of others", () => {
  assert.is(errorField(new TypeError('field "x" is bad')), undefined);
  assert.is(errorField('field "x"'), undefined);
  assert.is(errorField(new FieldError("y", "anything")), "y");
  assert.is(errorField(new FieldRangeError("z", "anything")), "z");
});

test.run();
