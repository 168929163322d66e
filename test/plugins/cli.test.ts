/** `deno task plugin`: add installs unapproved and shows permissions, enable records approval, check exits non-zero on failure. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { badManifest } from "./_manifests.ts";

const root = new URL("../../", import.meta.url).pathname;

async function plugin(
  pluginDir: string,
  ...args: (string | Record<string, string>)[]
): Promise<{ code: number; out: string }> {
  const env = Object.assign({}, ...args.filter((a) => typeof a === "object"));
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tools/plugin.ts", ...args.filter((a) => typeof a === "string")],
    cwd: root,
    env: { PLUGIN_DIR: pluginDir, NO_COLOR: "1", PLUGIN_CALL_TIMEOUT_MS: "3000", ...env },
  }).output();
  return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
}

/** A fresh folder holding the example Glow plugin's files, as a vendor would hand them over. */
async function glowSource(): Promise<string> {
  const src = await Deno.makeTempDir({ prefix: "gp-src-" });
  const files = [
    "plugin.json",
    "mod.ts",
    "codec.ts",
    "protocol.ts",
    "firmware.ts",
    "simulator.ts",
    "routines.json",
  ];
  for (const f of files) await Deno.copyFile(join(root, "examples/acme-glow", f), join(src, f));
  return src;
}

test("add validates, prints the permissions asked for, and installs the plugin awaiting approval", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const src = await glowSource();
  const m = JSON.parse(await Deno.readTextFile(join(src, "plugin.json")));
  await Deno.writeTextFile(
    join(src, "plugin.json"),
    JSON.stringify({ ...m, permissions: { read: ["./calibration"], net: ["acme.example:443"] } }),
  );
  const added = await plugin(dir, "add", src);
  assert.is(added.code, 0, added.out);
  assert.match(added.out, /read files: \.\/calibration \(inside its folder\)/);
  assert.match(added.out, /network: acme\.example:443/);
  assert.match(added.out, /disabled until approved/);
  assert.ok((await Deno.stat(join(dir, "acme.glow", "mod.ts"))).isFile);
  assert.match((await plugin(dir, "list")).out, /acme\.glow\s+0\.3\.1\s+operator\s+needs-approval/);

  const again = await plugin(dir, "add", src);
  assert.is(again.code, 1);
  assert.match(again.out, /"acme\.glow" is already installed/);

  const enabled = await plugin(dir, "enable", "acme.glow");
  assert.is(enabled.code, 0, enabled.out);
  const state = JSON.parse(await Deno.readTextFile(join(dir, "state.json")));
  assert.equal(state.plugins["acme.glow"].permissions, {
    read: ["./calibration"],
    net: ["acme.example:443"],
  });
  assert.match((await plugin(dir, "list")).out, /acme\.glow\s+0\.3\.1\s+operator\s+enabled/);

  await plugin(dir, "disable", "acme.glow");
  assert.match((await plugin(dir, "list")).out, /acme\.glow\s+0\.3\.1\s+operator\s+disabled/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(src, { recursive: true });
});

test("add refuses a folder with a symbolic link before copying anything, and a fixed folder then installs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const src = await glowSource();
  await Deno.mkdir(join(src, "z_data"));
  await Deno.symlink("/etc/passwd", join(src, "z_data", "calibration.json"));
  const refused = await plugin(dir, "add", src);
  assert.is(refused.code, 1);
  assert.match(refused.out, /contains symbolic links \(.*z_data\/calibration\.json\)/);
  assert.equal([...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n !== "state.json"), []);

  await Deno.remove(join(src, "z_data"), { recursive: true });
  const added = await plugin(dir, "add", src);
  assert.is(added.code, 0, added.out);
  assert.ok((await Deno.stat(join(dir, "acme.glow", "codec.ts"))).isFile);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(src, { recursive: true });
});

test("add refuses an invalid manifest and names the field", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const src = await Deno.makeTempDir({ prefix: "gp-src-" });
  await Deno.writeTextFile(
    join(src, "plugin.json"),
    JSON.stringify({
      id: "acme.x",
      name: "X",
      version: "1.x",
      apiVersion: "^1.0.0",
      kinds: ["routine"],
      entry: "r.json",
    }),
  );
  const r = await plugin(dir, "add", src);
  assert.is(r.code, 1);
  assert.match(r.out, /"version" must be semver, got "1\.x"/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(src, { recursive: true });
});

test("enable pins the files: a changed byte shows in list as changed since approval until enabled again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const added = await plugin(dir, "add", join(root, "examples/acme-glow"));
  assert.is(added.code, 0, added.out);
  const enabled = await plugin(dir, "enable", "acme.glow");
  assert.match(enabled.out, /files: 7 files, sha256:[0-9a-f]{64}/);
  const codec = join(dir, "acme.glow", "codec.ts");
  await Deno.writeTextFile(codec, (await Deno.readTextFile(codec)).replace(/\n$/, " "));
  const listed = await plugin(dir, "list");
  assert.match(
    listed.out,
    /acme\.glow\s+0\.3\.1\s+operator\s+changed-since-approval.*— files changed since approval; approve again: deno task plugin enable acme\.glow/,
  );
  assert.is((await plugin(dir, "enable", "acme.glow")).code, 0);
  assert.match((await plugin(dir, "list")).out, /acme\.glow\s+0\.3\.1\s+operator\s+enabled/);
  await Deno.remove(dir, { recursive: true });
});

// A plugin folder holding the GP-TXT files and a greedy entry that doubles every current it encodes.
async function greedyPlugin(): Promise<string> {
  const src = await Deno.makeTempDir({ prefix: "gp-src-" });
  for await (const e of Deno.readDir(join(root, "plugins/sim-text"))) {
    await Deno.copyFile(join(root, "plugins/sim-text", e.name), join(src, e.name));
  }
  await Deno.writeTextFile(
    join(src, "greedy.ts"),
    `import { defineDriver, type OutputCommand } from "@glidepath/sdk";
import { driver as text, TextCodec } from "./mod.ts";
export const driver = defineDriver({
  ...text,
  id: "test.bad-overcurrent",
  createCodec() {
    const codec = new TextCodec();
    const output = codec.output.bind(codec);
    codec.output = (c: OutputCommand) => output({ ...c, currentUa: c.currentUa * 2 });
    return codec;
  },
});
`,
  );
  await Deno.writeTextFile(
    join(src, "plugin.json"),
    JSON.stringify(
      badManifest("overcurrent", { name: "Greedy", entry: "greedy.ts", simulator: "simulator.ts" }),
    ),
  );
  return src;
}

test("check prints each conformance check and fails for a driver that breaks its contract", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const src = await greedyPlugin();
  const r = await plugin(dir, "check", src);
  assert.is(r.code, 1);
  assert.match(r.out, /pass {2}manifest/);
  assert.match(r.out, /FAIL {2}output follows frames/);
  assert.match(r.out, /the driver was stopped: output\(\) encoded 200 µA when the engine asked for 100 µA/);
  assert.match(r.out, /test\.bad-overcurrent: NOT OK/);
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(src, { recursive: true });
});

test("check runs the vendor's simulator in the driver's sandbox, not with the CLI's permissions", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const src = await Deno.makeTempDir({ prefix: "gp-src-" });
  const outside = await Deno.makeTempDir({ prefix: "gp-outside-" });
  const marker = join(outside, "simulator-was-here");
  for await (const e of Deno.readDir(join(root, "examples/acme-glow"))) {
    await Deno.copyFile(join(root, "examples/acme-glow", e.name), join(src, e.name));
  }
  // The "simulator" does what any vendor code could: write outside its folder and run a program.
  await Deno.writeTextFile(
    join(src, "sneaky_sim.ts"),
    `import { createSimulatedDevice as real } from "./simulator.ts";
const tried: string[] = [];
try { Deno.writeTextFileSync(${
      JSON.stringify(marker)
    }, "written"); tried.push("write"); } catch { /* denied */ }
try { new Deno.Command("true").outputSync(); tried.push("run"); } catch { /* denied */ }
if (tried.length) console.error("simulator escaped: " + tried.join(", "));
export const createSimulatedDevice = real;
`,
  );
  const m = JSON.parse(await Deno.readTextFile(join(src, "plugin.json")));
  await Deno.writeTextFile(join(src, "plugin.json"), JSON.stringify({ ...m, simulator: "sneaky_sim.ts" }));
  const r = await plugin(dir, "check", src);
  assert.not.match(r.out, /simulator escaped/);
  assert.not.ok(
    await Deno.stat(marker).then(() => true, () => false),
    "the simulator wrote outside its folder",
  );
  assert.is(r.code, 0, r.out);
  assert.match(r.out, /22 passed, 0 failed/);
  assert.match(r.out, /acme\.glow: OK/);
  for (const d of [dir, src, outside]) await Deno.remove(d, { recursive: true });
});

test("check reports a simulator that reads a file outside its folder as a finding, not a crash", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const src = await Deno.makeTempDir({ prefix: "gp-src-" });
  for await (const e of Deno.readDir(join(root, "examples/acme-glow"))) {
    await Deno.copyFile(join(root, "examples/acme-glow", e.name), join(src, e.name));
  }
  await Deno.writeTextFile(
    join(src, "nosy_sim.ts"),
    `export const seen = Deno.readTextFileSync("/etc/hostname");\nexport * from "./simulator.ts";\n`,
  );
  const m = JSON.parse(await Deno.readTextFile(join(src, "plugin.json")));
  await Deno.writeTextFile(join(src, "plugin.json"), JSON.stringify({ ...m, simulator: "nosy_sim.ts" }));
  const r = await plugin(dir, "check", src);
  assert.is(r.code, 1, r.out);
  assert.match(r.out, /FAIL {2}sandbox — .*Requires read access to "\/etc\/hostname"/);
  assert.match(r.out, /acme\.glow: NOT OK/);
  assert.not.match(r.out, /at async| {4}at /, "a stack trace instead of a finding");
  for (const d of [dir, src]) await Deno.remove(d, { recursive: true });
});

test("a bad PLUGIN_CALL_TIMEOUT_MS stops `plugin check` with one line naming it, exit 2 (it was NaN)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  const slow = await plugin(dir, "check", join(root, "examples/acme-glow"), {
    PLUGIN_CALL_TIMEOUT_MS: "abc",
  });
  assert.is(slow.code, 2, slow.out);
  assert.is(
    slow.out.trim(),
    'Cannot run plugin command: PLUGIN_CALL_TIMEOUT_MS must be an integer 20..10000, got "abc"',
  );
  await Deno.remove(dir, { recursive: true });
});

test("plugin code in examples/ and plugins/sim-text imports only the SDK and its own folder", async () => {
  const offenders: string[] = [];
  for (const folder of ["examples/acme-glow", "plugins/sim-text"]) {
    for await (const e of Deno.readDir(join(root, folder))) {
      if (!e.name.endsWith(".ts")) continue;
      const text = await Deno.readTextFile(join(root, folder, e.name));
      for (const m of text.matchAll(/from\s+"([^"]+)"/g)) {
        const spec = m[1]!;
        if (spec !== "@glidepath/sdk" && !/^\.\/[a-z_]+\.ts$/.test(spec)) {
          offenders.push(`${folder}/${e.name} → ${spec}`);
        }
      }
    }
  }
  assert.equal(offenders, []);
});

test("list names the chain's decision where it applies, and enable says that the chain's stays in force", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-cli-" });
  await plugin(dir, "add", await glowSource());
  // As a station's pull leaves it: the chain revoked acme.glow (row 4).
  const revoked = {
    id: 4,
    salon_id: null,
    plugin_id: "acme.glow",
    enabled: false,
    version: "0.3.1",
    permissions: {},
    files_hash: "0".repeat(64),
    decided_by: "ops@chain",
    decided_at: "2026-12-01T10:00:00Z",
  };
  await Deno.writeTextFile(
    join(dir, "central-approvals.json"),
    JSON.stringify({ version: 1, pulledAt: "2026-12-01T10:00:01Z", rows: [revoked] }),
  );
  const list = await plugin(dir, "list");
  assert.match(
    list.out,
    /acme\.glow\s+0\.3\.1\s+operator\s+disabled\s+device-driver,routine {2}\[chain row 4\] {2}— revoked by/,
  );
  const enabled = await plugin(dir, "enable", "acme.glow");
  assert.is(enabled.code, 0, enabled.out);
  assert.match(
    enabled.out,
    /note: the chain's central decision \(row 4\) is in force for acme\.glow at this station/,
  );
  assert.match((await plugin(dir, "list")).out, /acme\.glow .* disabled .*\[chain row 4\]/);
  await Deno.remove(dir, { recursive: true });
});

test.run();
