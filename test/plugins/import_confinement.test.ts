/** A sandboxed plugin loads only its own files: every import trick aimed outside its folder is refused, nothing secret comes back. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { PluginProcess } from "../../kiosk/plugins/sandbox.ts";

const PIN = "739164";
const root = await Deno.makeTempDir({ prefix: "gp-confine-" });
const data = join(root, "data");
const dir = join(root, "data", "plugins", "evil");
await Deno.mkdir(dir, { recursive: true });
await Deno.writeTextFile(join(data, "operator-pin"), PIN);
await Deno.writeTextFile(join(data, "secret.json"), JSON.stringify({ pin: PIN }));
await Deno.writeTextFile(join(root, "outside.ts"), `export const secret = "${PIN}";\n`);

// Each attack is one entry module; it exports a "driver" whose id carries whatever it got.
const leak = (expr: string) => `export const driver = { id: String(${expr}), filters: [], endpoints: {} };\n`;
const pinUrl = `file://${join(data, "operator-pin")}`;
const dataUrl = "data:application/javascript," +
  encodeURIComponent(`export { default } from ${JSON.stringify(pinUrl)} with { type: "text" };`);
const ATTACKS: Record<string, string> = {
  "text import, relative, dynamic":
    `const m = await import("../../operator-pin", { with: { type: "text" } });\n` +
    leak("m.default"),
  "text import, absolute path, static":
    `import pin from ${JSON.stringify(join(data, "operator-pin"))} with { type: "text" };\n` +
    leak("pin"),
  "text import of /etc/passwd, static": `import pw from "/etc/passwd" with { type: "text" };\n` + leak("pw"),
  "JSON import, static": `import s from "../../secret.json" with { type: "json" };\n` + leak("s.pin"),
  "JSON import, dynamic": `const m = await import("../../secret.json", { with: { type: "json" } });\n` +
    leak("m.default.pin"),
  "file: URL, dynamic": `const m = await import(${JSON.stringify(pinUrl)}, { with: { type: "text" } });\n` +
    leak("m.default"),
  "code module outside the folder": `import { secret } from "../../../outside.ts";\n` + leak("secret"),
  "data: URL that imports the file": `const m = await import(${JSON.stringify(dataUrl)});\n` +
    leak("m.default"),
  "import.meta.resolve, then import": `const u = import.meta.resolve("../../operator-pin");\n` +
    `const m = await import(u, { with: { type: "text" } });\n` + leak("m.default"),
  // The worker's own module is the plugin's; what that module imports is checked like any other import.
  "a Worker whose module imports the file":
    `const w = new Worker(new URL("./pin_worker.ts", import.meta.url), { type: "module" });\n` +
    `const got = await new Promise((res) => { w.onmessage = (m) => res(m.data); ` +
    `w.onerror = (e) => { e.preventDefault(); res("denied: " + e.message); }; });\nw.terminate();\n` +
    leak("got"),
};
await Deno.writeTextFile(
  join(dir, "pin_worker.ts"),
  `import pin from ${JSON.stringify(pinUrl)} with { type: "text" };\nself.postMessage(pin);\n`,
);

async function attempt(file: string): Promise<{ id: unknown; error: string | null; stderr: string }> {
  const proc = new PluginProcess("test.evil", new URL(`file://${join(dir, file)}`), {
    pluginDir: dir,
    callTimeoutMs: 3000,
    startTimeoutMs: 10_000,
  });
  try {
    const described = await proc.call("describe") as { driver: { id: unknown } | null };
    return { id: described.driver?.id, error: null, stderr: proc.stderrTail };
  } catch (e) {
    return { id: undefined, error: String(e), stderr: proc.stderrTail };
  } finally {
    await proc.dispose();
  }
}

let n = 0;
for (const [name, code] of Object.entries(ATTACKS)) {
  const file = `attack_${n++}.ts`;
  await Deno.writeTextFile(join(dir, file), code);
  test(`refused: ${name}`, async () => {
    const r = await attempt(file);
    assert.not.ok(String(r.id).includes(PIN) || String(r.id).startsWith("root:"), `leaked: ${r.id}`);
    assert.not.ok(r.stderr.includes(PIN), r.stderr);
    // Refused either at load (the call fails) or inside the plugin, which caught the refusal.
    assert.match(r.error ?? String(r.id), /Requires read access/);
  });
}

test("the plugin's own modules, JSON and the SDK still load", async () => {
  await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify({ gain: 3 }));
  await Deno.writeTextFile(join(dir, "lib.ts"), `export const twice = (x: number) => 2 * x;\n`);
  await Deno.mkdir(join(dir, "sub"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "sub", "ok.ts"),
    `import { SDK_API_VERSION } from "@glidepath/sdk";\nimport cfg from "../config.json" with { type: "json" };\n` +
      `import { twice } from "../lib.ts";\nconst late = await import("../lib.ts");\n` +
      leak("`${SDK_API_VERSION} ${twice(cfg.gain)} ${late.twice(1)}`"),
  );
  const r = await attempt("sub/ok.ts");
  assert.is(r.error, null, r.stderr);
  assert.match(String(r.id), /^\d+\.\d+\.\d+ 6 2$/);
});

test("a plugin folder with a symbolic link does not start (Deno's read grant would follow the link)", async () => {
  const linked = join(root, "data", "plugins", "linked");
  await Deno.mkdir(linked, { recursive: true });
  await Deno.writeTextFile(join(linked, "mod.ts"), leak('"x"'));
  await Deno.symlink(join(data, "operator-pin"), join(linked, "pin.json"));
  assert.throws(
    () =>
      new PluginProcess("test.linked", new URL(`file://${join(linked, "mod.ts")}`), { pluginDir: linked }),
    /contains a symbolic link: pin\.json/,
  );
});

test.after(async () => {
  await Deno.remove(root, { recursive: true });
});

test.run();
