/**
 * A walk-in client's history read from the central store at any station of their salon (row-level security keeps
 * it to the salon): the profiles with that client code, and their sessions with summaries, newest first; and the
 * checks a station runs on that answer (outside input) before it caches it or adopts a profile's safety settings.
 */
import type { Sql } from "postgres";
import {
  historyItem,
  SESSION_ID,
  type SessionHistoryItem,
  type SessionRow,
  type SessionSummary,
  validateHistoryItem,
} from "../../core/session/mod.ts";

/** One session of the client's history, from whichever station of the salon recorded it. */
export interface CentralSessionItem extends SessionRow {
  stationId: string;
  /**
   * The parts of the session's summary a history shows (`zones`, `steps` as `{passes, passesDone}`, `completed`,
   * `endReason`), as the station wrote them (unchecked), or null; the chart's series and coverage stay central.
   */
  summary: unknown;
}

/** A client's central history. */
export interface CentralHistory {
  /** The asking station's own id (its sessions come back too, once replicated). */
  stationId: string;
  /** The salon's walk-in profiles with this code (normally one; one per station before ids are shared). */
  profiles: {
    id: string;
    stationId: string;
    language: string;
    exclusions: string[];
    maxComfort: number | null;
  }[];
  sessions: CentralSessionItem[];
}

/** Client codes: short, as typed at the station. */
export const CLIENT_CODE = /^[A-Za-z0-9-]{1,32}$/;

/**
 * Reads the history of walk-in `code` (profiles.name) as the connected station sees it: at most `limit` sessions
 * (default a year of daily ones, as many as a station's own history lists).
 */
export async function readClientHistory(sql: Sql, code: string, limit = 365): Promise<CentralHistory> {
  if (typeof code !== "string" || !CLIENT_CODE.test(code)) {
    throw new TypeError(`Cannot read client history: invalid code ${JSON.stringify(code) ?? String(code)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new RangeError(`Cannot read client history: limit must be 1..500, got ${limit}`);
  }
  // Row-level security keeps a station to its salon; the queries say so again (as the approvals pull does), so a
  // misconfigured policy could not show another salon's client who happens to use the same short code.
  const [me] = await sql`SELECT glidepath.my_station() AS id`;
  const stationId = String(me?.id ?? "");
  const profiles = await sql`SELECT id, station_id, language, exclusions, max_comfort FROM glidepath.profiles
    WHERE kind = 'walk-in' AND name = ${code} AND deleted_at IS NULL
      AND salon_id = (SELECT glidepath.my_salon()) ORDER BY created_at`;
  if (profiles.length === 0) return { stationId, profiles: [], sessions: [] };
  const ids = profiles.map((p) => String(p.id));
  const ms = (d: unknown) => d === null ? null : (d as Date).getTime();
  const sessions = await sql`SELECT s.station_id, s.id, s.routine, s.started_at, s.ended_at, s.end_reason,
      s.stimulation_ms, s.max_current_ua, CASE WHEN ss.summary IS NOT NULL THEN jsonb_build_object(
        'zones', ss.summary -> 'zones', 'completed', ss.summary -> 'completed', 'endReason', ss.summary -> 'endReason',
        'steps', CASE WHEN jsonb_typeof(ss.summary -> 'steps') = 'array' THEN (SELECT coalesce(jsonb_agg(
          jsonb_build_object('passes', st -> 'passes', 'passesDone', st -> 'passesDone')), '[]')
          FROM jsonb_array_elements(ss.summary -> 'steps') AS st) ELSE ss.summary -> 'steps' END) END AS summary
    FROM glidepath.sessions s
    LEFT JOIN glidepath.session_summaries ss ON ss.station_id = s.station_id AND ss.session_id = s.id
    WHERE s.profile_id IN (SELECT jsonb_array_elements_text(${sql.json(ids)}))
      AND s.salon_id = (SELECT glidepath.my_salon())
    ORDER BY s.started_at DESC LIMIT ${limit}`;
  return {
    stationId,
    profiles: profiles.map((p) => ({
      id: String(p.id),
      stationId: String(p.station_id),
      language: String(p.language),
      exclusions: p.exclusions as string[],
      maxComfort: p.max_comfort === null ? null : Number(p.max_comfort),
    })),
    sessions: sessions.map((s) => ({
      stationId: String(s.station_id),
      id: String(s.id),
      routine: String(s.routine),
      startedAt: ms(s.started_at)!,
      endedAt: ms(s.ended_at),
      endReason: s.end_reason === null ? null : String(s.end_reason),
      stimulationMs: Number(s.stimulation_ms),
      maxCurrentUa: Number(s.max_current_ua),
      summary: s.summary ?? null,
    })),
  };
}

/** A central session checked: the station that recorded it and the history item the page shows. */
export interface CentralItem {
  stationId: string;
  item: SessionHistoryItem;
}

/** A profile's safety and language settings: what a walk-in new to a station takes from the salon's copies. */
export interface ProfilePrefs {
  language: "en" | "es";
  exclusions: string[];
  maxComfort: number | null;
}

/** A central answer after its checks: what may be cached and adopted, and why any row was left out. */
export interface CheckedHistory {
  stationId: string;
  profiles: (ProfilePrefs & { id: string; stationId: string })[];
  sessions: CentralItem[];
  /** One line per row left out, naming the row and the field. */
  dropped: string[];
}

const STATION = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ZONE = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** Most rows taken from one answer (readClientHistory returns at most 500 sessions). */
const MAX_ROWS = 500;

function fieldError(field: string, value: unknown): TypeError {
  const shown = (JSON.stringify(value) ?? String(value)).slice(0, 80);
  return new TypeError(`field "${field}" is invalid, got ${shown}`);
}

function rows(raw: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const list = raw[key];
  if (!Array.isArray(list) || list.length > MAX_ROWS) {
    throw new TypeError(
      `Cannot check the central history: field "${key}" must be an array of at most ${MAX_ROWS}`,
    );
  }
  return list;
}

function checkProfile(r: Record<string, unknown>): CheckedHistory["profiles"][number] {
  if (typeof r !== "object" || r === null) throw fieldError("profile", r);
  if (typeof r.id !== "string" || !SESSION_ID.test(r.id)) throw fieldError("id", r.id);
  if (typeof r.stationId !== "string" || !STATION.test(r.stationId)) {
    throw fieldError("stationId", r.stationId);
  }
  const ex = r.exclusions;
  if (!Array.isArray(ex) || ex.length > 64 || !ex.every((z) => typeof z === "string" && ZONE.test(z))) {
    throw fieldError("exclusions", ex);
  }
  const max = r.maxComfort;
  if (max !== null && !(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= 10)) {
    throw fieldError("maxComfort", max);
  }
  // A language this build does not speak reads as English, as a stored profile's does.
  const language = r.language === "es" ? "es" : "en";
  return {
    id: r.id,
    stationId: r.stationId,
    language,
    exclusions: [...new Set(ex as string[])],
    maxComfort: max as number | null,
  };
}

/**
 * The summary parts a history item is built from, checked (zone times whole ms ≥ 0, passes whole and done ≤ asked,
 * completed a boolean); typed as a summary for historyItem, which reads nothing else.
 */
function shownParts(input: unknown): SessionSummary {
  const s = input as Record<string, unknown>;
  if (typeof s !== "object" || s === null || Array.isArray(s)) throw fieldError("summary", input);
  const zones = s.zones as Record<string, unknown>;
  if (typeof zones !== "object" || zones === null || Array.isArray(zones) || Object.keys(zones).length > 64) {
    throw fieldError("summary.zones", zones);
  }
  for (const [z, ms] of Object.entries(zones)) {
    if (!ZONE.test(z) || !Number.isSafeInteger(ms) || (ms as number) < 0) {
      throw fieldError(`summary.zones.${z}`, ms);
    }
  }
  const steps = s.steps as Record<string, unknown>[];
  if (!Array.isArray(steps) || steps.length > 256) throw fieldError("summary.steps", steps);
  for (const [i, st] of steps.entries()) {
    const ok = typeof st === "object" && st !== null && Number.isSafeInteger(st.passes) &&
      Number.isSafeInteger(st.passesDone) && (st.passesDone as number) >= 0 &&
      (st.passesDone as number) <= (st.passes as number);
    if (!ok) throw fieldError(`summary.steps[${i}]`, st);
  }
  if (typeof s.completed !== "boolean") throw fieldError("summary.completed", s.completed);
  if (s.endReason !== null && !(typeof s.endReason === "string" && s.endReason.length <= 64)) {
    throw fieldError("summary.endReason", s.endReason);
  }
  return s as unknown as SessionSummary;
}

function checkSession(r: Record<string, unknown>): CentralItem & { summaryDropped?: string } {
  if (typeof r !== "object" || r === null) throw fieldError("session", r);
  if (typeof r.stationId !== "string" || !STATION.test(r.stationId)) {
    throw fieldError("stationId", r.stationId);
  }
  let summary: SessionSummary | null = null;
  let summaryDropped: string | undefined;
  if (r.summary !== null && r.summary !== undefined) {
    try {
      summary = shownParts(r.summary);
    } catch (error) {
      // The session still counts; only its details (areas, passes) are left out.
      summaryDropped = error instanceof Error ? error.message : String(error);
    }
  }
  // The row is taken as it came: validateHistoryItem then checks every field of the item built from it (ids,
  // times, totals) and names the first bad one.
  const item = validateHistoryItem(historyItem(r as unknown as SessionRow, summary), "session");
  return { stationId: r.stationId, item, ...(summaryDropped ? { summaryDropped } : {}) };
}

/**
 * Checks a central answer (readClientHistory's shape, but outside input): the asking station's id must be there;
 * a profile or session row that fails a check is left out (named in `dropped`), the rest kept.
 */
export function checkCentralHistory(input: unknown): CheckedHistory {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(
      `Cannot check the central history: it must be an object, got ${JSON.stringify(input)}`,
    );
  }
  const raw = input as Record<string, unknown>;
  if (typeof raw.stationId !== "string" || !STATION.test(raw.stationId)) {
    throw new TypeError(
      `Cannot check the central history: ${fieldError("stationId", raw.stationId).message}`,
    );
  }
  const out: CheckedHistory = { stationId: raw.stationId, profiles: [], sessions: [], dropped: [] };
  for (const [i, r] of rows(raw, "profiles").entries()) {
    try {
      out.profiles.push(checkProfile(r));
    } catch (error) {
      out.dropped.push(`central profile ${i} left out: ${(error as Error).message}`);
    }
  }
  for (const [i, r] of rows(raw, "sessions").entries()) {
    try {
      const { summaryDropped, ...checked } = checkSession(r);
      if (summaryDropped) out.dropped.push(`central session ${i}: summary left out: ${summaryDropped}`);
      out.sessions.push(checked);
    } catch (error) {
      out.dropped.push(`central session ${i} left out: ${(error as Error).message}`);
    }
  }
  return out;
}

/**
 * A walk-in new to this station takes the salon's copies of their profile: every exclusion any copy has (those
 * this station knows as treatment zones), the lowest level ceiling, and the newest copy's language. It can only
 * lower output: never fewer exclusions, never a higher ceiling than `local` or any copy. Pure.
 */
export function adoptCentral(
  local: ProfilePrefs,
  copies: readonly ProfilePrefs[],
  treatmentZones: ReadonlySet<string>,
): ProfilePrefs {
  const exclusions = [...local.exclusions];
  for (const c of copies) {
    for (const z of c.exclusions) if (treatmentZones.has(z) && !exclusions.includes(z)) exclusions.push(z);
  }
  const ceilings = [local, ...copies].map((p) => p.maxComfort).filter((x): x is number => x !== null);
  return {
    language: copies.at(-1)?.language ?? local.language,
    exclusions,
    maxComfort: ceilings.length > 0 ? Math.min(...ceilings) : null,
  };
}
