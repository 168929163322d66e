/**
 * A chain's plugin decisions as a station holds them (issue 10): central approval rows checked as outside input,
 * the one in force per plugin picked (a chain revocation over all, else a salon's row over the chain's), and a
 * local copy in the operator plugin folder so that a restart without the central store keeps the last decisions.
 */
import { readJsonFile, writeJsonFile } from "./_json_file.ts";
import {
  isPluginId,
  isRecord,
  isSemVer,
  type PluginPermissions,
  validatePluginPermissions,
} from "../../core/manifest/mod.ts";

/** One plugin's central decision in force at this station. */
export interface CentralDecision {
  pluginId: string;
  /** The central row (glidepath.plugin_approvals.id). */
  rowId: number;
  /** "salon": this station's salon decided; "chain": the whole chain did. */
  scope: "salon" | "chain";
  /** false: revoked (the plugin does not run here). */
  enabled: boolean;
  /** What was approved (meaningful when enabled). */
  version: string;
  permissions: PluginPermissions;
  /** "sha256:<hex>", as hashPluginFiles() writes it. */
  filesHash: string;
  decidedBy: string;
  /** ISO time of the decision. */
  decidedAt: string;
  /** Why the row was refused (naming the field and the value), or null. A refused row approves nothing. */
  refused: string | null;
}

/** Central rows checked and reduced to the decision in force per plugin. */
export interface CentralDecisionSet {
  decisions: Map<string, CentralDecision>;
  /** One line per refused row (also those whose plugin cannot even be named). */
  problems: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;
const SALON = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The row's id as a positive integer, or null (a row that cannot be named is only reported). */
function rowIdOf(raw: Record<string, unknown>): number | null {
  const n = typeof raw.id === "string" && /^\d{1,15}$/.test(raw.id) ? Number(raw.id) : raw.id;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Checks one central row ({id, salon_id, plugin_id, enabled, version, permissions, files_hash, decided_by,
 * decided_at}, as PostgreSQL or the local copy gives it). Throws a TypeError naming the field and the value.
 */
function checkRow(raw: Record<string, unknown>, rowId: number): Omit<CentralDecision, "refused"> {
  const where = `Cannot apply central plugin approval row ${rowId}`;
  const fail = (field: string, why: string): never => {
    throw new TypeError(
      `${where}: "${field}" ${why}, got ${JSON.stringify(raw[field]) ?? String(raw[field])}`,
    );
  };
  if (raw.salon_id !== null && (typeof raw.salon_id !== "string" || !SALON.test(raw.salon_id))) {
    fail("salon_id", "must be null (the chain) or a salon id");
  }
  if (typeof raw.enabled !== "boolean") fail("enabled", "must be true or false");
  const at = raw.decided_at instanceof Date ? raw.decided_at : new Date(String(raw.decided_at));
  if (!(raw.decided_at instanceof Date || typeof raw.decided_at === "string") || isNaN(at.getTime())) {
    fail("decided_at", "must be a time");
  }
  if (typeof raw.decided_by !== "string" || raw.decided_by.trim() === "" || raw.decided_by.length > 200) {
    fail("decided_by", "must be a non-empty name of at most 200 characters");
  }
  const base = {
    pluginId: raw.plugin_id as string,
    rowId,
    scope: raw.salon_id === null ? "chain" as const : "salon" as const,
    enabled: raw.enabled as boolean,
    decidedBy: raw.decided_by as string,
    decidedAt: at.toISOString(),
  };
  // A revocation needs nothing else: what it names does not run, whatever the other fields say.
  if (!raw.enabled) return { ...base, version: "", permissions: {}, filesHash: "" };
  if (typeof raw.version !== "string" || raw.version.length > 100 || !isSemVer(raw.version)) {
    fail("version", "must be semver");
  }
  const permissions = validatePluginPermissions(raw.permissions, where);
  if (typeof raw.files_hash !== "string" || !HEX64.test(raw.files_hash)) {
    fail("files_hash", "must be 64 lowercase hex digits (sha256)");
  }
  return { ...base, version: raw.version as string, permissions, filesHash: `sha256:${raw.files_hash}` };
}

/**
 * Checks central rows and picks the decision in force per plugin: the chain's newest row when it revokes, else the
 * newest row of the station's salon, else the newest of the chain. A refused row still takes its place (it approves nothing: no fall-back to an older row or
 * to the chain's, which the refused one was meant to replace); the others apply.
 */
export function decideCentralRows(rows: readonly unknown[]): CentralDecisionSet {
  const problems: string[] = [];
  const newest = new Map<string, CentralDecision>(); // by "scope plugin"
  for (const raw of rows) {
    const r = isRecord(raw) ? raw : {};
    const rowId = rowIdOf(r);
    if (rowId === null) {
      problems.push(
        `Cannot apply a central plugin approval: "id" must be a positive integer, got ${
          JSON.stringify(r.id) ?? String(r.id)
        }`,
      );
      continue;
    }
    if (!isPluginId(r.plugin_id)) {
      problems.push(
        `Cannot apply central plugin approval row ${rowId}: "plugin_id" must be a plugin id (e.g. "acme.glow"), got ${
          JSON.stringify(r.plugin_id) ?? String(r.plugin_id)
        }`,
      );
      continue;
    }
    let d: CentralDecision;
    try {
      d = { ...checkRow(r, rowId), refused: null };
    } catch (error) {
      const refused = error instanceof Error ? error.message : String(error);
      problems.push(refused);
      const scope = r.salon_id === null ? "chain" as const : "salon" as const;
      d = {
        pluginId: r.plugin_id,
        rowId,
        scope,
        enabled: false,
        version: "",
        permissions: {},
        filesHash: "",
        decidedBy: typeof r.decided_by === "string" ? r.decided_by.slice(0, 200) : "?",
        decidedAt: new Date(0).toISOString(),
        refused,
      };
    }
    const key = `${d.scope} ${d.pluginId}`;
    if ((newest.get(key)?.rowId ?? 0) < rowId) newest.set(key, d);
  }
  // The chain's revocation is absolute (a plugin pulled chain-wide, e.g. for a flaw, stays off in every salon);
  // otherwise the salon's own row is the more specific one. A salon's revocation wins over a chain approval.
  const decisions = new Map<string, CentralDecision>();
  for (const d of newest.values()) {
    if (decisions.has(d.pluginId)) continue;
    const chain = newest.get(`chain ${d.pluginId}`);
    const salon = newest.get(`salon ${d.pluginId}`);
    decisions.set(d.pluginId, chain && !chain.enabled ? chain : salon ?? chain!);
  }
  return { decisions, problems };
}

/** The local copy: the rows as last pulled, checked again when read (a file is outside input too). */
interface CacheFile {
  version: 1;
  /** ISO time of the pull. */
  pulledAt: string;
  rows: unknown[];
}

/** Central decisions in force at this station, kept in a JSON file next to the operator's state.json. */
export class CentralDecisions {
  #set: CentralDecisionSet = { decisions: new Map(), problems: [] };
  #pulledAt: string | null = null;
  // The rows of the local copy as JSON text, to write it only when a pull brings different ones.
  #rowsText: string | null = null;

  private constructor(readonly path: string) {}

  /**
   * Opens the local copy at path (none yet: no central decisions). A copy that cannot be read is an error: the
   * station must not forget a chain's revocation because a file was damaged.
   */
  static async open(path: string): Promise<CentralDecisions> {
    const store = new CentralDecisions(path);
    const doc = await readJsonFile(path);
    if (doc === undefined) return store;
    const d = doc as CacheFile;
    if (!isRecord(d) || d.version !== 1 || !Array.isArray(d.rows) || typeof d.pulledAt !== "string") {
      throw new TypeError(`${path}: expected {"version": 1, "pulledAt": "...", "rows": [...]}`);
    }
    store.#set = decideCentralRows(d.rows);
    store.#pulledAt = d.pulledAt;
    store.#rowsText = JSON.stringify(d.rows);
    return store;
  }

  /** The central decision in force for a plugin, if the chain named it. */
  get(pluginId: string): CentralDecision | undefined {
    return this.#set.decisions.get(pluginId);
  }

  /** Every decision in force, and the rows refused at the last pull. */
  get current(): CentralDecisionSet {
    return this.#set;
  }

  /** When the decisions were pulled (ISO), or null when never. */
  get pulledAt(): string | null {
    return this.#pulledAt;
  }

  /**
   * Replaces the decisions with freshly pulled rows and writes the local copy (written first: a decision in
   * force is never one a restart would not know). Returns the previous set.
   */
  async replace(rows: readonly unknown[], now = new Date()): Promise<CentralDecisionSet> {
    const next = decideCentralRows(rows);
    const copy = rows.map(jsonRow);
    const text = JSON.stringify(copy);
    // A pull every 10 s mostly brings the same rows: the copy is written only when they changed (no flash wear on a
    // kiosk's card for nothing); its pulledAt is then when they were last pulled different.
    if (text !== this.#rowsText) {
      await writeJsonFile(
        this.path,
        { version: 1, pulledAt: now.toISOString(), rows: copy } satisfies CacheFile,
      );
      this.#rowsText = text;
    }
    const previous = this.#set;
    this.#set = next;
    this.#pulledAt = now.toISOString();
    return previous;
  }
}

// Rows as JSON keeps them (times as ISO strings, ids as numbers).
function jsonRow(raw: unknown): unknown {
  return JSON.parse(JSON.stringify(raw, (_k, v) => typeof v === "bigint" ? Number(v) : v));
}
