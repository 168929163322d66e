/** `deno task replay`: the stable JSON Lines interface of DESIGN §4, run as a real subprocess. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";

async function replay(
  input: string,
  args: string[] = [],
): Promise<{ code: number; frames: Record<string, unknown>[]; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "tools/replay.ts", ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const text = new TextDecoder().decode(stdout);
  return {
    code,
    frames: text.split("\n").filter(Boolean).map((l) => JSON.parse(l)),
    stderr: new TextDecoder().decode(stderr),
  };
}

const lines = (...events: object[]) => events.map((e) => JSON.stringify(e)).join("\n") + "\n";
const START = { t: 0, type: "start", routine: "free", comfort: 10, screening: {} };

test("replay writes one frame per 20 ms from t = 0 with the documented fields", async () => {
  const { code, frames } = await replay(
    lines(START, { t: 40, type: "contact", on: true, impedanceOhm: 4200 }, {
      t: 40,
      type: "probe",
      points: [{ u: 0.277, v: 0.532 }],
      confidence: 0.95,
    }, { t: 100, type: "end" }),
  );
  assert.is(code, 0);
  assert.equal(frames.map((f) => f.t), [0, 20, 40, 60, 80, 100]);
  assert.equal(Object.keys(frames[2]!), ["t", "currentUa", "freqHz", "zone", "state", "limit"]);
  assert.equal(frames[2], {
    t: 40,
    currentUa: 2,
    freqHz: 3,
    zone: "cheek-left",
    state: "running",
    limit: "slew",
  });
  assert.is(frames.at(-1)!.state, "ended");
});

test("replay reads a FILE argument as well as stdin", async () => {
  const { code, frames } = await replay("", ["test/fixtures/replay/cheek_then_eye.jsonl"]);
  assert.is(code, 0);
  assert.is(frames.find((f) => f.t === 180)!.limit, "keep-out:eye-left");
  assert.is(frames.find((f) => f.t === 220)!.limit, "estop");
});

test("replay shows the estop latch surviving end and a new start: 0 with limit estop until reset, then Resume", async () => {
  const { code, frames } = await replay("", ["test/fixtures/replay/estop_end_start_reset.jsonl"]);
  assert.is(code, 0);
  const at = (t: number) => frames.find((f) => f.t === t)!;
  assert.ok((at(380).currentUa as number) > 0, "output flowed before the stop");
  const latched = frames.filter((f) => (f.t as number) >= 400 && (f.t as number) < 1200);
  assert.is(latched.length, 40);
  for (const f of latched) {
    assert.is(f.currentUa, 0, `current at ${f.t}`);
    assert.is(f.limit, "estop", `limit at ${f.t}`);
  }
  assert.equal([at(500).state, at(600).state, at(800).state], ["stopped", "ended", "stopped"]);
  for (const f of frames.filter((f) => (f.t as number) >= 1200 && (f.t as number) < 1400)) {
    assert.equal([f.currentUa, f.state, f.limit], [0, "paused", "paused"], `frame at ${f.t}`);
  }
  assert.equal([at(1400).currentUa, at(1400).state], [2, "running"], "output only after Resume, from 0");
});

test("replay honours a profile's exclusions and level ceiling: 0 µA with excluded:<zone>, comfort held to maxComfort", async () => {
  const { code, frames } = await replay("", ["test/fixtures/replay/profile_excluded_cheek.jsonl"]);
  assert.is(code, 0);
  const at = (t: number) => frames.find((f) => f.t === t)!;
  assert.equal([at(1400).currentUa, at(1400).limit], [100, "zone"], "250 µA × maxComfort 4 / 10");
  for (const f of frames.filter((f) => (f.t as number) >= 1440 && (f.t as number) < 1640)) {
    assert.equal([f.currentUa, f.limit, f.zone], [0, "excluded:cheek-left", "cheek-left"], `frame at ${f.t}`);
  }
  assert.is(at(1640).currentUa, 2, "back on the right cheek the ramp starts from 0");
  assert.ok(
    frames.every((f) => (f.currentUa as number) <= 100),
    "comfort 9 never lifts it above the ceiling",
  );
});

test("replay refuses an exclusion that is not a treatment zone, naming the line and the entry", async () => {
  const { code, stderr } = await replay(lines({ ...START, exclusions: ["chin", "eye-left"] }));
  assert.is(code, 2);
  assert.match(stderr, /line 1: field "exclusions\[1\]" names "eye-left", not a treatment zone/);
  const ceiling = await replay(lines({ ...START, maxComfort: 11 }));
  assert.match(ceiling.stderr, /line 1: field "maxComfort" must be between 1 and 10/);
});

test("after the input ends, frames continue for 1 s when the session has not ended", async () => {
  const { frames } = await replay(lines(START, { t: 100, type: "contact", on: true }));
  assert.is(frames.at(-1)!.t, 1100);
});

test("a malformed line stops the run with a non-zero exit naming the line and field, keeping earlier frames", async () => {
  const { code, frames, stderr } = await replay(
    lines(START, { t: 60, type: "contact", on: true }) +
      `{"t":80,"type":"probe","points":[{"u":0.2}],"confidence":0.9}\n`,
  );
  assert.is(code, 2);
  assert.match(stderr, /line 3: field "points\[0\]\.v" must be a finite number/);
  assert.equal(frames.map((f) => f.t), [0, 20, 40, 60]);
});

test("invalid JSON, an unknown routine and time going back are each named with their line", async () => {
  const bad = await replay(lines(START) + "{not json\n");
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /line 2: not valid JSON/);
  const routine = await replay(lines({ ...START, routine: "moonwalk" }));
  assert.match(routine.stderr, /line 1: field "routine" names an unknown routine "moonwalk"/);
  const back = await replay(lines(START, { t: 100, type: "estop" }, { t: 50, type: "reset" }));
  assert.match(back.stderr, /line 3: field "t" must not decrease \(50 after 100\)/);
});

test("replay output obeys the envelope for random inputs (slew, contact, keep-out)", async () => {
  const events = fc.sample(
    fc.array(
      fc.oneof(
        fc.record({
          dt: fc.integer({ min: 0, max: 60 }),
          type: fc.constant("probe"),
          points: fc.constantFrom([{ u: 0.277, v: 0.532 }], [{ u: 0.343, v: 0.36 }], []),
          confidence: fc.constant(0.9),
        }),
        fc.record({ dt: fc.integer({ min: 0, max: 60 }), type: fc.constant("contact"), on: fc.boolean() }),
      ),
      { minLength: 20, maxLength: 200 },
    ),
    { numRuns: 5, seed: 42 },
  );
  for (const draft of events) {
    let t = 0;
    const evs = [
      START,
      { t: 0, type: "contact", on: true },
      ...draft.map(({ dt, ...e }) => ({ ...e, t: t += dt })),
    ];
    const { code, frames } = await replay(lines(...evs));
    assert.is(code, 0);
    for (let i = 1; i < frames.length; i++) {
      const rise = (frames[i]!.currentUa as number) - (frames[i - 1]!.currentUa as number);
      assert.ok(rise <= 2 + 1e-9, `rise ${rise} at t=${frames[i]!.t}`);
      if (String(frames[i]!.limit).startsWith("keep-out")) assert.is(frames[i]!.currentUa, 0);
    }
  }
});

test.run();
