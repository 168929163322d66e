import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, type EngineFrame, parseEvent } from "../../core/engine/mod.ts";
import { createEventLog, createRecorder } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { replay } from "../../tools/replay.ts";
import { CHEEK, EYE, fakeRunner, routines } from "./_fixtures.ts";

function setup() {
  const dir = Deno.makeTempDirSync({ prefix: "gp-log-" });
  const store = openStore(dir);
  const { runner, clock } = fakeRunner();
  let ids = 0;
  const recorder = createRecorder(store, { newId: () => `sess-${++ids}` });
  const log = createEventLog(`${dir}/sessions`, {
    sessionId: () => recorder.sessionId,
    onError: (e) => {
      throw e;
    },
  });
  runner.observe(recorder);
  runner.observe(log);
  const frames: EngineFrame[] = [];
  runner.observe({ frame: (f) => void frames.push(f) });
  runner.start();
  return { dir, runner, clock, log, frames };
}

/** A session with contact from the device, glides on the cheek, an eye touch, comfort change and end. */
function session(runner: ReturnType<typeof setup>["runner"], clock: ReturnType<typeof setup>["clock"]) {
  runner.submit({ type: "contact", on: true, impedanceOhm: 4100 }, "device");
  clock.advance(100);
  runner.submit({ type: "start", routine: "free", comfort: 8, screening: {} });
  for (let i = 0; i < 60; i++) {
    runner.submit({ type: "probe", points: [i === 30 ? EYE : CHEEK], confidence: 0.95 });
    if (i === 40) runner.submit({ type: "comfort", level: 4 });
    clock.advance(40);
  }
  runner.submit({ type: "end" });
  clock.advance(1200);
}

test("a session's event log holds every event, relative to the start, with the prior contact state first", () => {
  const { dir, runner, clock } = setup();
  session(runner, clock);
  const lines = Deno.readTextFileSync(`${dir}/sessions/sess-1.jsonl`).trim().split("\n");
  const events = lines.map((l, i) => parseEvent(JSON.parse(l), `line ${i + 1}: `));
  assert.equal(events.slice(0, 2).map((e) => e.type), ["contact", "start"]);
  assert.is(events[0]!.t, 0);
  assert.ok(events[1]!.t > 0 && events[1]!.t < 1, `start at ${events[1]!.t}`);
  assert.is(events.filter((e) => e.type === "probe").length, 60);
  assert.is(events[events.length - 1]!.type, "end");
  assert.ok(events.every((e, i) => i === 0 || e.t >= events[i - 1]!.t), "times never go back");
});

/** Replays an event log's text through a fresh engine, as tools/replay.ts does: its frames by time. */
async function replayLog(text: string): Promise<Map<number, EngineFrame>> {
  const replayed = new Map<number, EngineFrame>();
  await replay(
    (async function* () {
      yield text;
    })(),
    (line) => {
      const f = JSON.parse(line) as EngineFrame;
      replayed.set(f.t, f);
    },
    createEngine({ routines }),
  );
  return replayed;
}

/** Asserts that the log's replay gives the live frames (same zone, state, current, limit), from the start on. */
async function assertReplayMatches(text: string, frames: EngineFrame[]): Promise<EngineFrame[]> {
  const replayed = await replayLog(text);
  const startT = frames.find((f) => f.state !== "idle")!.t - 20; // the last frame before the start
  const live = frames.filter((f) => f.t > startT && f.state !== "idle");
  assert.ok(live.length > 20);
  let compared = 0;
  for (const f of live) {
    const r = replayed.get(f.t - startT);
    if (!r) continue;
    compared++;
    assert.is(r.zone, f.zone, `zone at ${f.t}`);
    assert.is(r.state, f.state, `state at ${f.t}`);
    assert.is(r.currentUa, f.currentUa, `current at ${f.t}`);
    assert.is(r.limit, f.limit, `limit at ${f.t}`);
  }
  assert.ok(compared > 20, `compared ${compared} frames`);
  return live;
}

test("replaying a session's event log reproduces its frames", async () => {
  const { dir, runner, clock, frames } = setup();
  session(runner, clock);
  const live = await assertReplayMatches(Deno.readTextFileSync(`${dir}/sessions/sess-1.jsonl`), frames);
  assert.ok(live.length > 50);
  assert.ok(live.some((f) => f.limit.startsWith("keep-out")), "the eye touch is in the log");
});

test("a new session starts a new log and the previous one is complete", () => {
  const { dir, runner, clock, log } = setup();
  session(runner, clock);
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} });
  clock.advance(100);
  assert.match(log.path ?? "", /sess-2\.jsonl$/);
  log.close();
  const first = Deno.readTextFileSync(`${dir}/sessions/sess-1.jsonl`).trim().split("\n");
  assert.is(JSON.parse(first[first.length - 1]!).type, "end");
  assert.match(Deno.readTextFileSync(`${dir}/sessions/sess-2.jsonl`), /"type":"start"/);
});

test("a probe seen just before the start is logged, so the replay starts with the same tracking state", async () => {
  const { dir, runner, clock, frames } = setup();
  runner.submit({ type: "contact", on: true, impedanceOhm: 4100 }, "device");
  clock.advance(200);
  const probe = runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
  clock.advance(60);
  runner.submit({ type: "start", routine: "free", comfort: 8, screening: {} });
  // No more observations: tracking goes stale 150 ms after that probe, live and in the replay.
  clock.advance(400);
  runner.submit({ type: "end" });
  clock.advance(1200);
  const text = Deno.readTextFileSync(`${dir}/sessions/sess-1.jsonl`);
  const events = text.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(events.slice(0, 3).map((e) => e.type), ["contact", "probe", "start"]);
  const t0 = probe.t - events[1].t;
  const replayed = await replayLog(text);
  const live = frames.filter((f) => f.t > t0 && f.state !== "idle" && f.state !== "ended");
  assert.ok(live.length >= 15);
  assert.ok(live.some((f) => f.limit === "stale-tracking"), "live tracking went stale");
  for (const f of live) {
    const r = replayed.get(f.t - t0);
    assert.ok(r, `replay has a frame at ${f.t - t0}`);
    assert.is(r!.limit, f.limit, `limit at ${f.t - t0}`);
    assert.is(r!.state, f.state, `state at ${f.t - t0}`);
  }
});

test("a session started under a latched estop is logged under it: its replay stays at 0 as the live session did", async () => {
  const { dir, runner, clock, frames } = setup();
  runner.submit({ type: "contact", on: true, impedanceOhm: 4100 }, "device");
  runner.submit({ type: "estop" });
  clock.advance(100);
  runner.submit({ type: "start", routine: "free", comfort: 8, screening: {} });
  for (let i = 0; i < 40; i++) {
    runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
    clock.advance(40);
  }
  runner.submit({ type: "end" });
  clock.advance(1200);
  const text = Deno.readTextFileSync(`${dir}/sessions/sess-1.jsonl`);
  const replayed: EngineFrame[] = [];
  await replay(
    (async function* () {
      yield text;
    })(),
    (line) => void replayed.push(JSON.parse(line) as EngineFrame),
    createEngine({ routines }),
  );
  assert.ok(frames.every((f) => f.currentUa === 0), "live: 0 under the latch");
  assert.ok(replayed.length > 50, `${replayed.length} replayed frames`);
  assert.ok(
    replayed.every((f) => f.currentUa === 0 && f.limit === "estop"),
    `replay: ${JSON.stringify(replayed.find((f) => f.currentUa > 0 || f.limit !== "estop"))}`,
  );
});

test("a write cut short by a full disk (real ENOSPC on a tiny tmpfs) leaves no torn line: the rest is written first when there is room", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gp-log-full-" });
  const child = new URL("./_event_log_full_disk.ts", import.meta.url).pathname;
  for (const room of [37, 300]) {
    const out = await new Deno.Command("unshare", {
      args: [
        "-rm",
        "sh",
        "-c",
        'mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" run -A "$3" "$1" "$4"',
        "sh",
        dir,
        Deno.execPath(),
        child,
        String(room),
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.is(out.code, 0, new TextDecoder().decode(out.stderr));
    const { failures, text } = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      failures: number;
      text: string;
    };
    assert.ok(failures > 0, "the disk really filled up");
    const lines = text.trimEnd().split("\n");
    const events = lines.map((l, i) => parseEvent(JSON.parse(l), `line ${i + 1}: `));
    assert.is(events[0]!.type, "start");
    assert.is(events.at(-1)!.type, "estop", "the stop after the outage is in the log, whole");
    assert.ok(events.every((e, i) => i === 0 || e.t >= events[i - 1]!.t), "in order");
    assert.is(events.filter((e) => e.type === "probe").length, 100, `room ${room}: no probe line lost`);
  }
});

test("estops pressed again while one is latched are left out of the log: the replay is the same", async () => {
  const { dir, runner, clock, frames } = setup();
  runner.submit({ type: "contact", on: true, impedanceOhm: 4100 }, "device");
  clock.advance(100);
  runner.submit({ type: "start", routine: "free", comfort: 8, screening: {} });
  for (let i = 0; i < 20; i++) {
    runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
    if (i >= 10) runner.submit({ type: "estop" });
    clock.advance(40);
  }
  runner.submit({ type: "end" });
  clock.advance(1200);
  const text = Deno.readTextFileSync(`${dir}/sessions/sess-1.jsonl`);
  assert.is(
    text.split("\n").filter((l) => l.includes('"estop"')).length,
    1,
    "one estop line for ten presses",
  );
  await assertReplayMatches(text, frames);
});

test.run();
