import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { openStore, type Store } from "../../kiosk/store/mod.ts";

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
  assert.is((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 1);
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

test.run();
