/**
 * Whether a plugin may run at this station, from the two decisions that can name it: the chain's (central, in
 * force for the plugins it names) and the operator's here (for the others). Pure: the caller hashes the files.
 */
import type { PluginManifest, PluginPermissions } from "../../core/manifest/mod.ts";
import type { CentralDecision } from "./central_decisions.ts";
import { samePermissions } from "./permissions.ts";
import type { ApprovalState, PluginDecision } from "./state.ts";

/** Who made the decision that applies: the station's salon or the chain (central), the operator here, or nobody. */
export type DecidedBy = "salon" | "chain" | "operator" | null;

/** What applies to one plugin, and why it may not run. */
export interface Verdict {
  state: ApprovalState;
  decidedBy: DecidedBy;
  /** The central row that applies, or null. */
  centralRow: number | null;
  /** Why the plugin may not run, as the operator should read it; null when approved or when the state says it all. */
  reason: string | null;
  /** The permissions its sandbox gets when approved ({} otherwise). */
  permissions: PluginPermissions;
}

/** The two decisions about one plugin (either may be absent). */
export interface Decisions {
  local: PluginDecision | undefined;
  central: CentralDecision | undefined;
}

/**
 * A central decision in force wins over the operator's: a revocation (or a refused row) keeps the plugin off, an
 * approval counts only for this version, these permissions and these files (filesHash: hashPluginFiles() of the
 * folder now; null when it could not be hashed). Without one, the operator's decision applies as it always did:
 * first-party plugins run unless disabled, others need an approval pinned to version, permissions and files.
 */
export function verdictOf(
  manifest: PluginManifest,
  firstParty: boolean,
  filesHash: string | null,
  { local, central }: Decisions,
): Verdict {
  if (central) return centralVerdict(manifest, firstParty, filesHash, central);
  const decidedBy = local ? "operator" as const : null;
  const off = (state: ApprovalState, reason: string | null): Verdict => ({
    state,
    decidedBy,
    centralRow: null,
    reason,
    permissions: {},
  });
  if (!local) {
    return firstParty
      ? { state: "approved", decidedBy, centralRow: null, reason: null, permissions: manifest.permissions }
      : off("not-approved", null); // the state says it all (as it always did)
  }
  if (!local.enabled) return off("disabled", null);
  if (firstParty) {
    return {
      state: "approved",
      decidedBy,
      centralRow: null,
      reason: null,
      permissions: manifest.permissions,
    };
  }
  const what = differs(manifest, filesHash, local.version, local.permissions, local.filesHash);
  if (what) {
    return off(
      "changed-since-approval",
      `${what} changed since approval; approve again: deno task plugin enable ${manifest.id}`,
    );
  }
  return { state: "approved", decidedBy, centralRow: null, reason: null, permissions: local.permissions };
}

function centralVerdict(
  manifest: PluginManifest,
  firstParty: boolean,
  filesHash: string | null,
  c: CentralDecision,
): Verdict {
  const by = `the ${
    c.scope === "salon" ? "salon" : "chain"
  }'s central decision (row ${c.rowId}, ${c.decidedBy})`;
  const off = (state: ApprovalState, reason: string): Verdict => ({
    state,
    decidedBy: c.scope,
    centralRow: c.rowId,
    reason,
    permissions: {},
  });
  if (c.refused !== null) return off("not-approved", `${c.refused}; off until the chain decides again`);
  if (!c.enabled) return off("disabled", `revoked by ${by}`);
  // First-party plugins are shipped with the kiosk, not pinned to files: an approval only leaves them on.
  const what = firstParty ? null : differs(manifest, filesHash, c.version, c.permissions, c.filesHash);
  if (what) {
    return off(
      "changed-since-approval",
      `${what} differ${what === "files" ? "" : "s"} from what ${by} approved; ` +
        `the chain approves this folder again: deno task central approve`,
    );
  }
  return {
    state: "approved",
    decidedBy: c.scope,
    centralRow: c.rowId,
    reason: null,
    permissions: firstParty ? manifest.permissions : c.permissions,
  };
}

/** What differs between the installed plugin and an approval ("version (a → b)", "permissions", "files"), or null. */
function differs(
  manifest: PluginManifest,
  filesHash: string | null,
  version: string,
  permissions: PluginPermissions,
  approvedHash: string | undefined,
): string | null {
  if (version !== manifest.version) return `version (${version} → ${manifest.version})`;
  if (!samePermissions(permissions, manifest.permissions)) return "permissions";
  if (approvedHash === undefined || filesHash === null || approvedHash !== filesHash) return "files";
  return null;
}
