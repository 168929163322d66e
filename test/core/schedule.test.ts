/** The treatment schedule: 5 a week for the first 60 days, then 2–3 a week; this week's target, done, streak and next day. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { scheduleFor } from "../../core/session/mod.ts";

const DAY = 86_400_000;
/** Noon UTC of a date ("2026-12-03" is a Thursday). */
const at = (date: string, hour = 12) => Date.parse(`${date}T${String(hour).padStart(2, "0")}:00:00Z`);
const session = (date: string, hour = 12, stimulationMs = 600_000) => ({
  startedAt: at(date, hour),
  stimulationMs,
});
/** Sessions on consecutive days from `from`, `n` of them. */
const daily = (from: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ startedAt: at(from) + i * DAY, stimulationMs: 600_000 }));

test("before any session: 5 this week, none done, today suggested", () => {
  const s = scheduleFor([], { now: at("2026-12-03") });
  assert.equal(
    [s.phase, s.target, s.done, s.nextDay, s.streakWeeks, s.firstDay, s.weekStart],
    ["start", { min: 5, max: 5 }, 0, "2026-12-03", 0, null, "2026-11-30"],
  );
});

test("loading: done today → tomorrow; not yet today → today; five this week → next Monday", () => {
  const monTue = [session("2026-11-30"), session("2026-12-01")];
  const base = [session("2026-11-02"), ...monTue]; // the first session a month ago: loading phase
  assert.is(scheduleFor(base, { now: at("2026-12-01", 18) }).nextDay, "2026-12-02");
  assert.is(scheduleFor(base, { now: at("2026-12-02", 9) }).nextDay, "2026-12-02");
  const five = [session("2026-11-02"), ...daily("2026-11-30", 5)];
  const s = scheduleFor(five, { now: at("2026-12-04", 20) });
  assert.equal([s.phase, s.done, s.target.min, s.nextDay], ["loading", 5, 5, "2026-12-07"]);
});

test("two sessions on one day count once", () => {
  const s = scheduleFor([session("2026-12-01", 8), session("2026-12-01", 20)], { now: at("2026-12-02") });
  assert.is(s.done, 1);
  assert.is(s.sessions, 2);
});

test("a session without output does not count", () => {
  const s = scheduleFor([session("2026-12-01", 12, 0)], { now: at("2026-12-02") });
  assert.equal([s.phase, s.done, s.sessions], ["start", 0, 0]);
});

test("the first week asks only for the days left in it: starting on a Saturday asks for 2", () => {
  const s = scheduleFor([session("2026-12-05")], { now: at("2026-12-05", 18) });
  assert.equal([s.phase, s.target, s.done, s.streakWeeks, s.nextDay], [
    "loading",
    { min: 2, max: 2 },
    1,
    0,
    "2026-12-06",
  ]);
  const both = scheduleFor([session("2026-12-05"), session("2026-12-06")], { now: at("2026-12-06", 18) });
  assert.equal([both.done, both.streakWeeks, both.nextDay], [2, 1, "2026-12-07"]);
});

test("after 60 days: 2–3 a week from the next Monday, with a rest day between sessions", () => {
  const first = "2026-09-01"; // a Tuesday; day 60 is 2026-10-31 (a Saturday), maintenance from Monday 2 November
  const s = scheduleFor([session(first), session("2026-12-01")], { now: at("2026-12-01", 18) });
  assert.equal([s.phase, s.target, s.maintenanceFrom, s.nextDay], [
    "maintenance",
    { min: 2, max: 3 },
    "2026-11-02",
    "2026-12-03",
  ]);
  const three = [session(first), session("2026-11-30"), session("2026-12-02"), session("2026-12-04")];
  assert.is(scheduleFor(three, { now: at("2026-12-04", 18) }).nextDay, "2026-12-07");
  const old = scheduleFor([session(first), session("2026-11-20")], { now: at("2026-12-01") });
  assert.is(old.nextDay, "2026-12-01", "overdue: today");
});

test("the streak counts weeks in a row that met their target, this one once met", () => {
  const first = "2026-08-03"; // Monday; maintenance from 2026-10-05
  const sessions = [
    ...daily(first, 5), // met, then weeks without a session
    ...[0, 2].map((d) => ({ startedAt: at("2026-11-16") + d * DAY, stimulationMs: 1 })), // met (2)
    ...[0].map((d) => ({ startedAt: at("2026-11-23") + d * DAY, stimulationMs: 1 })), // missed (1)
    ...[0, 2].map((d) => ({ startedAt: at("2026-11-30") + d * DAY, stimulationMs: 1 })), // this week, met
  ];
  assert.is(scheduleFor(sessions, { now: at("2026-12-03") }).streakWeeks, 1);
  const withoutThis = sessions.slice(0, -1);
  assert.is(
    scheduleFor(withoutThis, { now: at("2026-12-03") }).streakWeeks,
    0,
    "last week missed, this one not yet met",
  );
  const lastWeekMet = [...withoutThis, { startedAt: at("2026-11-26"), stimulationMs: 1 }];
  assert.is(scheduleFor(lastWeekMet, { now: at("2026-12-01") }).streakWeeks, 2, "two finished weeks met");
});

test("days are local: a session at 23:30 UTC is the next day two hours east", () => {
  const s = [{ startedAt: Date.parse("2026-12-01T23:30:00Z"), stimulationMs: 1 }];
  assert.is(scheduleFor(s, { now: at("2026-12-02"), utcOffsetMin: 0 }).firstDay, "2026-12-01");
  assert.is(scheduleFor(s, { now: at("2026-12-02"), utcOffsetMin: 120 }).firstDay, "2026-12-02");
});

test("property: done never exceeds 7, the next day is never in the past, and the target follows the phase", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({ day: fc.integer({ min: 0, max: 200 }), ms: fc.integer({ min: 0, max: 1_200_000 }) }),
        {
          maxLength: 120,
        },
      ),
      fc.integer({ min: 0, max: 220 }),
      fc.integer({ min: -720, max: 840 }),
      (days, today, offset) => {
        const origin = at("2026-01-01");
        const sessions = days.map((d) => ({ startedAt: origin + d.day * DAY, stimulationMs: d.ms }));
        const now = origin + today * DAY;
        const s = scheduleFor(sessions, { now, utcOffsetMin: offset });
        assert.ok(s.done >= 0 && s.done <= 7);
        const todayLocal = new Date(now + offset * 60_000).toISOString().slice(0, 10);
        assert.ok(s.nextDay >= todayLocal, `${s.nextDay} before today ${todayLocal}`);
        assert.ok(s.target.min <= s.target.max);
        if (s.phase === "maintenance") assert.equal(s.target, { min: 2, max: 3 });
        if (s.phase === "loading") assert.ok(s.target.min >= 1 && s.target.max <= 5);
      },
    ),
    { numRuns: 500 },
  );
});

test("a now that is not a number is refused", () => {
  assert.throws(() => scheduleFor([], { now: NaN }), /now/);
});

test.run();
