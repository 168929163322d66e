/** Folder copies for `plugin add`: regular files and folders only (links are refused), installed all or nothing. */
import { basename, dirname, join } from "node:path";

const SKIPPED = new Set(["node_modules", ".git"]);

/** Every symbolic link under dir (node_modules and .git are not looked into, as copy skips them). */
async function findLinks(dir: string): Promise<string[]> {
  const links: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isSymlink) links.push(path);
    else if (entry.isDirectory && !SKIPPED.has(entry.name)) links.push(...await findLinks(path));
  }
  return links;
}

/** Copies src into dest (created); throws on symlinks so a plugin cannot smuggle a link out of its folder. */
export async function copy(src: string, dest: string): Promise<void> {
  await Deno.mkdir(dest, { recursive: true });
  for await (const entry of Deno.readDir(src)) {
    const from = join(src, entry.name), to = join(dest, entry.name);
    if (entry.isSymlink) throw new TypeError(`Cannot install: "${from}" is a symbolic link`);
    if (entry.isDirectory) {
      if (SKIPPED.has(entry.name)) continue;
      await copy(from, to);
    } else if (entry.isFile) await Deno.copyFile(from, to);
  }
}

/**
 * Installs src as dest, all or nothing: links are refused before anything is copied, the copy goes to a
 * hidden folder next to dest (plugin discovery skips dot folders) and is renamed into place only when
 * complete, so a failure never leaves a half-installed plugin behind.
 */
export async function installDir(src: string, dest: string): Promise<void> {
  const links = await findLinks(src);
  if (links.length > 0) {
    throw new TypeError(
      `Cannot install "${src}": it contains symbolic links (${links.join(", ")}); ` +
        "a plugin folder must hold regular files only",
    );
  }
  await Deno.mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.installing-${basename(dest)}-${crypto.randomUUID().slice(0, 8)}`);
  try {
    await copy(src, tmp);
    await Deno.rename(tmp, dest);
  } catch (error) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw error;
  }
}
