/** A person's past sessions as the page shows and exports them: the summary view of one, the history items of many, and their checks. */
import { FieldError } from "../engine/field_error.ts";
import type { SessionSummary } from "./summary.ts";
import { validateSessionSummary } from "./summary_check.ts";

/** One session's summary with its record: what `{type:"summary"}` answers. */
export interface SummaryView extends SessionSummary {
  sessionId: string;
  routine: string;
  /** Epoch ms; endedAt is null while the session runs. */
  startedAt: number;
  endedAt: number | null;
  /** True while the session is still open (the summary so far). */
  live: boolean;
}

/** What every view of a past session names first: which it was, its routine, when, why it ended, output time. */
export interface SessionBasics {
  id: string;
  routine: string;
  /** Epoch ms; endedAt is null while the session runs. */
  startedAt: number;
  endedAt: number | null;
  endReason: string | null;
  /** Whole ms of output, the engine's own count. */
  stimulationMs: number;
}

/** One past session in a history: what `{type:"history"}` lists and the export writes. */
export interface SessionHistoryItem extends SessionBasics {
  maxUa: number;
  /** Whole ms of output per zone ({} when no summary was recorded). */
  zones: Record<string, number>;
  /** Passes done and asked for over the steps reached; completed: the routine ran to its end. */
  passesDone: number;
  passes: number;
  completed: boolean;
}

/** The session record fields a view or item is built from (the store's, the staff view's and central's rows have them). */
export interface SessionRow extends SessionBasics {
  maxCurrentUa: number;
}

/** The summary view of a session: its record, and its summary (the record's end reason wins: a crash sets it). */
export function summaryView(row: SessionRow, summary: SessionSummary, live = false): SummaryView {
  return {
    ...summary,
    endReason: row.endReason ?? summary.endReason,
    sessionId: row.id,
    routine: row.routine,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    live,
  };
}

/** The history item of a session; without a summary (none recorded) its zones and passes are empty. */
export function historyItem(row: SessionRow, summary: SessionSummary | null): SessionHistoryItem {
  const steps = summary?.steps ?? [];
  return {
    id: row.id,
    routine: row.routine,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    endReason: row.endReason ?? summary?.endReason ?? null,
    // The record's total is the engine's count; the summary's is the same count rounded per zone.
    stimulationMs: row.stimulationMs,
    maxUa: row.maxCurrentUa,
    zones: { ...(summary?.zones ?? {}) },
    passesDone: steps.reduce((n, s) => n + s.passesDone, 0),
    passes: steps.reduce((n, s) => n + s.passes, 0),
    completed: summary?.completed ?? false,
  };
}

/** Session ids as the store keeps them: short, URL- and log-safe. */
export const SESSION_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const NAME = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;

function need(ok: boolean, field: string, why: string, value: unknown): void {
  if (!ok) {
    const shown = (JSON.stringify(value) ?? String(value)).slice(0, 80);
    throw new FieldError(field, `field "${field}" ${why}, got ${shown}`);
  }
}
const isTime = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
const isNonNeg = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x >= 0;
const isReason = (x: unknown) => x === null || (typeof x === "string" && x.length > 0 && x.length <= 64);

function record(input: unknown, field: string): Record<string, unknown> {
  need(
    typeof input === "object" && input !== null && !Array.isArray(input),
    field,
    "must be an object",
    input,
  );
  return input as Record<string, unknown>;
}

/** Checks a summary view (a message from the kiosk); throws FieldError naming the field. */
export function validateSummaryView(input: unknown): SummaryView {
  const raw = record(input, "summary");
  const { sessionId, routine, startedAt, endedAt, live, ...rest } = raw;
  need(
    typeof sessionId === "string" && SESSION_ID.test(sessionId),
    "sessionId",
    "must be a session id",
    sessionId,
  );
  need(typeof routine === "string" && NAME.test(routine), "routine", "must be a routine id", routine);
  need(isTime(startedAt), "startedAt", "must be epoch ms", startedAt);
  need(endedAt === null || isTime(endedAt), "endedAt", "must be null or epoch ms", endedAt);
  need(typeof live === "boolean", "live", "must be true or false", live);
  return {
    ...validateSessionSummary(rest),
    sessionId: sessionId as string,
    routine: routine as string,
    startedAt: startedAt as number,
    endedAt: endedAt as number | null,
    live: live as boolean,
  };
}

/** Checks one history item; `field` prefixes the names in errors (e.g. "sessions[3]"). */
export function validateHistoryItem(input: unknown, field = "session"): SessionHistoryItem {
  const r = record(input, field);
  const f = (name: string) => `${field}.${name}`;
  need(typeof r.id === "string" && SESSION_ID.test(r.id), f("id"), "must be a session id", r.id);
  need(
    typeof r.routine === "string" && NAME.test(r.routine),
    f("routine"),
    "must be a routine id",
    r.routine,
  );
  need(isTime(r.startedAt), f("startedAt"), "must be epoch ms", r.startedAt);
  need(r.endedAt === null || isTime(r.endedAt), f("endedAt"), "must be null or epoch ms", r.endedAt);
  need(isReason(r.endReason), f("endReason"), "must be null or a string of 1..64 characters", r.endReason);
  need(isTime(r.stimulationMs), f("stimulationMs"), "must be whole ms ≥ 0", r.stimulationMs);
  need(isNonNeg(r.maxUa), f("maxUa"), "must be a number ≥ 0", r.maxUa);
  const zones = record(r.zones, f("zones"));
  const entries = Object.entries(zones);
  need(entries.length <= 64, f("zones"), "must name at most 64 zones", entries.length);
  for (const [z, ms] of entries) {
    need(NAME.test(z) && isTime(ms), f(`zones.${z}`), "must be whole ms ≥ 0", ms);
  }
  need(isTime(r.passes), f("passes"), "must be a whole number ≥ 0", r.passes);
  need(
    isTime(r.passesDone) && (r.passesDone as number) <= (r.passes as number),
    f("passesDone"),
    "must be 0..passes",
    r.passesDone,
  );
  need(typeof r.completed === "boolean", f("completed"), "must be true or false", r.completed);
  return {
    id: r.id as string,
    routine: r.routine as string,
    startedAt: r.startedAt as number,
    endedAt: r.endedAt as number | null,
    endReason: r.endReason as string | null,
    stimulationMs: r.stimulationMs as number,
    maxUa: r.maxUa as number,
    zones: Object.fromEntries(entries) as Record<string, number>,
    passesDone: r.passesDone as number,
    passes: r.passes as number,
    completed: r.completed as boolean,
  };
}
