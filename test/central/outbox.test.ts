/** The station's outbox: every record write queues the record in its own transaction, only when a central store is configured. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { openOutbox, openStore, type Store } from "../../kiosk/store/mod.ts";

function fresh(): { store: Store; dir: string } {
  const dir = Deno.makeTempDirSync({ prefix: "gp-outbox-" });
  return { store: openStore(dir), dir };
}

const T = 1_700_000_000_000;

/** One of each record kind the station writes, through the store (profiles and summaries through SQL: schema v3). */
function writeOneOfEach(store: Store, id = "s1"): void {
  const raw = new DatabaseSync(store.path);
  raw.exec("PRAGMA foreign_keys = ON");
  raw.prepare(
    "INSERT INTO profiles (id, kind, name, language, exclusions, created_at) VALUES (?, 'walk-in', ?, 'es', '[\"masseter-left\"]', ?)",
  ).run(`p-${id}`, `code-${id}`, T);
  store.startSession({ id, routine: "express-lift", startedAt: T, comfort: 5 });
  raw.prepare("UPDATE sessions SET profile_id = ? WHERE id = ?").run(`p-${id}`, id);
  store.recordScreening({
    sessionId: id,
    recordedAt: T + 1,
    answers: { pregnancy: false },
    contraindicated: false,
    consent: true,
    consentBy: "client",
  });
  store.updateSession(id, { stimulationMs: 100, maxCurrentUa: 50, at: T + 2 });
  store.audit({ at: T + 3, action: "estop", actor: "page", sessionId: id, detail: { why: "test" } });
  store.endSession(id, { endedAt: T + 4, endReason: "completed", stimulationMs: 200, maxCurrentUa: 60 });
  store.recordTelemetry({
    sessionId: id,
    samples: 10,
    contactSamples: 9,
    meanImpedanceOhm: 4000,
    maxMeasuredUa: 58,
    minBatteryPct: null,
    faults: [],
  });
  raw.prepare("INSERT INTO session_summaries (session_id, summary) VALUES (?, ?)").run(id, '{"passes":3}');
  raw.close();
}

test("a station without a central store queues nothing: its writes are what they were", () => {
  const { store } = fresh();
  writeOneOfEach(store);
  const outbox = openOutbox(store.path);
  assert.is(outbox.enabled, false);
  assert.equal(outbox.stats(), { pending: 0, parked: 0, oldestQueuedAt: null, parkedReason: null });
  outbox.dispose();
  store.dispose();
});

test("with queuing on, each record kind is queued once per change, as the stored row, in write order", () => {
  const { store } = fresh();
  const outbox = openOutbox(store.path);
  assert.is(outbox.enable(), 0);
  writeOneOfEach(store);
  const rows = outbox.take(100);
  const uid = outbox.storeUid;
  assert.equal(rows.map((r) => `${r.kind} ${r.recordId}`), [
    "profile p-s1",
    "session s1", // the insert, with the profile set right after folded in (still the newest row)
    "screening " + uid + ":1",
    "session s1", // checkpoint
    "audit " + uid + ":1",
    "session s1", // end
    "telemetry s1",
    "session_summary s1",
  ]);
  const session = JSON.parse(rows.at(-3)!.body);
  assert.equal(session, {
    id: "s1",
    routine: "express-lift",
    startedAt: T,
    endedAt: T + 4,
    endReason: "completed",
    comfort: 5,
    operatorCapUa: null,
    stimulationMs: 200,
    maxCurrentUa: 60,
    checkpointAt: T + 2,
    profileId: "p-s1",
  });
  assert.equal(JSON.parse(rows[2]!.body).answers, '{"pregnancy":false}'); // JSON columns travel as stored text
  outbox.dispose();
  store.dispose();
});

test("a write that fails or rolls back queues nothing (one transaction with the record)", () => {
  const { store } = fresh();
  const outbox = openOutbox(store.path);
  outbox.enable();
  // Foreign key: no such session. The store refuses; the trigger's row goes with the failed statement.
  assert.throws(() =>
    store.recordScreening({
      sessionId: "missing",
      recordedAt: T,
      answers: {},
      contraindicated: false,
      consent: true,
      consentBy: null,
    }), /FOREIGN KEY/);
  const raw = new DatabaseSync(store.path);
  raw.exec("BEGIN");
  raw.prepare("INSERT INTO sessions (id, routine, started_at) VALUES ('x', 'free', 1)").run();
  raw.exec("ROLLBACK");
  raw.close();
  assert.is(outbox.stats().pending, 0);
  outbox.dispose();
  store.dispose();
});

test("checkpoints fold into the newest row of their session, never into a row already handed to the replicator", () => {
  const { store } = fresh();
  const outbox = openOutbox(store.path);
  outbox.enable();
  store.startSession({ id: "s", routine: "free", startedAt: T });
  for (let i = 1; i <= 50; i++) {
    store.updateSession("s", { stimulationMs: i * 100, maxCurrentUa: i, at: T + i });
  }
  assert.is(outbox.stats().pending, 1, "50 checkpoints in a row are one queued row");
  for (let i = 1; i <= 50; i++) {
    store.updateSession("s", { stimulationMs: 5000 + i, maxCurrentUa: 50, at: T + 50 + i });
    store.recordTelemetry({
      sessionId: "s",
      samples: i,
      contactSamples: i,
      meanImpedanceOhm: null,
      maxMeasuredUa: 1,
      minBatteryPct: null,
      faults: [],
    });
  }
  assert.is(outbox.stats().pending, 2, "a checkpoint's session and telemetry rows fold together");
  store.audit({ at: T, action: "cap", actor: "operator", sessionId: "s" });
  store.updateSession("s", { stimulationMs: 6000, maxCurrentUa: 60, at: T + 60 });
  assert.is(
    outbox.stats().pending,
    4,
    "after another record, the session's next change is a new row (order kept)",
  );
  const taken = outbox.take(10);
  store.updateSession("s", { stimulationMs: 6100, maxCurrentUa: 61, at: T + 61 });
  assert.is(JSON.parse(taken.at(-1)!.body).stimulationMs, 6000);
  outbox.ack(taken.at(-1)!.seq);
  const next = outbox.take(10);
  assert.is(
    next.length,
    1,
    "the change made while the batch was in flight is its own row, kept after the ack",
  );
  assert.is(JSON.parse(next[0]!.body).stimulationMs, 6100);
  outbox.dispose();
  store.dispose();
});

test("switching queuing on queues the existing records once (profiles first), switching off stops it", () => {
  const { store } = fresh();
  writeOneOfEach(store, "a");
  const outbox = openOutbox(store.path);
  assert.is(outbox.enable(), 6);
  assert.is(outbox.enable(), 0, "already on: nothing queued twice");
  assert.equal(outbox.take(10).map((r) => r.kind), [
    "profile",
    "session",
    "screening",
    "telemetry",
    "session_summary",
    "audit",
  ]);
  outbox.disable();
  writeOneOfEach(store, "b");
  assert.is(outbox.stats().pending, 6, "nothing queued while off");
  outbox.dispose();
  store.dispose();
});

test("a parked row stays in the file with its reason and no longer holds up the queue", () => {
  const { store } = fresh();
  const outbox = openOutbox(store.path);
  outbox.enable();
  store.audit({ at: T, action: "a1", actor: "x" });
  store.audit({ at: T + 1, action: "a2", actor: "x" });
  const [first] = outbox.take(1);
  outbox.park(first!.seq, "body: invalid at");
  assert.equal(outbox.take(10).map((r) => JSON.parse(r.body).action), ["a2"]);
  const stats = outbox.stats();
  assert.equal([stats.pending, stats.parked, stats.parkedReason], [1, 1, "body: invalid at"]);
  outbox.dispose();
  store.dispose();
});

test("property: replaying the queue in order, with takes and acks between writes, gives every table's current rows", () => {
  type Op = { w: "start" | "update" | "telemetry" | "audit" | "end" | "profile" | "take" | "ack"; n: number };
  const op = fc.record({
    w: fc.constantFrom(
      "start",
      "update",
      "update",
      "telemetry",
      "telemetry",
      "audit",
      "end",
      "profile",
      "take",
      "ack",
    ),
    n: fc.nat(3),
  }) as fc.Arbitrary<Op>;
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const { store } = fresh();
      const outbox = openOutbox(store.path);
      outbox.enable();
      const raw = new DatabaseSync(store.path);
      const replica = new Map<string, string>();
      const inFlight: { seq: number; kind: string; recordId: string; body: string }[] = [];
      const apply = (rows: typeof inFlight) =>
        rows.forEach((r) => replica.set(`${r.kind} ${r.recordId}`, r.body));
      let t = T;
      for (const o of ops) {
        const id = `s${o.n}`;
        const s = store.session(id);
        try {
          if (o.w === "start" && !s) store.startSession({ id, routine: "free", startedAt: ++t });
          if (o.w === "update" && s && s.endedAt === null) {
            store.updateSession(id, { stimulationMs: ++t - T, maxCurrentUa: o.n, at: t });
          }
          if (o.w === "end" && s && s.endedAt === null) {
            store.endSession(id, { endedAt: ++t, endReason: "done", stimulationMs: 1, maxCurrentUa: 1 });
          }
          if (o.w === "telemetry" && s) {
            store.recordTelemetry({
              sessionId: id,
              samples: ++t - T,
              contactSamples: 0,
              meanImpedanceOhm: null,
              maxMeasuredUa: 0,
              minBatteryPct: null,
              faults: [],
            });
          }
          if (o.w === "audit") store.audit({ at: ++t, action: "x", actor: "y", sessionId: s ? id : null });
          if (o.w === "profile") {
            raw.prepare(
              "INSERT INTO profiles (id, kind, name, created_at) VALUES (?, 'home', ?, ?) ON CONFLICT(id) DO UPDATE SET language = 'es'",
            ).run(`p${o.n}`, `n${o.n}`, ++t);
          }
          if (o.w === "take") inFlight.push(...outbox.take(o.n + 1));
          if (o.w === "ack" && inFlight.length) {
            apply(inFlight); // the central commit returned
            outbox.ack(inFlight.at(-1)!.seq);
            inFlight.length = 0;
          }
        } catch (error) {
          throw new Error(`${o.w} ${id}: ${error}`);
        }
      }
      apply(inFlight);
      apply(outbox.take(10_000));
      const expected = new Map<string, string>();
      for (const r of raw.prepare("SELECT id FROM sessions").all()) {
        expected.set(`session ${r.id}`, "");
      }
      for (const r of raw.prepare("SELECT id FROM audit_log").all()) {
        expected.set(`audit ${outbox.storeUid}:${r.id}`, "");
      }
      for (const r of raw.prepare("SELECT id FROM profiles").all()) expected.set(`profile ${r.id}`, "");
      for (const r of raw.prepare("SELECT session_id, samples FROM telemetry_summaries").all()) {
        expected.set(`telemetry ${r.session_id}`, "");
        assert.is(JSON.parse(replica.get(`telemetry ${r.session_id}`) ?? "{}").samples, r.samples);
      }
      assert.equal([...replica.keys()].sort(), [...expected.keys()].sort());
      for (const s of store.sessions({ limit: 1000 })) {
        const got = JSON.parse(replica.get(`session ${s.id}`)!);
        assert.equal([got.stimulationMs, got.endedAt, got.maxCurrentUa], [
          s.stimulationMs,
          s.endedAt,
          s.maxCurrentUa,
        ]);
      }
      raw.close();
      outbox.dispose();
      store.dispose();
    }),
    { numRuns: 150 },
  );
});

test.run();
