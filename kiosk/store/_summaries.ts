/** Session summaries in the store (private to kiosk/store): writes checked first, rows checked on the way out. */
import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { type SessionSummary, validateSessionSummary } from "../../core/session/mod.ts";
import { clampLimit, ID, need, toSession } from "./_check.ts";
import type { SessionRecord } from "./records.ts";

/** A session with its profile and its summary, as read back. */
export interface StoredSummary {
  session: SessionRecord;
  /** The profile the session belongs to, or null (an anonymous session). */
  profileId: string | null;
  /** Null when none was written, or when the stored one fails its check (then `summaryError` says why). */
  summary: SessionSummary | null;
  summaryError?: string;
}

type Run = (sql: string, ...params: SQLInputValue[]) => unknown;

/** The summary statements over one open database. */
export function summaryRecords(db: DatabaseSync, run: Run) {
  const all = (sql: string, ...params: SQLInputValue[]) =>
    db.prepare(sql).all(...params) as Record<string, SQLInputValue>[];

  function read(row: Record<string, SQLInputValue>): StoredSummary {
    const out: StoredSummary = {
      session: toSession(row),
      profileId: row.profile_id === null || row.profile_id === undefined ? null : String(row.profile_id),
      summary: null,
    };
    if (row.summary === null || row.summary === undefined) return out;
    try {
      out.summary = validateSessionSummary(JSON.parse(String(row.summary)));
    } catch (error) {
      // A row this build cannot read is reported, never passed on as if it were good.
      out.summaryError = error instanceof Error ? error.message : String(error);
    }
    return out;
  }

  const SELECT = `SELECT sessions.*, session_summaries.summary FROM sessions
    LEFT JOIN session_summaries ON session_summaries.session_id = sessions.id`;

  return {
    /** Writes (or replaces) a session's summary; the session must exist. Throws TypeError for bad input. */
    saveSummary(sessionId: string, summary: SessionSummary): void {
      const what = "save session summary";
      need(typeof sessionId === "string" && ID.test(sessionId), what, "session id", sessionId);
      let text: string;
      try {
        text = JSON.stringify(validateSessionSummary(summary));
      } catch (error) {
        throw new TypeError(`Cannot ${what}: ${error instanceof Error ? error.message : error}`);
      }
      if (all("SELECT 1 FROM sessions WHERE id = ?", sessionId).length === 0) {
        throw new TypeError(`Cannot ${what}: no session "${sessionId}"`);
      }
      run(
        `INSERT INTO session_summaries (session_id, summary) VALUES (?, ?)
         ON CONFLICT(session_id) DO UPDATE SET summary = excluded.summary`,
        sessionId,
        text,
      );
    },
    /** A session with its profile and summary, or null when there is no such session. */
    summary(sessionId: string): StoredSummary | null {
      if (typeof sessionId !== "string" || !ID.test(sessionId)) return null;
      const row = all(`${SELECT} WHERE sessions.id = ?`, sessionId)[0];
      return row ? read(row) : null;
    },
    /** A profile's sessions, most recent first (at most `limit`, default 50, up to 1000). */
    profileSessions(profileId: string, options: { limit?: number } = {}): StoredSummary[] {
      need(
        typeof profileId === "string" && ID.test(profileId),
        "list profile sessions",
        "profile id",
        profileId,
      );
      const limit = clampLimit(options.limit);
      return all(
        `${SELECT} WHERE sessions.profile_id = ? ORDER BY sessions.started_at DESC, sessions.rowid DESC LIMIT ?`,
        profileId,
        limit,
      ).map(read);
    },
  };
}
