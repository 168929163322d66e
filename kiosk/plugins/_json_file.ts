/** The operator plugin folder's small JSON files (state.json, central-approvals.json): read checked, written whole. */
import { dirname } from "node:path";

/** The parsed file at path, or undefined when there is none; text that is not JSON is a TypeError naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new TypeError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Writes data as JSON to a temporary file and renames it over path: a crash leaves the old file or the new one. */
export async function writeJsonFile(path: string, data: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(data, null, 2) + "\n");
  await Deno.rename(tmp, path);
}
