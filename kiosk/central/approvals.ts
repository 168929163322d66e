/**
 * Plugin approvals in the central store (issue 10): what an administrator (`deno task central approve`) or the staff
 * dashboard writes, what is in force, and the rows a station pulls. An approval is computed from the plugin's
 * folder with the station's own code (manifest check and file hash), so what a chain approves is what a station
 * checks.
 */
import type { Sql, TransactionSql } from "postgres";
import {
  isPluginId,
  isSemVer,
  type PluginPermissions,
  validatePluginPermissions,
} from "../../core/manifest/mod.ts";
import { readPluginFolder } from "../plugins/discovery.ts";
import { pluginFilesHash } from "../plugins/files.ts";
import { STATION_ID } from "./stations.ts";

/** One row of glidepath.plugin_approvals. */
export interface ApprovalRow {
  id: number;
  /** The salon it is for; null: the whole chain. */
  salonId: string | null;
  pluginId: string;
  /** false: a revocation. */
  enabled: boolean;
  version: string;
  permissions: PluginPermissions;
  /** sha256 of the plugin's files, 64 hex digits (a station's "sha256:<hex>" without the prefix). */
  filesHash: string;
  decidedBy: string;
  decidedAt: Date;
}

/** A decision to record: an approval (enabled) or a revocation. */
export type NewApproval = Omit<ApprovalRow, "id" | "decidedAt">;

/** What an approval of a plugin folder pins: computed exactly as a station computes it. */
export interface FolderApproval {
  pluginId: string;
  version: string;
  permissions: PluginPermissions;
  filesHash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
/** How every refusal of the central write path begins (the dashboard answers those 400, anything else is a fault). */
export const APPROVAL_REFUSED = "Cannot record plugin approval";
const COLUMNS = "id, salon_id, plugin_id, enabled, version, permissions, files_hash, decided_by, decided_at";

/** Reads and checks a plugin folder (as a station does) and returns what an approval of it pins. */
export async function approvalFromFolder(dir: string): Promise<FolderApproval> {
  const found = await readPluginFolder(dir, "operator");
  if (!found.manifest) throw new TypeError(`Cannot approve plugin folder ${dir}: ${found.error}`);
  const m = found.manifest;
  const hash = pluginFilesHash(found.dir, m);
  return {
    pluginId: m.id,
    version: m.version,
    permissions: m.permissions,
    filesHash: hash.slice("sha256:".length),
  };
}

/** Checks a decision before it is written; throws a TypeError naming the field and the value. */
function checkNew(a: NewApproval): NewApproval {
  const fail = (field: string, why: string, got: unknown): never => {
    throw new TypeError(
      `${APPROVAL_REFUSED}: ${field} ${why}, got ${JSON.stringify(got) ?? String(got)}`,
    );
  };
  if (a.salonId !== null && (typeof a.salonId !== "string" || !STATION_ID.test(a.salonId))) {
    fail("salonId", "must be null (the chain) or a salon id", a.salonId);
  }
  if (!isPluginId(a.pluginId)) fail("pluginId", 'must be a plugin id (e.g. "acme.glow")', a.pluginId);
  if (typeof a.enabled !== "boolean") fail("enabled", "must be true or false", a.enabled);
  if (typeof a.version !== "string" || !isSemVer(a.version)) fail("version", "must be semver", a.version);
  const permissions = validatePluginPermissions(a.permissions, APPROVAL_REFUSED);
  const hash = typeof a.filesHash === "string" ? a.filesHash.replace(/^sha256:/, "") : a.filesHash;
  if (typeof hash !== "string" || !HEX64.test(hash)) {
    fail("filesHash", "must be 64 lowercase hex digits", hash);
  }
  if (typeof a.decidedBy !== "string" || a.decidedBy.trim() === "" || a.decidedBy.length > 200) {
    fail("decidedBy", "must be a non-empty name of at most 200 characters", a.decidedBy);
  }
  return { ...a, permissions, filesHash: hash as string };
}

function toRow(r: Record<string, unknown>): ApprovalRow {
  return {
    id: Number(r.id),
    salonId: r.salon_id === null ? null : String(r.salon_id),
    pluginId: String(r.plugin_id),
    enabled: r.enabled === true,
    version: String(r.version),
    permissions: r.permissions as PluginPermissions,
    filesHash: String(r.files_hash),
    decidedBy: String(r.decided_by),
    decidedAt: r.decided_at instanceof Date ? r.decided_at : new Date(String(r.decided_at)),
  };
}

/** A salon approval refused because the chain's newest decision revokes the plugin (it applies in every salon). */
export class ChainRevokedError extends TypeError {
  constructor(
    readonly pluginId: string,
    readonly salonId: string,
    readonly revocation: { id: number; by: string },
  ) {
    super(
      `Cannot approve "${pluginId}" for salon "${salonId}": the chain revoked it (row ${revocation.id}, ${revocation.by}), and a chain revocation applies in every salon; approve it for the chain first`,
    );
  }
}

/**
 * Records a decision and returns its row: the one write path of the administrator's commands and the staff
 * dashboard (whose role may insert only as the signed-in login, in its scope). A salon approval over a chain
 * revocation is refused (ChainRevokedError): stations would never apply it.
 */
export async function insertApproval(sql: Sql | TransactionSql, approval: NewApproval): Promise<ApprovalRow> {
  const a = checkNew(approval);
  if (a.salonId !== null && a.enabled) {
    const [chain] = await sql`SELECT id, enabled, decided_by FROM glidepath.plugin_approvals
      WHERE plugin_id = ${a.pluginId} AND salon_id IS NULL ORDER BY id DESC LIMIT 1`;
    if (chain && chain.enabled === false) {
      throw new ChainRevokedError(a.pluginId, a.salonId, {
        id: Number(chain.id),
        by: String(chain.decided_by),
      });
    }
  }
  try {
    const [row] = await sql.unsafe(
      `INSERT INTO glidepath.plugin_approvals (salon_id, plugin_id, enabled, version, permissions, files_hash,
         decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        a.salonId,
        a.pluginId,
        a.enabled,
        a.version,
        sql.json(a.permissions as never),
        a.filesHash,
        a.decidedBy,
      ],
    );
    return toRow(row!);
  } catch (error) {
    // 23503: the salon_id foreign key (a role that cannot read glidepath.salons still learns which salon is wrong).
    if ((error as { code?: string }).code === "23503") {
      throw new TypeError(`${APPROVAL_REFUSED}: salon "${a.salonId}" is not registered`);
    }
    throw error;
  }
}

/** Approves the plugin in `dir` for a salon (or the chain: salonId null) as it is now: its version, permissions and files. */
export async function approvePluginFolder(
  sql: Sql,
  dir: string,
  scope: { salonId: string | null; decidedBy: string },
): Promise<ApprovalRow> {
  const f = await approvalFromFolder(dir);
  return await insertApproval(sql, { ...scope, ...f, enabled: true });
}

/**
 * Revokes a plugin for a salon (or the chain): a row with enabled false, which stations apply at their next pull
 * (a running driver of it is stopped). It keeps the version and hash of the decision it replaces.
 */
export async function revokePlugin(
  sql: Sql,
  pluginId: string,
  scope: { salonId: string | null; decidedBy: string },
): Promise<ApprovalRow> {
  if (!isPluginId(pluginId)) {
    throw new TypeError(
      `Cannot revoke plugin: pluginId must be a plugin id, got ${JSON.stringify(pluginId)}`,
    );
  }
  const [last] = await sql`SELECT version, files_hash FROM glidepath.plugin_approvals
    WHERE plugin_id = ${pluginId} AND salon_id IS NOT DISTINCT FROM ${scope.salonId} ORDER BY id DESC LIMIT 1`;
  // Only the plugin id and enabled mean anything in a revocation; the rest says what it replaced, where readable.
  const version = typeof last?.version === "string" && isSemVer(last.version) ? last.version : "0.0.0";
  const hash = typeof last?.files_hash === "string" && HEX64.test(last.files_hash)
    ? last.files_hash
    : "0".repeat(64);
  return await insertApproval(sql, {
    ...scope,
    pluginId,
    enabled: false,
    version,
    permissions: {},
    filesHash: hash,
  });
}

/** The newest row per (salon or chain, plugin) among those `where` admits. */
async function inForce(sql: Sql, where: string): Promise<Record<string, unknown>[]> {
  return [
    ...await sql.unsafe(
      `SELECT DISTINCT ON (plugin_id, salon_id) ${COLUMNS} FROM glidepath.plugin_approvals WHERE ${where}
       ORDER BY plugin_id, salon_id NULLS FIRST, id DESC`,
    ),
  ];
}

/**
 * A station's pull: the decisions in force for its salon and the chain, as raw rows that the station then checks
 * itself. Row-level security already leaves only those; the filter says so again, so that a misconfigured
 * policy could not hand a station another salon's decision as its own.
 */
export async function readApprovalRows(sql: Sql): Promise<Record<string, unknown>[]> {
  return await inForce(sql, "salon_id IS NULL OR salon_id = (SELECT glidepath.my_salon())");
}

/** The decisions in force for every salon and the chain (or, with `salonId`, those that apply to that salon). */
export async function listApprovals(sql: Sql, options: { salonId?: string } = {}): Promise<ApprovalRow[]> {
  const rows = (await inForce(sql, "true")).map(toRow);
  return options.salonId === undefined
    ? rows
    : rows.filter((r) => r.salonId === null || r.salonId === options.salonId);
}
