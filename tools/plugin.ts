/** `deno task plugin add|check|list|enable|disable`: operator and developer commands for plugins. */
import { join, resolve } from "node:path";
import { installDir } from "./_copy_dir.ts";
import { readPluginToolConfig } from "../kiosk/config.ts";
import {
  createPluginHost,
  describePermissions,
  PluginStateStore,
  type PluginStatus,
  readPluginFolder,
} from "../kiosk/plugins/mod.ts";
import { checkPluginFolder } from "../kiosk/plugins/check.ts";
import { hashPluginFiles, listPluginFiles } from "../kiosk/plugins/files.ts";

const USAGE = `usage: deno task plugin <command>
  add <folder | npm:name@version>   validate, show permissions, install into the operator folder (disabled)
  check <folder>                    validate and run the driver conformance kit
  list                              every plugin and its state
  enable <id>                       approve the plugin's permissions and enable it
  disable <id>                      disable it
operator folder: $PLUGIN_DIR, else $DATA_DIR/plugins (./data/plugins), as the kiosk's
plugin check watchdog: $PLUGIN_CALL_TIMEOUT_MS (20..10000 ms, default 200)`;

async function fetchNpm(spec: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const name = spec.slice(4);
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*@[0-9A-Za-z.+-]+$/.test(name)) {
    throw new TypeError(`Invalid npm spec "${spec}": expected npm:name@version`);
  }
  const tmp = await Deno.makeTempDir({ prefix: "glidepath-plugin-" });
  const cleanup = () => Deno.remove(tmp, { recursive: true });
  const pack = await new Deno.Command("npm", {
    args: ["pack", name, "--pack-destination", tmp, "--silent"],
    stderr: "piped",
    stdout: "piped",
  }).output();
  if (!pack.success) {
    await cleanup();
    throw new Error(`npm pack ${name} failed: ${new TextDecoder().decode(pack.stderr).trim()}`);
  }
  const tgz = new TextDecoder().decode(pack.stdout).trim().split("\n").pop()!;
  const untar = await new Deno.Command("tar", {
    args: ["-xzf", join(tmp, tgz), "-C", tmp, "--no-same-owner"],
    stderr: "piped",
  }).output();
  if (!untar.success) {
    await cleanup();
    throw new Error(`cannot unpack ${tgz}: ${new TextDecoder().decode(untar.stderr).trim()}`);
  }
  return { dir: join(tmp, "package"), cleanup };
}

async function add(source: string, operatorDir: string): Promise<number> {
  const fetched = source.startsWith("npm:")
    ? await fetchNpm(source)
    : { dir: resolve(source), cleanup: async () => {} };
  try {
    const found = await readPluginFolder(fetched.dir, "operator");
    if (!found.manifest) {
      console.error(`Cannot add ${source}: ${found.error}`);
      return 1;
    }
    const m = found.manifest;
    const target = join(operatorDir, m.id);
    try {
      await Deno.stat(target);
      console.error(`Cannot add ${source}: "${m.id}" is already installed at ${target} (remove it first)`);
      return 1;
    } catch { /* not installed: good */ }
    console.log(`${m.name} (${m.id} ${m.version}) — ${m.kinds.join(", ")}`);
    if (m.usb.filters.length) {
      console.log(
        `USB devices: ${
          m.usb.filters.map((f) => `${hex(f.vendorId)}:${f.productId === undefined ? "*" : hex(f.productId)}`)
            .join(", ")
        }`,
      );
    }
    console.log("Permissions it asks for:");
    for (const line of describePermissions(m.permissions)) console.log(`  - ${line}`);
    try {
      await installDir(fetched.dir, target);
    } catch (error) {
      console.error(`Cannot add ${source}: ${error instanceof Error ? error.message : error}`);
      return 1;
    }
    const state = await PluginStateStore.open(join(operatorDir, "state.json"));
    await state.forget(m.id);
    console.log(
      `Installed into ${target}, disabled until approved. An operator approves it with: deno task plugin enable ${m.id}`,
    );
    return 0;
  } finally {
    await fetched.cleanup();
  }
}

const hex = (n: number) => `0x${n.toString(16).padStart(4, "0")}`;

/** Who decided, where the chain did: "  [chain row 12]". */
const decided = (s: PluginStatus) =>
  s.decidedBy === "salon" || s.decidedBy === "chain" ? `  [${s.decidedBy} row ${s.centralRow}]` : "";

/** Runs one command; `env` holds the settings (checked first: a bad one prints one line and returns 2). */
async function main(args: string[], env: Readonly<Record<string, string | undefined>> = {}): Promise<number> {
  const [command, arg] = args;
  let config;
  try {
    config = readPluginToolConfig(env);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    console.error(error.message);
    return 2;
  }
  const operatorDir = resolve(config.pluginDir);
  switch (command) {
    case "add":
      if (!arg) break;
      return await add(arg, operatorDir);
    case "check": {
      if (!arg) break;
      // A loaded build machine may want a longer watchdog than the default 200 ms.
      const result = await checkPluginFolder(arg, { callTimeoutMs: config.checkCallTimeoutMs });
      for (const p of result.problems) console.error(`problem: ${p}`);
      console.log(result.ok ? `${result.id}: OK` : `${result.id}: NOT OK`);
      return result.ok ? 0 : 1;
    }
    case "list": {
      const host = await createPluginHost({ operatorDir });
      for (const s of host.list()) {
        console.log(
          `${s.id.padEnd(28)} ${s.version.padEnd(8)} ${s.origin.padEnd(11)} ${s.state.padEnd(19)} ${
            s.kinds.join(",")
          }${decided(s)}${s.error ? `  — ${s.error}` : ""}`,
        );
      }
      return 0;
    }
    case "enable":
    case "disable": {
      if (!arg) break;
      const host = await createPluginHost({ operatorDir });
      const status = host.list().find((s) => s.id === arg);
      if (!status) {
        console.error(`Unknown plugin "${arg}"`);
        return 1;
      }
      if (status.state === "invalid") {
        console.error(`Cannot ${command} "${arg}": ${status.error}`);
        return 1;
      }
      if (command === "enable") {
        const found = await readPluginFolder(status.dir, status.origin);
        console.log(`Approving permissions for ${arg}:`);
        for (const line of describePermissions(found.manifest!.permissions)) console.log(`  - ${line}`);
        const skip = found.manifest!.permissions.write ?? [];
        // The approval holds for exactly these files: any later change needs `enable` again.
        console.log(
          `  - files: ${listPluginFiles(status.dir, skip).length} files, ${
            hashPluginFiles(status.dir, skip)
          }`,
        );
        await host.enable(arg);
      } else await host.disable(arg);
      console.log(`${arg}: ${command}d`);
      if (status.decidedBy === "salon" || status.decidedBy === "chain") {
        // The operator's decision is kept, but the chain's is the one in force for this plugin here.
        console.log(
          `note: the ${status.decidedBy}'s central decision (row ${status.centralRow}) is in force for ${arg} at this station; yours applies once the chain no longer names it`,
        );
      }
      return 0;
    }
  }
  console.error(USAGE);
  return 2;
}

if (import.meta.main) Deno.exit(await main(Deno.args, Deno.env.toObject()));
export { main };
