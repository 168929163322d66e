/** Recursive folder copy for `plugin add` (regular files and folders only; links are refused). */
import { join } from "node:path";

/** Copies src into dest (created); throws on symlinks so a plugin cannot smuggle a link out of its folder. */
export async function copy(src: string, dest: string): Promise<void> {
  await Deno.mkdir(dest, { recursive: true });
  for await (const entry of Deno.readDir(src)) {
    const from = join(src, entry.name), to = join(dest, entry.name);
    if (entry.isSymlink) throw new TypeError(`Cannot install: "${from}" is a symbolic link`);
    if (entry.isDirectory) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      await copy(from, to);
    } else if (entry.isFile) await Deno.copyFile(from, to);
  }
}
