/** Operator decisions about plugins (enabled, approved permissions), kept in a JSON file in the operator plugin folder. */
import { readJsonFile, writeJsonFile } from "./_json_file.ts";
import type { PluginManifest, PluginPermissions } from "../../core/manifest/mod.ts";

/** One plugin's recorded decision. */
export interface PluginDecision {
  enabled: boolean;
  /** Permissions the operator approved (only meaningful when enabled). */
  permissions: PluginPermissions;
  /** Plugin version approved. */
  version: string;
  /**
   * hashPluginFiles() of the folder when approved: any later change to a file needs a new approval.
   * Absent in decisions recorded before approvals were pinned to files, which therefore count as changed.
   */
  filesHash?: string;
  /** ISO time of the decision. */
  at: string;
}

/** Whether a plugin may run (approval.ts decides it from the operator's and the chain's decisions). */
export type ApprovalState = "approved" | "not-approved" | "changed-since-approval" | "disabled";

interface StateFile {
  version: 1;
  plugins: Record<string, PluginDecision>;
}

/** Reads and writes the state file; a missing file is an empty state. */
export class PluginStateStore {
  #data: StateFile = { version: 1, plugins: {} };

  private constructor(readonly path: string) {}

  /** Opens (and validates) the state file at path. */
  static async open(path: string): Promise<PluginStateStore> {
    const store = new PluginStateStore(path);
    const doc = await readJsonFile(path);
    if (doc !== undefined) store.#data = parseState(doc, path);
    return store;
  }

  /** The decision recorded for id, if any. */
  get(id: string): PluginDecision | undefined {
    return this.#data.plugins[id];
  }

  /** Records that the operator approved this manifest's permissions and these files, and enabled it. */
  async enable(manifest: PluginManifest, filesHash: string, now = new Date()): Promise<void> {
    this.#data.plugins[manifest.id] = {
      enabled: true,
      permissions: structuredClone(manifest.permissions),
      version: manifest.version,
      filesHash,
      at: now.toISOString(),
    };
    await this.#save();
  }

  /** Records that the plugin is disabled (or installed but not yet approved). */
  async disable(manifest: Pick<PluginManifest, "id" | "version">, now = new Date()): Promise<void> {
    this.#data.plugins[manifest.id] = {
      enabled: false,
      permissions: {},
      version: manifest.version,
      at: now.toISOString(),
    };
    await this.#save();
  }

  /** Forgets any decision: an operator plugin then needs approval again (used on install). */
  async forget(id: string): Promise<void> {
    delete this.#data.plugins[id];
    await this.#save();
  }

  async #save(): Promise<void> {
    await writeJsonFile(this.path, this.#data);
  }
}

function parseState(doc: unknown, path: string): StateFile {
  const d = doc as StateFile;
  if (d?.version !== 1 || typeof d.plugins !== "object" || d.plugins === null) {
    throw new TypeError(`${path}: expected {"version": 1, "plugins": {...}}`);
  }
  for (const [id, p] of Object.entries(d.plugins)) {
    if (
      typeof p?.enabled !== "boolean" || typeof p.permissions !== "object" || typeof p.version !== "string" ||
      (p.filesHash !== undefined && typeof p.filesHash !== "string")
    ) {
      throw new TypeError(`${path}: "plugins.${id}" is malformed`);
    }
  }
  return d;
}
