/**
 * A plugin approval as staff submit it on the dashboard, checked with the plugin manifest's own rules (id, semver
 * version, permissions) plus the files hash, before it is written centrally and pulled by the stations.
 */
import { isRecord, type PluginPermissions, validateManifest } from "../../../core/manifest/mod.ts";
import { STATION_ID } from "../stations.ts";

/** A checked approval request. */
export interface ApprovalRequest {
  /** The salon it is for; null: the whole chain. */
  salon: string | null;
  id: string;
  version: string;
  permissions: PluginPermissions;
  /** 64 lowercase hex digits (hashPluginFiles without its "sha256:" prefix). */
  filesHash: string;
}

/** A checked revocation request. */
export interface RevokeRequest {
  salon: string | null;
  id: string;
}

const WHERE = "Cannot record the approval";

function scopeOf(raw: unknown): string | null {
  if (raw === "chain") return null;
  if (typeof raw === "string" && STATION_ID.test(raw)) return raw;
  throw new TypeError(
    `${WHERE}: "scope" must be "chain" or a salon id, got ${JSON.stringify(raw) ?? String(raw)}`,
  );
}

// The manifest's rules for id, version and permissions, applied through validateManifest itself (no copy to drift).
function manifestRules(
  id: unknown,
  version: unknown,
  permissions: unknown,
): ReturnType<typeof validateManifest> {
  return validateManifest({
    id,
    name: typeof id === "string" && id !== "" ? id : "-",
    version,
    apiVersion: "*",
    kinds: ["routine"],
    entry: "routines.json",
    permissions,
  }, { where: WHERE });
}

/** Checks an approval body `{scope, id, version, filesHash, permissions}`; throws a TypeError naming the field. */
export function validateApproval(body: unknown): ApprovalRequest {
  if (!isRecord(body)) throw new TypeError(`${WHERE}: the body must be a JSON object`);
  for (const key of Object.keys(body)) {
    if (!["scope", "id", "version", "filesHash", "permissions"].includes(key)) {
      throw new TypeError(`${WHERE}: "${key}" is not a known field`);
    }
  }
  const salon = scopeOf(body.scope);
  if (!isRecord(body.permissions)) {
    throw new TypeError(
      `${WHERE}: "permissions" must be a JSON object such as {"net": ["api.example:443"]} or {}, got ${
        JSON.stringify(body.permissions) ?? "nothing"
      }`,
    );
  }
  const m = manifestRules(body.id, body.version, body.permissions);
  const hash = typeof body.filesHash === "string"
    ? body.filesHash.trim().toLowerCase().replace(/^sha256:/, "")
    : "";
  if (!/^[0-9a-f]{64}$/.test(hash)) {
    throw new TypeError(
      `${WHERE}: "filesHash" must be the plugin's files hash (sha256: and 64 hex digits, as deno task plugin enable prints it), got ${
        JSON.stringify(body.filesHash) ?? "nothing"
      }`,
    );
  }
  return { salon, id: m.id, version: m.version, permissions: m.permissions, filesHash: hash };
}

/** Checks a revocation body `{scope, id}`. */
export function validateRevoke(body: unknown): RevokeRequest {
  if (!isRecord(body)) throw new TypeError(`${WHERE}: the body must be a JSON object`);
  const salon = scopeOf(body.scope);
  return { salon, id: manifestRules(body.id, "0.0.0", {}).id };
}
