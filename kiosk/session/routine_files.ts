/** Loads guided routines from routine plugin folders (plugin.json + routines file) for the engine. */
import { type Routine, validateRoutine } from "../../core/routines/mod.ts";
import { defaultZoneMap, type ZoneMap } from "../../core/zones/mod.ts";
import { join } from "node:path";

/** Options for loadRoutineFolders. */
export interface LoadRoutinesOptions {
  /** Zone map routines are validated against. Default: the shipped map. */
  zoneMap?: ZoneMap;
  /** Receives a folder that failed to load; the others still load. Default console.error. */
  onError?: (folder: string, error: unknown) => void;
}

/**
 * Reads every `<dir>/<plugin>/plugin.json` whose kinds include "routine" and validates the routines
 * in its `routines` file ({routines: [...]}) against the zone map. A broken plugin is skipped.
 */
export async function loadRoutineFolders(dir: string, options: LoadRoutinesOptions = {}): Promise<Routine[]> {
  const zoneMap = options.zoneMap ?? defaultZoneMap;
  const onError = options.onError ??
    ((folder, error) => console.error(`routines: skipped ${folder}:`, error));
  const routines: Routine[] = [];
  const folders: string[] = [];
  for await (const entry of Deno.readDir(dir)) if (entry.isDirectory) folders.push(entry.name);
  for (const folder of folders.sort()) {
    const base = join(dir, folder);
    try {
      const manifest = JSON.parse(await readOrNull(join(base, "plugin.json")) ?? "null");
      if (!manifest || !Array.isArray(manifest.kinds) || !manifest.kinds.includes("routine")) continue;
      const file = manifest.routines ?? manifest.entry;
      if (typeof file !== "string" || file.includes("..") || !file.endsWith(".json")) {
        throw new TypeError(
          `plugin.json: "routines" must name a .json file in the plugin folder, got ${JSON.stringify(file)}`,
        );
      }
      const data = JSON.parse(await Deno.readTextFile(join(base, file)));
      const list = Array.isArray(data) ? data : data?.routines;
      if (!Array.isArray(list)) throw new TypeError(`${file}: "routines" must be an array`);
      list.forEach((r: unknown, i: number) =>
        routines.push(validateRoutine(r, zoneMap, `${folder}/${file} routines[${i}]`))
      );
    } catch (error) {
      onError(folder, error);
    }
  }
  return routines;
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}
