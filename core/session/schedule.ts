/** The treatment schedule: 5 sessions a week for the first 60 days, then 2–3 a week; this week's target, done, streak and next day. */

/** A past session as the schedule sees it. */
export interface ScheduledSession {
  /** Epoch ms. */
  startedAt: number;
  /** Output delivered; a session without any (a refused screening, an early stop) does not count. */
  stimulationMs: number;
}

/** Options for scheduleFor. */
export interface ScheduleOptions {
  /** Now, epoch ms. Required. */
  now: number;
  /** The person's local time minus UTC, minutes (days and weeks are local; weeks start on Monday). Default 0. */
  utcOffsetMin?: number;
}

/** Where a person stands in the schedule. Dates are local calendar days, "YYYY-MM-DD". */
export interface Schedule {
  /** "start": no session yet; "loading": the first 60 days (5 a week); "maintenance": after (2–3 a week). */
  phase: "start" | "loading" | "maintenance";
  /** Sessions this week calls for: 5–5 while loading, 2–3 after. */
  target: { min: number; max: number };
  /** Days this week with a session (two sessions on one day count once). */
  done: number;
  /** Monday of this week. */
  weekStart: string;
  /** The next day a session is suggested (today when one is due and none was done today). */
  nextDay: string;
  /** Weeks in a row that met their target: the finished weeks before this one, plus this one once met. */
  streakWeeks: number;
  /** The first session's day, and the Monday the 2–3-a-week phase starts (the first on or after day 60). */
  firstDay: string | null;
  maintenanceFrom: string | null;
  /** Sessions that count, all time. */
  sessions: number;
}

/** The schedule's constants (guidance for microcurrent, not medical advice). */
export const LOADING_DAYS = 60;
export const LOADING_PER_WEEK = 5;
export const MAINTENANCE_PER_WEEK = { min: 2, max: 3 } as const;
/** After the loading phase, a rest day between sessions. */
const MAINTENANCE_GAP_DAYS = 2;

const DAY_MS = 86_400_000;

/** A local day number (days since 1970-01-01 local) → "YYYY-MM-DD". */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch ms → local day number. */
export function localDay(epochMs: number, utcOffsetMin = 0): number {
  return Math.floor((epochMs + utcOffsetMin * 60_000) / DAY_MS);
}

/** Monday of the week holding `day` (1970-01-01 was a Thursday). */
function mondayOf(day: number): number {
  return day - ((day + 3) % 7);
}

function targetOn(weekStart: number, firstDay: number): { min: number; max: number } {
  if (weekStart >= firstDay + LOADING_DAYS) return { ...MAINTENANCE_PER_WEEK };
  // The first week counts only the days from the first session on: starting on a Saturday asks for 2, not 5.
  const days = Math.min(7, weekStart + 7 - Math.max(weekStart, firstDay));
  const n = Math.min(LOADING_PER_WEEK, days);
  return { min: n, max: n };
}

/** Where a person stands, from their sessions (any order). Pure: `now` and the offset come in. */
export function scheduleFor(sessions: readonly ScheduledSession[], options: ScheduleOptions): Schedule {
  const offset = options.utcOffsetMin ?? 0;
  if (!Number.isFinite(options.now) || !Number.isFinite(offset) || Math.abs(offset) > 14 * 60) {
    throw new RangeError(
      `Cannot compute the schedule: now ${options.now} and utcOffsetMin ${offset} must be finite`,
    );
  }
  const today = localDay(options.now, offset);
  const weekStart = mondayOf(today);
  const days = new Set<number>();
  for (const s of sessions) {
    if (Number.isFinite(s.startedAt) && s.stimulationMs > 0) days.add(localDay(s.startedAt, offset));
  }
  const counted = sessions.filter((s) => Number.isFinite(s.startedAt) && s.stimulationMs > 0).length;
  const sorted = [...days].filter((d) => d <= today).sort((a, b) => a - b);
  const first = sorted[0];
  if (first === undefined) {
    return {
      phase: "start",
      target: { min: LOADING_PER_WEEK, max: LOADING_PER_WEEK },
      done: 0,
      weekStart: dayString(weekStart),
      nextDay: dayString(today),
      streakWeeks: 0,
      firstDay: null,
      maintenanceFrom: null,
      sessions: counted,
    };
  }
  const last = sorted[sorted.length - 1]!;
  // The phase changes with the week, so a week never changes its target halfway.
  const loading = weekStart < first + LOADING_DAYS;
  const target = targetOn(weekStart, first);
  const inWeek = (start: number) => sorted.filter((d) => d >= start && d < start + 7).length;
  const done = inWeek(weekStart);

  let streakWeeks = done >= target.min ? 1 : 0;
  for (let w = weekStart - 7; w >= mondayOf(first); w -= 7) {
    if (inWeek(w) < targetOn(w, first).min) break;
    streakWeeks++;
  }

  const nextMonday = weekStart + 7;
  let next: number;
  if (loading) {
    next = done >= target.max ? nextMonday : last === today ? today + 1 : today;
  } else {
    next = Math.max(today, last + MAINTENANCE_GAP_DAYS);
    if (done >= target.max) next = Math.max(next, nextMonday);
  }
  return {
    phase: loading ? "loading" : "maintenance",
    target,
    done,
    weekStart: dayString(weekStart),
    nextDay: dayString(next),
    streakWeeks,
    firstDay: dayString(first),
    maintenanceFrom: dayString(mondayOf(first + LOADING_DAYS + 6)),
    sessions: counted,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a schedule read back (a message from the kiosk); throws a TypeError naming the field. */
export function validateSchedule(input: unknown): Schedule {
  const bad = (field: string, value: unknown): never => {
    throw new TypeError(
      `schedule: field "${field}" is invalid, got ${String(JSON.stringify(value)).slice(0, 60)}`,
    );
  };
  if (typeof input !== "object" || input === null || Array.isArray(input)) return bad("schedule", input);
  const s = input as Record<string, unknown>;
  const count = (x: unknown, field: string, max = 1_000_000) =>
    Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= max ? x as number : bad(field, x);
  const date = (x: unknown, field: string) => typeof x === "string" && DATE.test(x) ? x : bad(field, x);
  const dateOrNull = (x: unknown, field: string) => x === null ? null : date(x, field);
  if (s.phase !== "start" && s.phase !== "loading" && s.phase !== "maintenance") bad("phase", s.phase);
  const target = s.target as Record<string, unknown> | null;
  if (typeof target !== "object" || target === null) bad("target", target);
  const min = count(target!.min, "target.min", 7), max = count(target!.max, "target.max", 7);
  if (max < min) bad("target.max", max);
  return {
    phase: s.phase as Schedule["phase"],
    target: { min, max },
    done: count(s.done, "done", 7),
    weekStart: date(s.weekStart, "weekStart"),
    nextDay: date(s.nextDay, "nextDay"),
    streakWeeks: count(s.streakWeeks, "streakWeeks"),
    firstDay: dateOrNull(s.firstDay, "firstDay"),
    maintenanceFrom: dateOrNull(s.maintenanceFrom, "maintenanceFrom"),
    sessions: count(s.sessions, "sessions"),
  };
}
