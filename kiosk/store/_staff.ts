/** The staff view's reads (private to kiosk/store): one day's sessions with whose they were, and the audit log by pages. */
import type { SQLInputValue } from "node:sqlite";
import type { NumberedAuditEntry, StationSession } from "./records.ts";
import { isTime, need, toAudit, toSession } from "./_check.ts";

type All = (sql: string, ...params: SQLInputValue[]) => Record<string, SQLInputValue>[];

/** Most sessions one staffSessions call returns (a salon day is tens). */
export const MAX_STAFF_SESSIONS = 1000;
/** Most audit entries one auditPage call returns. */
export const MAX_AUDIT_PAGE = 200;

/** Sessions started in [from, to), newest first, each with its profile (null for none or an unknown id). */
export function staffSessions(
  all: All,
  range: { from: number; to: number; limit?: number },
): StationSession[] {
  const what = "list sessions";
  need(isTime(range.from), what, "from", range.from);
  need(isTime(range.to) && range.to >= range.from, what, "to", range.to);
  const limit = range.limit ?? MAX_STAFF_SESSIONS;
  need(Number.isInteger(limit) && limit >= 1 && limit <= MAX_STAFF_SESSIONS, what, "limit", limit);
  const rows = all(
    `SELECT s.*, p.id AS p_id, p.kind AS p_kind, p.name AS p_name
       FROM sessions s LEFT JOIN profiles p ON p.id = s.profile_id
      WHERE s.started_at >= ? AND s.started_at < ?
      ORDER BY s.started_at DESC, s.rowid DESC LIMIT ?`,
    range.from,
    range.to,
    limit,
  );
  return rows.map((r) => ({
    ...toSession(r),
    profile: r.p_id === null || r.p_id === undefined
      ? null
      : { id: String(r.p_id), kind: r.p_kind === "walk-in" ? "walk-in" : "home", name: String(r.p_name) },
  }));
}

/** Audit entries with an id below `before` (all when absent), newest first. */
export function auditPage(all: All, options: { before?: number; limit?: number }): NumberedAuditEntry[] {
  const what = "list audit entries";
  const { before } = options;
  need(before === undefined || (Number.isSafeInteger(before) && before >= 1), what, "before", before);
  const limit = options.limit ?? 25;
  need(Number.isInteger(limit) && limit >= 1 && limit <= MAX_AUDIT_PAGE, what, "limit", limit);
  return all(
    "SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?",
    before ?? Number.MAX_SAFE_INTEGER,
    limit,
  ).map((r) => ({ id: Number(r.id), ...toAudit(r) }));
}
