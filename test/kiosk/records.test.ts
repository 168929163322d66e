import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { attachRecords } from "../../kiosk/session/mod.ts";
import { openStore, type StoreOptions } from "../../kiosk/store/mod.ts";
import { CHEEK, fakeRunner, runningOnCheek } from "./_fixtures.ts";

/**
 * A fake-clock runner with the records attached as the runtime attaches them. `failedAt` is the number of
 * frames emitted when a record write first failed, read from the writers' own health (not from the fault
 * wiring under test), so frames[failedAt] is the first frame after the failing write.
 */
function setup(storeOptions: StoreOptions = {}) {
  const dir = Deno.makeTempDirSync({ prefix: "gp-records-" });
  const store = openStore(dir, storeOptions);
  const { runner, clock, errors } = fakeRunner();
  const frames: EngineFrame[] = [];
  runner.observe({ frame: (f) => void frames.push(f) });
  const lines: string[] = [];
  let ids = 0;
  const records = attachRecords(runner, store, {
    logDir: `${dir}/sessions`,
    newId: () => `sess-${++ids}`,
    log: (l) => void lines.push(l),
  });
  let failedAt = -1;
  let armed = true;
  const watch = () => {
    if (!armed) return;
    const failing = store.health.state === "failing" || records.eventLog.health.state === "failing";
    if (failing && failedAt < 0) failedAt = frames.length;
  };
  runner.observe({ frame: watch, event: watch });
  runner.start();
  const arm = (on: boolean) => void ((armed = on), (failedAt = -1));
  return { dir, store, runner, clock, errors, frames, lines, records, failedAt: () => failedAt, arm };
}

/** Keeps the cheek probe fresh for `ms` on the fake clock. */
function glide(s: ReturnType<typeof setup>, ms: number) {
  for (let t = 0; t < ms; t += 40) {
    s.runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
    s.clock.advance(40);
  }
}

/** Asserts output flowed up to the failing write and the first frame after it, and all later ones, are 0 µA. */
function assertCutWithinOneFrame(s: ReturnType<typeof setup>) {
  const at = s.failedAt();
  assert.ok(at > 0, "a record write failed");
  assert.ok(
    s.frames[at - 1]!.currentUa > 0,
    `output flowed before the failure: ${s.frames[at - 1]!.currentUa}`,
  );
  const after = s.frames.slice(at);
  assert.ok(after.length > 20, `frames after the failure: ${after.length}`);
  assert.is(after[0]!.currentUa, 0, "the next frame after the failing write is 0 µA");
  assert.ok(after.every((f) => f.currentUa === 0 && f.limit === "device-fault"), "and stays 0, latched");
}

test("a full database mid-session (real SQLITE_FULL) stops output on the next frame, latched until an operator reset with room again", () => {
  const s = setup({ maxBytes: 64 * 1024 });
  runningOnCheek(s.runner, s.clock, 1500);
  // Fill the database for real: the store's own connection refuses to grow past maxBytes.
  const pad = "x".repeat(400);
  s.arm(false);
  // Big entries, then the smallest there are, so not even a cap entry fits in the last page.
  for (const detail of [{ pad }, {}]) {
    assert.throws(() => {
      for (let i = 0; i < 10_000; i++) s.store.audit({ at: 1, action: "filler", actor: "t", detail });
    }, /database or disk is full/);
  }
  glide(s, 200); // in-place checkpoints still fit: the store takes writes again, output flows
  assert.is(s.store.health.state, "ok");
  assert.ok(s.frames.at(-1)!.currentUa > 0);
  s.arm(true);
  const before = s.frames.length;
  s.runner.submit({ type: "cap", operatorCapUa: 400 }, "operator"); // its audit entry needs a new page
  assert.is(s.failedAt(), before, "the cap's audit entry is the failing write");
  glide(s, 1000);
  assertCutWithinOneFrame(s);
  assert.equal(s.records.health(), {
    state: "failing",
    reason: "store: database or disk is full",
    since: (s.records.health() as { since: string }).since,
  });
  assert.ok(
    s.lines.some((l) => l.includes("store write failed (database or disk is full)")),
    s.lines.join("\n"),
  );

  // A reset while the store is still full: its own audit entry fails, the fault latches again at once.
  s.runner.submit({ type: "reset" }, "operator");
  const resetAt = s.frames.length;
  glide(s, 1000);
  assert.ok(
    s.frames.slice(resetAt).every((f) => f.currentUa === 0),
    "no output while records cannot be written",
  );

  // Room again (a second connection deletes the filler), then a reset: output flows again, ramping from 0.
  const other = new DatabaseSync(s.store.path);
  other.exec("DELETE FROM audit_log WHERE action = 'filler'");
  other.close();
  glide(s, 400);
  assert.is(s.frames.at(-1)!.currentUa, 0, "records recovering does not clear the latch by itself");
  s.runner.submit({ type: "reset" }, "operator");
  s.runner.submit({ type: "resume" }); // a reset waits for the person's Resume (issue 7.1)
  glide(s, 1000);
  assert.ok(s.frames.at(-1)!.currentUa > 0, `flows after the reset: ${s.frames.at(-1)!.currentUa}`);
  assert.is(s.records.health().state, "ok");
  const actions = s.store.auditLog({ limit: 10 }).map((e) => e.action);
  assert.ok(actions.includes("reset"), "the reset that took effect is audited");
});

test("a database locked by another connection (real 'database is locked') stops output on the next frame", () => {
  const s = setup();
  runningOnCheek(s.runner, s.clock, 1500);
  const other = new DatabaseSync(s.store.path);
  other.exec("BEGIN EXCLUSIVE");
  glide(s, 1000); // the next checkpoint meets the lock
  assertCutWithinOneFrame(s);
  const health = s.records.health();
  assert.is(health.state, "failing");
  assert.is((health as { reason: string }).reason, "store: database is locked");
  assert.match((health as { since: string }).since, /^\d{4}-\d\d-\d\dT/);
  other.exec("COMMIT");
  other.close();
  glide(s, 400);
  assert.is(s.records.health().state, "ok", "checkpoints reach the database again");
  assert.is(s.frames.at(-1)!.currentUa, 0, "but the fault stays latched until an operator reset");
  const fault = s.store.auditLog({ limit: 50 }).find((e) => e.action === "fault");
  assert.equal(
    fault?.detail,
    { source: "store", reason: "database is locked" },
    "the fault itself is audited",
  );
  s.runner.submit({ type: "reset" }, "operator");
  s.runner.submit({ type: "resume" }); // a reset waits for the person's Resume (issue 7.1)
  glide(s, 1000);
  assert.ok(s.frames.at(-1)!.currentUa > 0);
});

test("an event log write that fails (real ENOSPC: the log is /dev/full) stops output on the next frame", () => {
  const s = setup();
  Deno.mkdirSync(`${s.dir}/sessions`, { recursive: true });
  Deno.symlinkSync("/dev/full", `${s.dir}/sessions/sess-1.jsonl`);
  runningOnCheek(s.runner, s.clock, 1500);
  glide(s, 500);
  assertCutWithinOneFrame(s);
  const health = s.records.health();
  assert.match((health as { reason: string }).reason, /^event log: No space left on device/);
  assert.is(s.store.session("sess-1")?.endedAt, null, "the session record itself is still open and kept");
});

test("a start whose record cannot be written is ended and the store fault latched before any output", () => {
  const s = setup();
  const other = new DatabaseSync(s.store.path);
  other.exec("BEGIN EXCLUSIVE");
  runningOnCheek(s.runner, s.clock, 1000);
  other.exec("ROLLBACK");
  other.close();
  assert.ok(s.frames.every((f) => f.currentUa === 0), "no output at all");
  assert.is(s.runner.lastFrame?.state, "ended");
  assert.is(s.records.recorder.sessionId, null);
  assert.ok(s.lines.some((l) => /could not be written; ending it/.test(l)));
});

test("at attach, a session a crash left open is closed as crashed at its last checkpoint and audited", () => {
  const dir = Deno.makeTempDirSync({ prefix: "gp-records-" });
  const a = openStore(dir);
  a.startSession({ id: "left-open", routine: "free", startedAt: 1_000, comfort: 5 });
  a.updateSession("left-open", { stimulationMs: 4_321, maxCurrentUa: 180, at: 9_000 });
  a.dispose(); // no endSession: as after kill -9
  const store = openStore(dir);
  const { runner } = fakeRunner();
  const lines: string[] = [];
  attachRecords(runner, store, {
    logDir: `${dir}/sessions`,
    log: (l) => void lines.push(l),
    wallClock: () => 50_000,
  });
  const s = store.session("left-open")!;
  assert.equal([s.endReason, s.endedAt, s.stimulationMs, s.maxCurrentUa], ["crashed", 9_000, 4_321, 180]);
  const entry = store.auditLog()[0]!;
  assert.equal(
    [entry.action, entry.actor, entry.sessionId, entry.at],
    ["crashed", "runtime", "left-open", 50_000],
  );
  assert.equal(entry.detail, { lastCheckpointAt: 9_000, stimulationMs: 4_321, maxCurrentUa: 180 });
  assert.ok(lines.some((l) => l.includes("left-open") && l.includes("crashed")));
  assert.equal(store.closeCrashed(60_000), [], "nothing left open the second time");
});

test("audit entries held back by a failing store are written when the session closes at shutdown", () => {
  const s = setup();
  runningOnCheek(s.runner, s.clock, 1500);
  const other = new DatabaseSync(s.store.path);
  other.exec("BEGIN EXCLUSIVE");
  glide(s, 200); // the next checkpoint meets the lock: the fault is latched, its audit entry held back
  assert.is(s.frames.at(-1)!.currentUa, 0);
  other.exec("COMMIT");
  other.close();
  // Shutdown comes before any checkpoint could retry (the kiosk stops right after the disk has room again).
  s.records.close("SIGTERM");
  const faults = s.store.auditLog({ limit: 20 }).filter((e) => e.action === "fault");
  assert.is(faults.length, 1, "the fault that stopped output is in the audit log");
  assert.is(faults[0]!.sessionId, "sess-1");
  assert.is(s.store.session("sess-1")?.endReason, "SIGTERM");
});

test.run();
