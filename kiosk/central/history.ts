/**
 * A walk-in client's history read from the central store at any station of their salon (row-level security keeps
 * it to the salon): the profiles with that client code, and their sessions with summaries, newest first.
 */
import type { Sql } from "postgres";
import type { SessionRow } from "../../core/session/mod.ts";

/** One session of the client's history, from whichever station of the salon recorded it. */
export interface CentralSessionItem extends SessionRow {
  stationId: string;
  /** The session summary as the station wrote it, or null. */
  summary: unknown;
}

/** A client's central history. */
export interface CentralHistory {
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

/** Reads the history of walk-in `code` (profiles.name) as the connected station sees it. */
export async function readClientHistory(sql: Sql, code: string, limit = 50): Promise<CentralHistory> {
  if (typeof code !== "string" || !CLIENT_CODE.test(code)) {
    throw new TypeError(`Cannot read client history: invalid code ${JSON.stringify(code) ?? String(code)}`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new RangeError(`Cannot read client history: limit must be 1..500, got ${limit}`);
  }
  const profiles = await sql`SELECT id, station_id, language, exclusions, max_comfort FROM glidepath.profiles
    WHERE kind = 'walk-in' AND name = ${code} AND deleted_at IS NULL ORDER BY created_at`;
  if (profiles.length === 0) return { profiles: [], sessions: [] };
  const ids = profiles.map((p) => String(p.id));
  const ms = (d: unknown) => d === null ? null : (d as Date).getTime();
  const sessions = await sql`SELECT s.station_id, s.id, s.routine, s.started_at, s.ended_at, s.end_reason,
      s.stimulation_ms, s.max_current_ua, ss.summary
    FROM glidepath.sessions s
    LEFT JOIN glidepath.session_summaries ss ON ss.station_id = s.station_id AND ss.session_id = s.id
    WHERE s.profile_id IN (SELECT jsonb_array_elements_text(${sql.json(ids)}))
    ORDER BY s.started_at DESC LIMIT ${limit}`;
  return {
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
