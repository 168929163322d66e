import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import process from "node:process";
import { openStore, type Store } from "../../kiosk/store/mod.ts";
import { createEventLog } from "../../kiosk/session/mod.ts";

const tmp = () => Deno.makeTempDirSync({ prefix: "gp-store-" });

function seed(store: Store) {
  store.startSession({ id: "s1", routine: "express-lift", startedAt: 1000, comfort: 5, operatorCapUa: 300 });
  store.recordScreening({
    sessionId: "s1",
    recordedAt: 1000,
    answers: { pregnancy: false, metalImplantsInFace: false },
    contraindicated: false,
    consent: true,
    consentBy: null,
  });
  store.audit({ at: 1100, action: "estop", actor: "page", sessionId: "s1" });
  store.endSession("s1", { endedAt: 9000, endReason: "user-end", stimulationMs: 7000, maxCurrentUa: 125 });
  store.recordTelemetry({
    sessionId: "s1",
    samples: 400,
    contactSamples: 390,
    meanImpedanceOhm: 4200,
    maxMeasuredUa: 126,
    minBatteryPct: 80,
    faults: [],
  });
}

test("records survive closing and reopening the store", () => {
  const dir = tmp();
  const a = openStore(dir);
  seed(a);
  a.dispose();
  const b = openStore(dir);
  assert.equal(b.session("s1"), {
    id: "s1",
    routine: "express-lift",
    startedAt: 1000,
    endedAt: 9000,
    endReason: "user-end",
    comfort: 5,
    operatorCapUa: 300,
    stimulationMs: 7000,
    maxCurrentUa: 125,
    profileId: null,
  });
  assert.equal(b.screenings("s1")[0]?.answers, { pregnancy: false, metalImplantsInFace: false });
  assert.is(b.screenings("s1")[0]?.consent, true);
  assert.is(b.auditLog()[0]?.action, "estop");
  assert.is(b.telemetry("s1")?.contactSamples, 390);
  b.dispose();
});

test("the database runs in WAL mode and the schema version is set on open", () => {
  const dir = tmp();
  const s = openStore(dir);
  const db = new DatabaseSync(s.path);
  assert.is((db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
  assert.is((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 6);
  db.close();
  s.dispose();
});

test("opening a store written by a newer build is refused, not migrated down", () => {
  const dir = tmp();
  openStore(dir).dispose();
  const db = new DatabaseSync(`${dir}/glidepath.sqlite`);
  db.exec("PRAGMA user_version = 99");
  db.close();
  assert.throws(() => openStore(dir), /schema version 99/);
});

test("bad input is rejected naming the field, and earlier records are intact", () => {
  const s = openStore(tmp());
  seed(s);
  const bad: [() => void, RegExp][] = [
    [() => s.startSession({ id: "s1", routine: "free", startedAt: 1 }), /already recorded/],
    [() => s.startSession({ id: "bad id with spaces", routine: "free", startedAt: 1 }), /session id/],
    [() => s.startSession({ id: "s2", routine: "Free Routine", startedAt: 1 }), /routine/],
    [() => s.startSession({ id: "s2", routine: "free", startedAt: -5 }), /startedAt/],
    [() => s.startSession({ id: "s2", routine: "free", startedAt: 1, comfort: 11 }), /comfort/],
    [
      () => s.endSession("s1", { endedAt: 10, endReason: "x", stimulationMs: 1, maxCurrentUa: 1 }),
      /already ended/,
    ],
    [
      () => s.endSession("nope", { endedAt: 10, endReason: "x", stimulationMs: 1, maxCurrentUa: 1 }),
      /no session/,
    ],
    [() => s.updateSession("s1", { stimulationMs: 1, maxCurrentUa: Number.NaN }), /maxCurrentUa/],
    [
      () =>
        s.recordScreening({
          sessionId: "s1",
          recordedAt: 1,
          answers: { x: "yes" } as never,
          contraindicated: false,
          consent: true,
          consentBy: null,
        }),
      /answers/,
    ],
    [() => s.audit({ at: 1, action: "DROP TABLE", actor: "page" }), /action/],
    [
      () =>
        s.recordTelemetry({
          sessionId: "s1",
          samples: 1,
          contactSamples: 2,
          meanImpedanceOhm: 1,
          maxMeasuredUa: 1,
          minBatteryPct: null,
          faults: [],
        }),
      /contactSamples/,
    ],
  ];
  for (const [write, message] of bad) assert.throws(write, message);
  assert.is(s.sessions().length, 1);
  assert.is(s.session("s1")?.endReason, "user-end");
  assert.is(s.session("s1")?.stimulationMs, 7000);
  assert.is(s.screenings("s1").length, 1);
  assert.is(s.auditLog().length, 1);
  s.dispose();
});

test("no sequence of arbitrary audit writes loses an accepted entry", () => {
  const s = openStore(tmp());
  let accepted = 0;
  fc.assert(
    fc.property(
      fc.record({
        at: fc.integer({ min: -5, max: 1e6 }),
        action: fc.string(),
        actor: fc.string({ maxLength: 80 }),
      }),
      (e) => {
        try {
          s.audit(e);
          accepted++;
        } catch (error) {
          assert.instance(error, TypeError);
        }
        return s.auditLog({ limit: 1000 }).length === accepted;
      },
    ),
    { numRuns: 200 },
  );
  s.dispose();
});

test("listing limits outside 1..1000 are refused", () => {
  const s = openStore(tmp());
  assert.throws(() => s.sessions({ limit: 0 }), RangeError);
  assert.throws(() => s.auditLog({ limit: 5000 }), RangeError);
  s.dispose();
});

const modeOf = (path: string) => Deno.statSync(path).mode! & 0o777;

test("records are owner-only whatever the umask: data and sessions folders 0700, database, -wal, -shm and logs 0600", () => {
  const old = process.umask(0); // the widest: what a careless service unit might run with
  try {
    const dir = `${tmp()}/data`;
    const store = openStore(dir);
    seed(store); // writes: the -wal and -shm files exist now
    const log = createEventLog(`${dir}/sessions`, {
      sessionId: () => "s1",
      onError: (e) => assert.unreachable(String(e)),
    });
    log.event!({ t: 0, type: "start", routine: "free", comfort: 5, screening: {} }, { source: "page" });
    log.close();
    assert.is(modeOf(dir), 0o700);
    assert.is(modeOf(`${dir}/sessions`), 0o700);
    for (
      const f of ["glidepath.sqlite", "glidepath.sqlite-wal", "glidepath.sqlite-shm", "sessions/s1.jsonl"]
    ) {
      assert.is(modeOf(`${dir}/${f}`), 0o600, f);
    }
    store.dispose();
  } finally {
    process.umask(old);
  }
});

test("records an older build left readable by others are tightened at start", () => {
  const dir = tmp();
  const a = openStore(dir);
  seed(a);
  a.dispose();
  Deno.mkdirSync(`${dir}/sessions`);
  Deno.writeTextFileSync(`${dir}/sessions/old.jsonl`, "{}\n");
  for (const f of ["", "/glidepath.sqlite", "/sessions", "/sessions/old.jsonl"]) {
    Deno.chmodSync(`${dir}${f}`, 0o755);
  }
  const b = openStore(dir);
  createEventLog(`${dir}/sessions`).close();
  assert.is(modeOf(dir), 0o700);
  assert.is(modeOf(`${dir}/glidepath.sqlite`), 0o600);
  assert.is(modeOf(`${dir}/sessions`), 0o700);
  assert.is(modeOf(`${dir}/sessions/old.jsonl`), 0o600);
  b.dispose();
});

test("a session without an end is closed as crashed at its last checkpoint, atomically with its audit entry", () => {
  const dir = tmp();
  const a = openStore(dir);
  seed(a); // s1 ended normally: left alone
  a.startSession({ id: "s2", routine: "free", startedAt: 20_000 });
  a.startSession({ id: "s3", routine: "free", startedAt: 30_000 });
  a.updateSession("s3", { stimulationMs: 2_000, maxCurrentUa: 90, at: 33_000 });
  a.dispose();
  const b = openStore(dir);
  assert.equal(b.closeCrashed(40_000).map((s) => [s.id, s.endedAt]), [["s2", 20_000], ["s3", 33_000]]);
  assert.equal(b.sessions().map((s) => [s.id, s.endReason]), [["s3", "crashed"], ["s2", "crashed"], [
    "s1",
    "user-end",
  ]]);
  assert.equal(b.auditLog({ limit: 2 }).map((e) => [e.action, e.sessionId]), [["crashed", "s3"], [
    "crashed",
    "s2",
  ]]);
  b.dispose();
});

test("store health says whether the last write reached the database, with the reason and since when", () => {
  let wall = 5_000;
  const s = openStore(tmp(), { wallClock: () => wall });
  assert.equal(s.health, { state: "ok" });
  const other = new DatabaseSync(s.path);
  other.exec("BEGIN EXCLUSIVE");
  assert.throws(() => s.audit({ at: 1, action: "estop", actor: "page" }), /database is locked/);
  wall = 6_000;
  assert.throws(() => s.audit({ at: 2, action: "estop", actor: "page" }), /database is locked/);
  assert.equal(s.health, { state: "failing", reason: "database is locked", since: 5_000 });
  other.exec("COMMIT");
  s.audit({ at: 3, action: "reset", actor: "operator" });
  assert.equal(s.health, { state: "ok" });
  other.close();
  s.dispose();
});

test.run();
