/** A plugin folder's files as one stable, link-free list: what its sandbox may load, and what its approval is pinned to. */
import { createHash } from "node:crypto";
import type { PluginManifest } from "../../core/manifest/mod.ts";
import { join, relative, resolve } from "node:path";

/** Extensions of executable code: always part of the approval, even inside a folder the plugin may write. */
const CODE_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|wasm)$/i;
/** Extensions of files a plugin may load as modules (code and JSON); other files need an approved read. */
const MODULE_EXTENSIONS = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|wasm|json|jsonc)$/i;

/**
 * Every regular file under dir, as "/"-separated paths relative to dir, sorted by code unit; files
 * under the `skip` folders (relative to dir) are left out unless they are code. A symbolic link or
 * special file anywhere is refused: Deno's path permissions follow links, so one link would let the
 * plugin read outside its folder.
 */
export function listPluginFiles(dir: string, skip: readonly string[] = []): string[] {
  const root = resolve(dir);
  const skipped = skip.map((p) => resolve(root, p));
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const entry of Deno.readDirSync(abs)) {
      const path = join(abs, entry.name);
      const rel = relative(root, path);
      if (entry.isSymlink) {
        throw new TypeError(`Plugin folder ${root} contains a symbolic link: ${rel}`);
      }
      if (entry.isDirectory) walk(path);
      else if (entry.isFile) {
        const inSkipped = skipped.some((s) => path === s || path.startsWith(s + "/"));
        // The manifest (limits, filters, permissions) always counts, whatever a write grant covers.
        if (!inSkipped || CODE_EXTENSIONS.test(rel) || rel === "plugin.json") out.push(rel);
      } else throw new TypeError(`Plugin folder ${root} contains a special file: ${rel}`);
    }
  };
  walk(root);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Absolute paths of the module files in dir (see listPluginFiles): the sandbox's read grant for loading them. */
export function pluginModuleFiles(dir: string): string[] {
  return listPluginFiles(dir).filter((f) => MODULE_EXTENSIONS.test(f)).map((f) => join(resolve(dir), f));
}

/**
 * "sha256:<hex>" over every file's path and content (listPluginFiles order), so any added, removed,
 * renamed or changed byte gives another hash. Data under `skip` (the plugin's approved write folders,
 * which it changes itself) is left out; code there is not, so a plugin cannot rewrite its approved code.
 */
export function hashPluginFiles(dir: string, skip: readonly string[] = []): string {
  const root = resolve(dir);
  const all = createHash("sha256");
  for (const rel of listPluginFiles(root, skip)) {
    const content = Deno.readFileSync(join(root, rel));
    const one = createHash("sha256").update(content).digest("hex");
    all.update(`${JSON.stringify(rel)} ${content.length} ${one}\n`);
  }
  return `sha256:${all.digest("hex")}`;
}

/**
 * The hash an approval of this plugin pins (the station's check and `deno task central approve` both use it):
 * hashPluginFiles() leaving out the data in the folders the manifest lets it write.
 */
export function pluginFilesHash(dir: string, manifest: Pick<PluginManifest, "permissions">): string {
  return hashPluginFiles(dir, manifest.permissions.write ?? []);
}
