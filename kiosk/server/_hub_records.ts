/**
 * The hub's answers about past sessions: `{type:"summary", sessionId?}` and `{type:"history"}`, checked and scoped
 * to the asking socket; a walk-in's history merges the salon's other stations' sessions cached from the central store.
 */
import {
  historyItem,
  scheduleFor,
  SESSION_ID,
  type SessionHistoryItem,
  type SessionSummary,
  summaryView,
} from "../../core/session/mod.ts";
import type { CachedHistory, StoredSummary } from "../store/mod.ts";
import type { ControlReply } from "./_hub_control.ts";
import type { SocketRole } from "./page_message.ts";

/** Where the answers come from (the store satisfies it). */
export interface SummarySource {
  summary(sessionId: string): StoredSummary | null;
  profileSessions(profileId: string, options?: { limit?: number }): StoredSummary[];
  /** A walk-in's cached sessions at the salon's other stations (a station with a central store). Default: none. */
  centralHistory?(profileId: string): CachedHistory | null;
}

/** A history item with the station that recorded it: null for this station, else its id in the salon. */
export type StationHistoryItem = SessionHistoryItem & { station: string | null };

/**
 * This station's sessions and the cached central ones, newest first, each once: a central copy of a session this
 * station recorded (same station, same id) is left out; the station's older sessions (a replaced database) stay.
 */
export function mergeHistory(
  local: readonly SessionHistoryItem[],
  cached: CachedHistory | null,
  limit = HISTORY_LIMIT,
): StationHistoryItem[] {
  const mine = new Set(local.map((s) => s.id));
  const merged: StationHistoryItem[] = local.map((s) => ({ ...s, station: null }));
  for (const c of cached?.sessions ?? []) {
    const here = c.stationId === cached!.stationId;
    if (here && mine.has(c.item.id)) continue;
    merged.push({ ...c.item, station: here ? null : c.stationId });
  }
  return merged.sort((a, b) => b.startedAt - a.startedAt).slice(0, limit);
}

/** The asking socket, as far as these answers care. */
export interface Asker {
  role: SocketRole;
  /** The profile the socket selected (profile-select), or null. */
  profileId: string | null;
  /** The session this socket last started, or null. */
  lastSessionId: string | null;
  /** The summary key the hub gave with each recent page start's ack, by session id. */
  keys: ReadonlyMap<string, string>;
}

/** Summary keys the hub keeps (the most recent page starts); a page reads its summary within minutes. */
export const MAX_SUMMARY_KEYS = 64;
/** A summary key: what the hub makes (a random UUID), checked before it is compared. */
const KEY = /^[0-9a-f-]{36}$/;

/** Equal strings, compared in time that does not depend on where they differ. */
function sameKey(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Sessions a history lists at most: a year of daily sessions. */
export const HISTORY_LIMIT = 365;

function refuse(of: string, field: string, message: string): ControlReply {
  return { refused: true, body: { type: "error", of, field, message } };
}

/** The first field of `raw` that a request of this type does not have, as a refusal; null when none. */
function unknownField(
  raw: Record<string, unknown>,
  of: string,
  allowed: readonly string[],
): ControlReply | null {
  const extra = Object.keys(raw).find((k) => k !== "type" && !allowed.includes(k));
  return extra === undefined ? null : refuse(
    of,
    extra,
    `field "${extra}" is not part of a ${of} request (fields: ${allowed.join(", ") || "none"})`,
  );
}

/**
 * `{type:"summary", sessionId?, key?}` → `{type:"summary", summary: SummaryView}`. Without a sessionId, the session
 * this socket last started. A socket may read a session it started, one whose summary key it holds (the start's
 * ack gave it to the page that started the session, which may have swapped its socket since), one of its selected
 * profile, or any as an operator; every other id (and an unknown one) gets the same refusal, so ids cannot be
 * probed. The open session answers with its summary so far (`live: true`).
 */
export function answerSummary(
  raw: Record<string, unknown>,
  source: SummarySource | undefined,
  asker: Asker,
  live: () => { sessionId: string; summary: SessionSummary } | null,
): ControlReply {
  const extra = unknownField(raw, "summary", ["sessionId", "key"]);
  if (extra) return extra;
  if (raw.key !== undefined && (typeof raw.key !== "string" || !KEY.test(raw.key))) {
    return refuse(
      "summary",
      "key",
      `field "key" must be the summary key of a start's ack, got ${JSON.stringify(raw.key)?.slice(0, 80)}`,
    );
  }
  const given = raw.sessionId;
  if (given !== undefined && (typeof given !== "string" || !SESSION_ID.test(given))) {
    return refuse(
      "summary",
      "sessionId",
      `field "sessionId" must be a session id (1..64 of A-Z a-z 0-9 _ . : -), got ${
        JSON.stringify(given)?.slice(0, 80)
      }`,
    );
  }
  const id = (given as string | undefined) ?? asker.lastSessionId;
  if (id === null) {
    return refuse(
      "summary",
      "sessionId",
      'this page has started no session: name one with field "sessionId"',
    );
  }
  if (!source) return refuse("summary", "sessionId", "this kiosk keeps no session records");
  const row = source.summary(id);
  const allowed = row !== null &&
    (id === asker.lastSessionId || asker.role === "operator" ||
      (typeof raw.key === "string" && sameKey(asker.keys.get(id) ?? "", raw.key)) ||
      (row.profileId !== null && row.profileId === asker.profileId));
  if (!row || !allowed) {
    return refuse(
      "summary",
      "sessionId",
      `field "sessionId": no session "${id}" of this page or its profile`,
    );
  }
  const now = live();
  if (now?.sessionId === id) {
    return {
      refused: false,
      body: { type: "summary", summary: summaryView(row.session, now.summary, true) },
    };
  }
  if (!row.summary) {
    const why = row.summaryError
      ? `its summary cannot be read (${row.summaryError})`
      : "no summary was recorded";
    return refuse("summary", "sessionId", `session "${id}": ${why}`);
  }
  return { refused: false, body: { type: "summary", summary: summaryView(row.session, row.summary) } };
}

/**
 * `{type:"history", utcOffsetMin?}` → `{type:"history", profileId, sessions, schedule}` for the socket's selected
 * profile (most recent first, at most HISTORY_LIMIT). `utcOffsetMin` (the page's local time minus UTC) sets
 * which calendar day and week a session falls in; default the kiosk's own.
 */
export function answerHistory(
  raw: Record<string, unknown>,
  source: SummarySource | undefined,
  asker: Asker,
  now: number,
): ControlReply {
  const extra = unknownField(raw, "history", ["utcOffsetMin"]);
  if (extra) return extra;
  const offset = raw.utcOffsetMin ?? -new Date(now).getTimezoneOffset();
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < -720 || offset > 840) {
    return refuse(
      "history",
      "utcOffsetMin",
      `field "utcOffsetMin" must be whole minutes from -720 to 840, got ${
        JSON.stringify(offset)?.slice(0, 40)
      }`,
    );
  }
  if (asker.profileId === null) {
    return refuse("history", "profile", "a history belongs to a profile: select one first (profile-select)");
  }
  if (!source) return refuse("history", "profile", "this kiosk keeps no session records");
  const local = source.profileSessions(asker.profileId, { limit: HISTORY_LIMIT })
    .map((r) => historyItem(r.session, r.summary));
  let cached: CachedHistory | null = null;
  try {
    cached = source.centralHistory?.(asker.profileId) ?? null;
  } catch (error) {
    // A cache this build cannot read is not shown; this station's own sessions still are.
    console.error(
      `history: cached central history not read: ${error instanceof Error ? error.message : error}`,
    );
  }
  const sessions = mergeHistory(local, cached);
  const schedule = scheduleFor(sessions, { now, utcOffsetMin: offset });
  const central = cached && { pulledAt: cached.pulledAt };
  return {
    refused: false,
    body: { type: "history", profileId: asker.profileId, sessions, schedule, central },
  };
}
