/** The store's copy of walk-ins' sessions at the salon's other stations (private to kiosk/store): written checked, read checked. */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { type SessionHistoryItem, validateHistoryItem } from "../../core/session/mod.ts";
import { ID, isTime, need } from "./_check.ts";

/** One cached central session: the station that recorded it and its history item. */
export interface CachedSession {
  stationId: string;
  item: SessionHistoryItem;
}

/** A profile's cached central history: when it was pulled, this station's own id there, and the sessions. */
export interface CachedHistory {
  pulledAt: number;
  /** This station's id in the central store (its own sessions come back from there too). */
  stationId: string;
  sessions: CachedSession[];
}

const STATION = /^[a-z0-9][a-z0-9-]{0,39}$/;
/** Most sessions kept per profile (the central read returns at most 500). */
const MAX_CACHED = 500;

type Run = (sql: string, ...params: SQLInputValue[]) => unknown;

function checkSession(s: unknown, field: string): CachedSession {
  const r = s as Record<string, unknown>;
  need(typeof r === "object" && r !== null, "cache central history", field, s);
  need(
    typeof r.stationId === "string" && STATION.test(r.stationId),
    "cache central history",
    `${field}.stationId`,
    r.stationId,
  );
  return { stationId: r.stationId as string, item: validateHistoryItem(r.item, `${field}.item`) };
}

/** The cache's statements over one open database. */
export function centralCache(db: DatabaseSync, run: Run) {
  return {
    /** Replaces `profileId`'s cached central history (every session checked first; the profile must exist). */
    saveCentralHistory(profileId: string, history: CachedHistory): void {
      const what = "cache central history";
      need(typeof profileId === "string" && ID.test(profileId), what, "profileId", profileId);
      need(isTime(history.pulledAt), what, "pulledAt", history.pulledAt);
      need(
        typeof history.stationId === "string" && STATION.test(history.stationId),
        what,
        "stationId",
        history.stationId,
      );
      need(
        Array.isArray(history.sessions) && history.sessions.length <= MAX_CACHED,
        what,
        "sessions",
        history.sessions?.length,
      );
      const sessions = history.sessions.map((s, i) => checkSession(s, `sessions[${i}]`));
      run(
        `INSERT INTO central_history (profile_id, station_id, pulled_at, sessions) VALUES (?, ?, ?, ?)
         ON CONFLICT(profile_id) DO UPDATE SET station_id = excluded.station_id, pulled_at = excluded.pulled_at,
           sessions = excluded.sessions`,
        profileId,
        history.stationId,
        history.pulledAt,
        JSON.stringify(sessions),
      );
    },
    /** `profileId`'s cached central history, or null when none was pulled. A stored row that fails its check throws. */
    centralHistory(profileId: string): CachedHistory | null {
      const row = db.prepare("SELECT * FROM central_history WHERE profile_id = ?").get(profileId) as
        | Record<string, SQLInputValue>
        | undefined;
      if (!row) return null;
      const list = JSON.parse(String(row.sessions));
      need(Array.isArray(list), "read central history", "sessions", typeof list);
      return {
        pulledAt: Number(row.pulled_at),
        stationId: String(row.station_id),
        sessions: (list as unknown[]).map((s, i) => checkSession(s, `sessions[${i}]`)),
      };
    },
  };
}
