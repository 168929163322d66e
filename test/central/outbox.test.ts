/** The station's outbox: every record write queues the record in its own transaction, only when a central store is configured. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { openOutbox, openStore, type Outbox, type Store } from "../../kiosk/store/mod.ts";
import { writeOneOfEach } from "./_station_records.ts";

function fresh(): { store: Store; dir: string } {
  const dir = Deno.makeTempDirSync({ prefix: "gp-outbox-" });
  return { store: openStore(dir), dir };
}

/** Runs `body` on a fresh store whose outbox queues (as with a central store configured); closes both after. */
function queuing(body: (store: Store, outbox: Outbox) => void): void {
  const { store } = fresh();
  const outbox = openOutbox(store.path);
  outbox.enable();
  try {
    body(store, outbox);
  } finally {
    outbox.dispose();
    store.dispose();
  }
}

const T = 1_700_000_000_000;

test("a station without a central store queues nothing: its writes are what they were", () => {
  const { store } = fresh();
  writeOneOfEach(store, "s1", T);
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
  writeOneOfEach(store, "s1", T);
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
    routine: "gentle-depuff",
    startedAt: T,
    endedAt: T + 2000,
    endReason: "completed",
    comfort: 4,
    operatorCapUa: 300,
    stimulationMs: 1500,
    maxCurrentUa: 90,
    checkpointAt: T + 600,
    profileId: "p-s1",
  });
  assert.equal(JSON.parse(rows[2]!.body).answers, '{"pregnancy":false}'); // JSON columns travel as stored text
  outbox.dispose();
  store.dispose();
});

test("a write that fails or rolls back queues nothing (one transaction with the record)", () =>
  queuing((store, outbox) => {
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
  }));

test("checkpoints fold into the newest row of their session, never into a row already handed to the replicator", () =>
  queuing((store, outbox) => {
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
  }));

test("switching queuing on queues the existing records once (profiles first), switching off stops it", () => {
  const { store } = fresh();
  writeOneOfEach(store, "a", T);
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
  writeOneOfEach(store, "b", T);
  assert.is(outbox.stats().pending, 6, "nothing queued while off");
  outbox.dispose();
  store.dispose();
});

test("a parked row stays in the file with its reason and no longer holds up the queue", () =>
  queuing((store, outbox) => {
    store.audit({ at: T, action: "a1", actor: "x" });
    store.audit({ at: T + 1, action: "a2", actor: "x" });
    const [first] = outbox.take(1);
    outbox.park(first!.seq, "body: invalid at");
    assert.equal(outbox.take(10).map((r) => JSON.parse(r.body).action), ["a2"]);
    const stats = outbox.stats();
    assert.equal([stats.pending, stats.parked, stats.parkedReason], [1, 1, "body: invalid at"]);
  }));

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
      queuing((store, outbox) => {
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
      });
    }),
    { numRuns: 150 },
  );
});

test.run();
