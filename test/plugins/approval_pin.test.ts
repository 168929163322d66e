/** Approval is pinned to a hash of every file in the plugin's folder: one changed byte and it does not load until approved again. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { createPluginHost } from "../../kiosk/plugins/mod.ts";
import { hashPluginFiles, listPluginFiles } from "../../kiosk/plugins/files.ts";
import { installGlow } from "./fixtures/glow_install.ts";

const CHANGED = /^files changed since approval; approve again: deno task plugin enable acme\.glow$/;

async function approvedGlow() {
  const dir = await Deno.makeTempDir({ prefix: "gp-pin-" });
  await installGlow(dir);
  const host = await createPluginHost({ operatorDir: dir, sandbox: { callTimeoutMs: 3000 } });
  await host.enable("acme.glow");
  return { dir, host, glow: join(dir, "acme.glow") };
}

// The final newline becomes a space: one byte differs and the module still parses.
async function changeLastByte(path: string): Promise<void> {
  const bytes = await Deno.readFile(path);
  assert.is(bytes[bytes.length - 1], 0x0a);
  bytes[bytes.length - 1] = 0x20;
  await Deno.writeFile(path, bytes);
}

test("approve, change one byte: refused with the reason in health; approve again: it loads", async () => {
  const { dir, host, glow } = await approvedGlow();
  const first = await host.loadDriver("acme.glow");
  assert.is(first.state, "running");
  await host.dispose();

  await changeLastByte(join(glow, "codec.ts"));
  // No refresh: the load itself hashes the files again.
  const error = await host.loadDriver("acme.glow").then(() => null, (e) => e as Error);
  assert.instance(error, Error);
  assert.match(
    error!.message,
    /^Cannot load plugin "acme\.glow": files changed since approval; approve again/,
  );
  const health = host.health().find((h) => h.id === "acme.glow")!;
  assert.is(health.state, "changed-since-approval");
  assert.match(health.error!, CHANGED);

  await host.enable("acme.glow");
  const again = await host.loadDriver("acme.glow");
  assert.is(again.state, "running");
  assert.equal(host.health().find((h) => h.id === "acme.glow"), {
    id: "acme.glow",
    state: "running",
    error: null,
  });
  await host.dispose();
  await Deno.remove(dir, { recursive: true });
});

test("a file added anywhere in the folder (not only code) also needs a new approval", async () => {
  const { dir, glow } = await approvedGlow();
  await Deno.mkdir(join(glow, "assets"));
  await Deno.writeTextFile(join(glow, "assets", "notes.txt"), "x");
  const host = await createPluginHost({ operatorDir: dir });
  const status = host.list().find((s) => s.id === "acme.glow")!;
  assert.is(status.state, "changed-since-approval");
  assert.match(status.error!, CHANGED);
  assert.equal(host.driverFor({ vendorId: 0x1209, productId: 0xac02, deviceClass: 0xff }), null);
  const { routines } = await host.loadRoutines();
  assert.not.ok(routines.some((r) => r.id.startsWith("acme")), "a changed plugin's routines are not loaded");
  await Deno.remove(dir, { recursive: true });
});

test("an approval recorded before files were pinned counts as changed", async () => {
  const { dir } = await approvedGlow();
  const statePath = join(dir, "state.json");
  const state = JSON.parse(await Deno.readTextFile(statePath));
  delete state.plugins["acme.glow"].filesHash;
  await Deno.writeTextFile(statePath, JSON.stringify(state));
  const host = await createPluginHost({ operatorDir: dir });
  assert.is(host.list().find((s) => s.id === "acme.glow")!.state, "changed-since-approval");
  await Deno.remove(dir, { recursive: true });
});

test("the hash covers every file in a stable order; links are refused; data (not code) in approved write folders is left out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-hash-" });
  await Deno.mkdir(join(dir, "b"));
  await Deno.mkdir(join(dir, "data"));
  await Deno.writeTextFile(join(dir, "b", "x.ts"), "1");
  await Deno.writeTextFile(join(dir, "a.json"), "{}");
  assert.equal(listPluginFiles(dir), ["a.json", "b/x.ts"]);
  const before = hashPluginFiles(dir);
  assert.match(before, /^sha256:[0-9a-f]{64}$/);
  assert.is(hashPluginFiles(dir), before);
  // Moving content between files changes the hash even though the bytes are the same.
  await Deno.writeTextFile(join(dir, "a.json"), "{}1");
  await Deno.writeTextFile(join(dir, "b", "x.ts"), "");
  assert.is.not(hashPluginFiles(dir), before);
  const withData = hashPluginFiles(dir, ["./data"]);
  await Deno.writeTextFile(join(dir, "data", "log.txt"), "written by the plugin");
  assert.is(hashPluginFiles(dir, ["./data"]), withData);
  assert.is.not(hashPluginFiles(dir), withData);
  // Code is approved wherever it lies: a plugin may write its data folder, not rewrite its code there.
  await Deno.writeTextFile(join(dir, "data", "later.ts"), "export {};");
  assert.is.not(hashPluginFiles(dir, ["./data"]), withData);
  // The manifest counts even if a (refused) grant on the folder itself reached the hasher.
  await Deno.writeTextFile(join(dir, "plugin.json"), '{"limits":{"maxCurrentUa":100}}');
  const withManifest = hashPluginFiles(dir, ["."]);
  await Deno.writeTextFile(join(dir, "plugin.json"), '{"limits":{"maxCurrentUa":500}}');
  assert.is.not(hashPluginFiles(dir, ["."]), withManifest, "a rewritten plugin.json is a changed plugin");
  await Deno.symlink("/etc/passwd", join(dir, "b", "link"));
  assert.throws(() => hashPluginFiles(dir), /contains a symbolic link: b\/link/);
  await Deno.remove(dir, { recursive: true });
});

test.run();
