/** Loads routine files (JSON {routines: [...]}) from disk and validates each against the zone map. */
import { type Routine, validateRoutine } from "../../core/routines/mod.ts";
import { defaultZoneMap, type ZoneMap } from "../../core/zones/mod.ts";

/** The first-party routine file shipped in plugins/routines-core/. */
export const CORE_ROUTINES_FILE = new URL("../../plugins/routines-core/routines.json", import.meta.url);

/** Options for loadRoutineFile. */
export interface LoadRoutinesOptions {
  /** Zone map the routines are checked against (default: the shipped map). */
  zoneMap?: ZoneMap;
}

/** Parses and validates a routine file's text; errors name the file and the field. */
export function parseRoutineFile(text: string, source: string, options: LoadRoutinesOptions = {}): Routine[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const list = (doc as { routines?: unknown } | null)?.routines;
  if (!Array.isArray(list)) throw new TypeError(`${source}: "routines" must be an array`);
  const routines = list.map((r, i) =>
    validateRoutine(r, options.zoneMap ?? defaultZoneMap, `${source} routines[${i}]`)
  );
  const ids = new Set<string>();
  for (const r of routines) {
    if (ids.has(r.id)) throw new TypeError(`${source}: routine id "${r.id}" appears twice`);
    ids.add(r.id);
  }
  return routines;
}

/** Reads and validates a routine file. */
export async function loadRoutineFile(
  path: string | URL,
  options: LoadRoutinesOptions = {},
): Promise<Routine[]> {
  const text = await Deno.readTextFile(path);
  return parseRoutineFile(text, String(path instanceof URL ? path.pathname : path), options);
}

/** The first-party routines (express-lift, jawline-neck, gentle-depuff). */
export function loadCoreRoutines(): Promise<Routine[]> {
  return loadRoutineFile(CORE_ROUTINES_FILE);
}
