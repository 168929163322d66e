/** The recorder's session summaries: written at the end and every second (a crash keeps them), a failed write latches the fault and loses nothing. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { summaryView } from "../../core/session/mod.ts";
import { createZoneClassifier, defaultZoneMap } from "../../core/zones/mod.ts";
import { attachDemo, attachRecords, createRecorder } from "../../kiosk/session/mod.ts";
import { openStore, type Store } from "../../kiosk/store/mod.ts";
import { fakeRunner, routines, runningOnCheek } from "./_fixtures.ts";

function setup(wrap: (store: Store) => Store = (s) => s) {
  const dir = Deno.makeTempDirSync({ prefix: "gp-summary-" });
  const store = openStore(dir);
  const { runner, clock, errors } = fakeRunner();
  let ids = 0;
  const recorder = createRecorder(wrap(store), { newId: () => `sess-${++ids}`, onError: () => {} });
  runner.observe(recorder);
  runner.start();
  return { dir, store, runner, clock, errors, recorder };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

test("a demo session of a shipped routine leaves a summary: every step's passes, time per zone adding up to the record's, coverage on the zones", () => {
  const { store, runner, clock, errors } = setup();
  const routine = routines.find((r) => r.id === "gentle-depuff")!;
  const demo = attachDemo(runner, { glideMs: 2000, clock, onError: (e) => errors.push(e) });
  runner.submit({ type: "start", routine: routine.id, comfort: 5, screening: {} });
  for (let i = 0; i < 1000 && runner.lastFrame?.state !== "ended"; i++) clock.advance(1000);
  demo.dispose();
  const row = store.summary("sess-1")!;
  const s = row.summary!;
  assert.ok(s, row.summaryError ?? "a summary was written");
  assert.is(s.endReason, "ended");
  assert.is(s.completed, true);
  assert.equal(
    s.steps.map((x) => [x.id, x.passesDone]),
    routine.steps.map((x) => [x.id, x.passes]),
    "every step with all its passes",
  );
  assert.equal(Object.keys(s.zones).sort(), [...new Set(routine.steps.map((x) => x.zone))].sort());
  const zones = Object.keys(s.zones).length;
  assert.ok(
    Math.abs(s.stimulationMs - row.session.stimulationMs) <= zones,
    `summary ${s.stimulationMs} ms, record ${row.session.stimulationMs} ms`,
  );
  assert.ok(s.series.meanUa.length >= s.durationMs / 1000 - 1 && s.series.stepMs === 1000);
  // Every cell with time is where a treatment zone is: its centre, or a corner, lies in one.
  const zonesOf = createZoneClassifier(defaultZoneMap);
  const c = s.coverage;
  const [du, dv] = [(c.u1 - c.u0) / c.cols, (c.v1 - c.v0) / c.rows];
  c.ms.forEach((ms, i) => {
    if (ms === 0) return;
    const [u, v] = [c.u0 + (i % c.cols) * du, c.v0 + Math.floor(i / c.cols) * dv];
    const spots = [[0.5, 0.5], [0, 0], [1, 0], [0, 1], [1, 1]].map(([a, b]) =>
      zonesOf.classify({ u: u + a! * du, v: v + b! * dv })
    );
    assert.ok(
      spots.some((p) => p.kind === "treatment"),
      `cell ${i} (u ${u.toFixed(2)}, v ${v.toFixed(2)}) has ${ms} ms`,
    );
  });
  assert.ok(sum(c.ms) >= s.stimulationMs, "all output is on the map");
  assert.equal(errors, []);
});

test("the summary is written every second while the session runs, so a crash keeps it, with the crash as its end", () => {
  const { dir, store, runner, clock, recorder } = setup();
  runningOnCheek(runner, clock, 2500);
  const live = recorder.summary()!;
  assert.is(live.sessionId, "sess-1");
  assert.ok(live.summary.zones["cheek-left"]! > 1500, JSON.stringify(live.summary.zones));
  const saved = store.summary("sess-1")!;
  assert.is(saved.summary?.endReason, null, "still running");
  assert.ok(saved.summary!.stimulationMs >= live.summary.stimulationMs - 1000, "at most a second behind");
  // kill -9: nothing more is written; the next start closes the session as crashed.
  store.dispose();
  const next = openStore(dir);
  next.closeCrashed(Date.now());
  const after = next.summary("sess-1")!;
  assert.is(after.session.endReason, "crashed");
  assert.equal(after.summary, saved.summary);
  assert.is(summaryView(after.session, after.summary!).endReason, "crashed");
});

test("a summary write that fails stops output through the records' fault latch, and the next write carries everything", () => {
  let failing = true;
  const dir = Deno.makeTempDirSync({ prefix: "gp-summary-" });
  const real = openStore(dir);
  // Only the summary write fails (as on a full disk: the row grows), everything else is written.
  const store: Store = Object.assign(Object.create(real), {
    saveSummary(id: string, s: Parameters<Store["saveSummary"]>[1]) {
      if (failing) throw new Error("database or disk is full");
      real.saveSummary(id, s);
    },
  });
  const { runner, clock } = fakeRunner();
  const frames: EngineFrame[] = [];
  runner.observe({ frame: (f) => void frames.push(f) });
  const lines: string[] = [];
  attachRecords(runner, store, {
    logDir: `${dir}/sessions`,
    newId: () => "sess-1",
    log: (l) => void lines.push(l),
  });
  runner.start();
  runningOnCheek(runner, clock, 3000);
  const failedAt = frames.findIndex((f) => f.limit === "device-fault");
  assert.ok(
    failedAt > 40 && failedAt <= 52,
    `the first summary write (frame 50) latched the fault: ${failedAt}`,
  );
  assert.ok(frames[failedAt - 1]!.currentUa > 0 && frames.slice(failedAt).every((f) => f.currentUa === 0));
  assert.ok(lines.some((l) => l.includes("store write failed (database or disk is full)")), lines.join("\n"));
  const before = real.session("sess-1")!.stimulationMs;
  assert.ok(before > 500, `output before the failure: ${before} ms`);

  failing = false;
  runner.submit({ type: "reset" }, "operator");
  runner.submit({ type: "resume" });
  runningOnCheek(runner, clock, 2000, { started: true });
  runner.submit({ type: "end" });
  clock.advance(40);
  const row = real.summary("sess-1")!;
  assert.is(row.summary?.endReason, "user-end");
  assert.ok(
    Math.abs(row.summary!.stimulationMs - row.session.stimulationMs) <= 1,
    `the summary holds all ${row.session.stimulationMs} ms, from before the failure too: ${
      row.summary!.stimulationMs
    }`,
  );
  assert.ok(row.session.stimulationMs > before + 1000);
});

test("the store refuses a summary for a session it does not have, or one that does not add up, naming why", () => {
  const { store, runner, clock, recorder } = setup();
  runningOnCheek(runner, clock, 300);
  const s = recorder.summary()!.summary;
  assert.throws(() => store.saveSummary("nope", s), /no session "nope"/);
  assert.throws(
    () => store.saveSummary("sess-1", { ...s, stimulationMs: s.stimulationMs + 1 }),
    /stimulationMs/,
  );
  assert.throws(() => store.saveSummary("../x", s), /session id/);
  assert.is(store.summary("nope"), null);
});

test("a stored summary this build cannot read is reported with the session, never passed on", () => {
  const { store, runner, clock } = setup();
  runningOnCheek(runner, clock, 1500);
  runner.submit({ type: "end" });
  clock.advance(40);
  const other = new DatabaseSync(store.path);
  other.exec(`UPDATE session_summaries SET summary = '{"v":1,"zones":{"chin":-5}}'`);
  other.close();
  const row = store.summary("sess-1")!;
  assert.is(row.summary, null);
  assert.match(row.summaryError ?? "", /stimulationMs|zones/);
  assert.is(row.session.endReason, "user-end");
});

test.run();
