/**
 * The dashboard's reads and its one write, each inside a transaction scoped to the signed-in staff member: the
 * transaction-local setting `glidepath.staff` names them and the central policies (schema step 4) show only their
 * salon's rows. The queries filter by salon too; the policies are there for the day one forgets.
 */
import type postgres from "postgres";
import type { Sql, TransactionSql } from "postgres";
import { DEFAULT_HEARTBEAT_MS } from "../replicator.ts";
import { readStationStatus, type StationStatus, STATUS_MAX_BYTES } from "../station_status.ts";
import type { ApprovalRequest, RevokeRequest } from "./approvals.ts";
import {
  type ApprovalRow as CentralApprovalRow,
  insertApproval as insertCentralApproval,
} from "../approvals.ts";
import { type AuditCursor, encodeCursor } from "./_params.ts";

/** Whose rows a transaction may see: a salon id, or "*" for chain staff. */
export type Scope = string;

/**
 * Runs `fn` in a transaction as `login`. Resolves null when PostgreSQL knows no enabled staff member of that
 * login (disabled since sign-in): the caller then ends the session.
 */
export async function asStaff<T>(
  sql: Sql,
  login: string,
  fn: (tx: TransactionSql, scope: Scope) => Promise<T>,
): Promise<T | null> {
  return await sql.begin(async (tx) => {
    const [row] =
      await tx`SELECT set_config('glidepath.staff', ${login}, true), glidepath.staff_scope() AS scope`;
    const scope = row?.scope as string | null | undefined;
    if (!scope) return null;
    return await fn(tx, scope);
  }) as T | null;
}

/** The staff row a sign-in checks (no scope yet): its verifier and salon, or null when unknown or disabled. */
export async function staffForLogin(
  sql: Sql,
  login: string,
): Promise<{ salon: string | null; verifier: string } | null> {
  const [row] =
    await sql`SELECT salon_id, verifier FROM glidepath.staff WHERE login = ${login} AND disabled_at IS NULL`;
  return row ? { salon: row.salon_id as string | null, verifier: String(row.verifier) } : null;
}

/** A station as the dashboard lists it. */
export interface StationRow {
  id: string;
  salon: string;
  /** ISO time of the last contact, or null (never). */
  lastSeenAt: string | null;
  /** ms since the last contact, on the database's clock. */
  ageMs: number | null;
  /** Contacted within twice its heartbeat. */
  online: boolean;
  shippedSeq: number;
  status: StationStatus;
}

/** Whether a station that last made contact `ageMs` ago (null: never) counts as online. */
export function isOnline(ageMs: number | null, heartbeatMs: number | null): boolean {
  return ageMs !== null && ageMs <= 2 * (heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
}

const inScope = (tx: TransactionSql, scope: Scope) => scope === "*" ? tx`` : tx`AND salon_id = ${scope}`;

// What the dashboard reads of the text a station wrote. A station's rows are outside input: a stolen station
// credential can write a megabyte where a routine id belongs, and every staff page would then carry it.
const TEXT_READ = 200;
// A status over this (4 times what describeStation ever builds, for jsonb's own spacing) is not read at all.
const STATUS_READ_BYTES = 4 * STATUS_MAX_BYTES;

/** Every station in scope with its reported status (one far over the station's own bound reads as unreported). */
export async function listStations(tx: TransactionSql, scope: Scope): Promise<StationRow[]> {
  const rows = await tx`
    SELECT id, salon_id, last_seen_at, shipped_seq,
           CASE WHEN octet_length(status::text) <= ${STATUS_READ_BYTES} THEN status END AS status,
           (extract(epoch FROM clock_timestamp() - last_seen_at) * 1000)::float8 AS age_ms
    FROM glidepath.stations WHERE true ${inScope(tx, scope)} ORDER BY salon_id, id`;
  return rows.map((r) => {
    const status = readStationStatus(r.status);
    const ageMs = r.age_ms === null ? null : Math.max(0, Math.round(Number(r.age_ms)));
    return {
      id: String(r.id),
      salon: String(r.salon_id),
      lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at).toISOString() : null,
      ageMs,
      online: isOnline(ageMs, status.heartbeatMs),
      shippedSeq: Number(r.shipped_seq),
      status,
    };
  });
}

/** One page of a list, newest first. */
export interface Page<T> {
  rows: T[];
  /** The `page` token of the next (older) page; null on the last. */
  next: string | null;
}

/** A session as the dashboard lists it. */
export interface SessionRow {
  station: string;
  salon: string;
  id: string;
  routine: string;
  startedAt: string;
  endedAt: string | null;
  endReason: string | null;
  stimulationMs: number;
}

/** Page size of the sessions and audit lists. */
export const PAGE_SIZE = 50;

const stationFilter = (tx: TransactionSql, station: string | null) =>
  station === null ? tx`` : tx`AND station_id = ${station}`;
// One row more than a page tells whether another page follows.
const pageLimit = (tx: TransactionSql, page: number) => tx`LIMIT ${PAGE_SIZE + 1} OFFSET ${page * PAGE_SIZE}`;
// Rows come shaped by the SQL's aliases; timestamps leave as ISO text, as the API documents them.
const plain = (r: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));

/** The first PAGE_SIZE rows, and the next page's token from the last of them when one more row came. */
function paged<T>(
  rows: readonly Record<string, unknown>[],
  next: (last: Record<string, unknown>) => string,
): Page<T> {
  const shown = rows.slice(0, PAGE_SIZE);
  return { rows: shown.map(plain) as T[], next: rows.length > PAGE_SIZE ? next(shown.at(-1)!) : null };
}

/** Sessions started in [from, to), optionally at one station; screening answers are never read. */
export async function listSessions(
  tx: TransactionSql,
  scope: Scope,
  q: { from: Date; to: Date; station: string | null; page: number },
): Promise<Page<SessionRow>> {
  const where = tx`started_at >= ${q.from} AND started_at < ${q.to} ${inScope(tx, scope)}`;
  const rows = await tx`
    SELECT station_id AS station, salon_id AS salon, left(id, ${TEXT_READ}) AS id,
           left(routine, ${TEXT_READ}) AS routine, started_at AS "startedAt", ended_at AS "endedAt",
           left(end_reason, ${TEXT_READ}) AS "endReason", stimulation_ms::float8 AS "stimulationMs"
    FROM glidepath.sessions WHERE ${where} ${stationFilter(tx, q.station)}
    ORDER BY started_at DESC, station_id DESC, id DESC ${pageLimit(tx, q.page)}`;
  return paged(rows, () => String(q.page + 1));
}

/** An audit entry as the dashboard lists it (detail as compact JSON, cut to 300 characters). */
export interface AuditRow {
  station: string;
  /** The entry's id at its station. */
  id: string;
  at: string;
  action: string;
  actor: string;
  sessionId: string | null;
  detail: string;
}

/**
 * The audit log across the stations in scope, newest first, optionally of one station: the page after `before`
 * (a keyset, so a page far back costs what the first does), the next page's token from its last entry.
 */
export async function listAudit(
  tx: TransactionSql,
  scope: Scope,
  q: { station: string | null; before: AuditCursor | null },
): Promise<Page<AuditRow>> {
  const b = q.before;
  const after = b ? tx`AND (at, station_id, id) < (${b.at}::timestamptz, ${b.station}, ${b.id})` : tx``;
  const rows = await tx`
    SELECT station_id AS station, left(id, ${TEXT_READ}) AS id, at,
           to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt",
           left(action, ${TEXT_READ}) AS action, left(actor, ${TEXT_READ}) AS actor,
           left(session_id, ${TEXT_READ}) AS "sessionId", left(detail::text, 300) AS detail
    FROM glidepath.audit_log WHERE true ${inScope(tx, scope)} ${stationFilter(tx, q.station)} ${after}
    ORDER BY at DESC, station_id DESC, id DESC LIMIT ${PAGE_SIZE + 1}`;
  const page = paged<AuditRow & { cursorAt?: string }>(
    rows,
    (last) => encodeCursor({ at: String(last.cursorAt), station: String(last.station), id: String(last.id) }),
  );
  for (const r of page.rows) delete r.cursorAt;
  return page;
}

/** The decision in force for one plugin in one scope (salon, or null for the chain). */
export interface ApprovalRow {
  salon: string | null;
  id: string;
  enabled: boolean;
  version: string;
  permissions: Record<string, string[]>;
  filesHash: string;
  decidedBy: string;
  decidedAt: string;
}

// An approval row as the API shows it.
const APPROVAL =
  `salon_id AS salon, plugin_id AS id, enabled, version, permissions, files_hash AS "filesHash",
  decided_by AS "decidedBy", decided_at AS "decidedAt"`;

/** The newest decision per plugin and scope that the staff member may see (the chain's and their salon's). */
export async function listApprovals(tx: TransactionSql, scope: Scope): Promise<ApprovalRow[]> {
  const rows = await tx.unsafe(
    `SELECT DISTINCT ON (plugin_id, coalesce(salon_id, '')) ${APPROVAL} FROM glidepath.plugin_approvals pa
     WHERE $1 = '*' OR salon_id IS NULL OR salon_id = $1
     ORDER BY plugin_id, coalesce(salon_id, ''), pa.id DESC`,
    [scope],
  );
  return rows.map(plain) as unknown as ApprovalRow[];
}

// The central write path's row as the API shows it.
function shown(r: CentralApprovalRow): ApprovalRow {
  return {
    salon: r.salonId,
    id: r.pluginId,
    enabled: r.enabled,
    version: r.version,
    permissions: r.permissions as Record<string, string[]>,
    filesHash: r.filesHash,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt.toISOString(),
  };
}

/** Writes an approval decided by `login` (the policies check the login and the scope again). */
export async function insertApproval(
  tx: TransactionSql,
  login: string,
  a: ApprovalRequest,
): Promise<ApprovalRow> {
  return shown(
    await insertCentralApproval(tx, {
      salonId: a.salon,
      pluginId: a.id,
      enabled: true,
      version: a.version,
      permissions: a.permissions,
      filesHash: a.filesHash,
      decidedBy: login,
    }),
  );
}

/**
 * Writes a revocation decided by `login`: the decision in force for the scope (the salon's, else the chain's) again,
 * with enabled false. Null when nothing was ever decided for the plugin there.
 */
export async function insertRevocation(
  tx: TransactionSql,
  login: string,
  r: RevokeRequest,
): Promise<ApprovalRow | null> {
  const [was] = await tx.unsafe(
    `SELECT ${APPROVAL} FROM glidepath.plugin_approvals pa WHERE plugin_id = $1 AND (salon_id IS NULL OR salon_id = $2)
     ORDER BY salon_id NULLS LAST, pa.id DESC LIMIT 1`,
    [r.id, r.salon],
  );
  if (!was) return null;
  return shown(
    await insertCentralApproval(tx, {
      salonId: r.salon,
      pluginId: r.id,
      enabled: false,
      version: String(was.version),
      permissions: was.permissions as Record<string, string[]>,
      filesHash: String(was.filesHash),
      decidedBy: login,
    }),
  );
}
