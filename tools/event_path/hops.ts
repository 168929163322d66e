/** What the hop count reports: a hop is a project function an observation ran through; modules are counted from them. */
import { fileURLToPath } from "node:url";

/** Project root (absolute, with a trailing slash). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** One function the observation ran through, and how many more calls it made to it. */
export interface Hop {
  /** Path from the project root, e.g. "kiosk/session/runner.ts". */
  file: string;
  name: string;
  calls: number;
}

/** Shipped project code (kiosk/, core/, plugins/); tools, tests and dependencies are not hops. */
export function isProjectFile(file: string): boolean {
  return /^(kiosk|core|plugins)\//.test(file);
}

/** The modules the hops are in (each once). */
export function modulesOf(hops: Hop[]): string[] {
  return [...new Set(hops.map((h) => h.file))];
}
