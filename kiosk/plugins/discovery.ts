/** Finds plugin folders (first-party plugins/ and the operator plugin folder) and validates their manifests. */
import { join, resolve } from "node:path";
import { assertApiCompatible, type PluginManifest, validateManifest } from "../../core/manifest/mod.ts";
import { SDK_API_VERSION } from "../../core/sdk/mod.ts";

/** Where a plugin came from: shipped with the kiosk, or installed by an operator. */
export type PluginOrigin = "first-party" | "operator";

/** A plugin folder and what its manifest said (or why it could not be used). */
export interface DiscoveredPlugin {
  /** The manifest id, or the folder name when the manifest is unreadable. */
  id: string;
  dir: string;
  origin: PluginOrigin;
  manifest: PluginManifest | null;
  /** Why this plugin cannot load (bad manifest, incompatible apiVersion, duplicate id); null when fine. */
  error: string | null;
}

/** Options for discoverPlugins. */
export interface DiscoverOptions {
  /** SDK API version to check apiVersion against (default SDK_API_VERSION). */
  sdkVersion?: string;
}

/** Reads and validates one plugin folder's plugin.json. */
export async function readPluginFolder(
  dir: string,
  origin: PluginOrigin,
  options: DiscoverOptions = {},
): Promise<DiscoveredPlugin> {
  const abs = resolve(dir);
  const folder = abs.split("/").pop() ?? abs;
  const where = `${origin === "first-party" ? "plugins" : "plugin folder"}/${folder}/plugin.json`;
  let id = folder;
  try {
    const text = await Deno.readTextFile(join(abs, "plugin.json")).catch((e) => {
      throw e instanceof Deno.errors.NotFound
        ? new TypeError(`${where}: not found (a plugin folder needs a plugin.json)`)
        : e;
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new TypeError(`${where}: not valid JSON (${(e as Error).message})`);
    }
    const manifest = validateManifest(json, { where });
    id = manifest.id;
    assertApiCompatible(manifest, options.sdkVersion ?? SDK_API_VERSION);
    for (const file of [manifest.entry, manifest.routines, manifest.simulator]) {
      if (file === null) continue;
      try {
        await Deno.stat(join(abs, file));
      } catch {
        throw new TypeError(`${where}: file "${file}" does not exist`);
      }
    }
    return { id: manifest.id, dir: abs, origin, manifest, error: null };
  } catch (e) {
    return {
      id,
      dir: abs,
      origin,
      manifest: null,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}

async function subfolders(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isDirectory || entry.name.startsWith(".") || entry.name.startsWith("_")) continue;
      try {
        await Deno.stat(join(dir, entry.name, "plugin.json"));
        out.push(join(dir, entry.name));
      } catch { /* not a plugin folder */ }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

/** Every plugin under the two folders; an id seen twice is an error on the later (operator) copy. */
export async function discoverPlugins(
  folders: { firstParty: string; operator: string },
  options: DiscoverOptions = {},
): Promise<DiscoveredPlugin[]> {
  const found: DiscoveredPlugin[] = [];
  for (
    const [origin, dir] of [["first-party", folders.firstParty], ["operator", folders.operator]] as const
  ) {
    for (const sub of await subfolders(dir)) found.push(await readPluginFolder(sub, origin, options));
  }
  const seen = new Map<string, DiscoveredPlugin>();
  for (const p of found) {
    const first = seen.get(p.id);
    if (first && p.error === null) p.error = `id "${p.id}" is already used by ${first.dir}`;
    else seen.set(p.id, p);
  }
  return found;
}
