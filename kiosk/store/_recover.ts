/** Closes the sessions a crash left open (private to kiosk/store). */
import type { DatabaseSync, SQLInputValue, StatementResultingChanges } from "node:sqlite";
import type { CrashedSession } from "./records.ts";

/**
 * Ends every open session as `crashed` at its last checkpoint (its start if none came) with the checkpoint's
 * totals, and audits each, in one transaction: all of them are closed and audited, or none.
 */
export function closeCrashed(
  db: DatabaseSync,
  run: (sql: string, ...params: SQLInputValue[]) => StatementResultingChanges,
  at: number,
): CrashedSession[] {
  const rows = db.prepare(
    "SELECT id, started_at, checkpoint_at, stimulation_ms, max_current_ua FROM sessions WHERE ended_at IS NULL ORDER BY rowid",
  ).all() as Record<string, SQLInputValue>[];
  const closed = rows.map((r) => ({
    id: String(r.id),
    endedAt: Number(r.checkpoint_at ?? r.started_at),
    stimulationMs: Number(r.stimulation_ms),
    maxCurrentUa: Number(r.max_current_ua),
  }));
  if (closed.length === 0) return closed;
  run("BEGIN IMMEDIATE");
  try {
    for (const s of closed) {
      run("UPDATE sessions SET ended_at = ?, end_reason = 'crashed' WHERE id = ?", s.endedAt, s.id);
      run(
        "INSERT INTO audit_log (at, action, actor, session_id, detail) VALUES (?, 'crashed', 'runtime', ?, ?)",
        at,
        s.id,
        JSON.stringify({
          lastCheckpointAt: s.endedAt,
          stimulationMs: s.stimulationMs,
          maxCurrentUa: s.maxCurrentUa,
        }),
      );
    }
    run("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
  return closed;
}
