/** Turns a plugin's approved manifest permissions into Deno `--allow-*` flags (none when nothing was approved). */
import { resolve } from "node:path";
import type { PluginPermissions } from "../../core/manifest/mod.ts";

/**
 * Deno flags for approved permissions; paths resolve inside pluginDir. moduleFiles (the plugin's own
 * module files, absolute) join the read grant so the sandbox can load them. Nothing approved → [].
 */
export function permissionFlags(
  permissions: PluginPermissions,
  pluginDir: string,
  moduleFiles: readonly string[] = [],
): string[] {
  const flags: string[] = [];
  for (const key of ["read", "write"] as const) {
    const list = permissions[key] ?? [];
    const paths = list.map((p) => {
      const abs = resolve(pluginDir, p);
      if (abs !== resolve(pluginDir) && !abs.startsWith(resolve(pluginDir) + "/")) {
        throw new TypeError(`Permission ${key} "${p}" leaves the plugin folder`);
      }
      return abs;
    });
    if (key === "read") paths.push(...moduleFiles.filter((f) => !paths.includes(f)));
    if (!paths.length) continue;
    // Deno splits a flag's value at commas: a path with one would grant something else.
    const comma = paths.find((p) => p.includes(","));
    if (comma) throw new TypeError(`Cannot grant ${key} access to "${comma}": the path contains a comma`);
    flags.push(`--allow-${key}=${paths.join(",")}`);
  }
  if (permissions.net?.length) flags.push(`--allow-net=${permissions.net.join(",")}`);
  if (permissions.env?.length) flags.push(`--allow-env=${permissions.env.join(",")}`);
  return flags;
}

/** Human-readable lines describing what the permissions allow (for `plugin add` and the operator page). */
export function describePermissions(permissions: PluginPermissions): string[] {
  const lines: string[] = [];
  if (permissions.read?.length) lines.push(`read files: ${permissions.read.join(", ")} (inside its folder)`);
  if (permissions.write?.length) {
    lines.push(`write files: ${permissions.write.join(", ")} (inside its folder)`);
  }
  if (permissions.net?.length) lines.push(`network: ${permissions.net.join(", ")}`);
  if (permissions.env?.length) lines.push(`environment variables: ${permissions.env.join(", ")}`);
  return lines.length
    ? lines
    : ["none (reads only its own code files; no other file, network or environment access)"];
}

/** True when two permission sets grant exactly the same (order-insensitive). */
export function samePermissions(a: PluginPermissions, b: PluginPermissions): boolean {
  const norm = (p: PluginPermissions) =>
    JSON.stringify(
      ["read", "write", "net", "env"].map((k) => [...(p[k as keyof PluginPermissions] ?? [])].sort()),
    );
  return norm(a) === norm(b);
}
