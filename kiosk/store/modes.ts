/** Owner-only modes for the data folder and the records in it (screening answers are health data). */
import { chmodSync, existsSync, mkdirSync } from "node:fs";

/** Creates `dir` (and parents) and sets it to 0700 whatever the umask; tightens it if it existed wider. */
export function ownerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Sets each existing file to 0600 (a mode given at creation is narrowed by the umask, never widened). */
export function ownerOnlyFiles(...paths: string[]): void {
  for (const path of paths) if (existsSync(path)) chmodSync(path, 0o600);
}
