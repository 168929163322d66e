/** The plugin host: discovery, approval, the example third-party plugin in its sandbox passing the kit, failures in /api/health. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { CONFORMANCE_CHECKS, runDriverConformance } from "../../core/sdk/mod.ts";
import { createPluginHost, type PluginHost } from "../../kiosk/plugins/mod.ts";
import { createSimulatedDevice as glowSim } from "../../examples/acme-glow/simulator.ts";
import { copy } from "../../tools/_copy_dir.ts";
import { badManifest } from "./_manifests.ts";

const root = new URL("../../", import.meta.url).pathname;

async function operatorFolder(...plugins: [name: string, from: string][]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "gp-plugins-" });
  for (const [name, from] of plugins) await copy(join(root, from), join(dir, name));
  return dir;
}

async function processGone(pid: number): Promise<boolean> {
  const { code } = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).output();
  return code !== 0;
}

test("first-party plugins are found and enabled; an installed operator plugin needs approval", async () => {
  const dir = await operatorFolder(["acme.glow", "examples/acme-glow"]);
  const host = await createPluginHost({ operatorDir: dir });
  const byId = Object.fromEntries(host.health().map((h) => [h.id, h]));
  assert.equal(byId["glidepath.sim-text"], { id: "glidepath.sim-text", state: "enabled", error: null });
  assert.is(byId["glidepath.routines-core"]?.state, "enabled");
  assert.equal(byId["acme.glow"], { id: "acme.glow", state: "needs-approval", error: null });
  const err = await host.loadDriver("acme.glow").then(() => null, (e) => e);
  assert.match(String(err), /Cannot load plugin "acme\.glow": not-approved/);
  await Deno.remove(dir, { recursive: true });
});

test("the example third-party driver runs in its sandbox after approval and passes the kit", async () => {
  const dir = await operatorFolder(["acme.glow", "examples/acme-glow"]);
  // A generous watchdog: this test is about the kit, not the machine's load.
  const host: PluginHost = await createPluginHost({ operatorDir: dir, sandbox: { callTimeoutMs: 3000 } });
  await host.enable("acme.glow");
  const driver = await host.loadDriver("acme.glow");
  assert.type(driver.pid, "number");
  assert.is(host.health().find((h) => h.id === "acme.glow")?.state, "running");
  const report = await runDriverConformance(driver, glowSim);
  assert.equal(report.checks.filter((c) => !c.ok), []);
  assert.is(report.passed, CONFORMANCE_CHECKS.length);
  await host.dispose();
  assert.ok(await processGone(driver.pid!));
  await Deno.remove(dir, { recursive: true });
});

test("a plugin that breaks its contract shows as failed with the reason, and the host carries on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-plugins-" });
  await Deno.mkdir(join(dir, "bad"));
  const fixture = new URL("./fixtures/bad/overcurrent.ts", import.meta.url).href;
  await Deno.writeTextFile(
    join(dir, "bad", "overcurrent.ts"),
    `export { driver } from ${JSON.stringify(fixture)};\n`,
  );
  await Deno.writeTextFile(
    join(dir, "bad", "plugin.json"),
    JSON.stringify(badManifest("overcurrent", { name: "Greedy" })),
  );
  // The re-exported fixture lives outside the plugin folder: the host preloads it, as it does the SDK.
  const host = await createPluginHost({
    operatorDir: dir,
    sandbox: { callTimeoutMs: 3000, hostModules: [fixture] },
  });
  await host.enable("test.bad-overcurrent");
  const failures: string[] = [];
  host.onFailure((f) => failures.push(`${f.id}: ${f.reason}`));
  const driver = await host.loadDriver("test.bad-overcurrent");
  const codec = await driver.createCodec();
  await codec.output({ currentUa: 40, freqHz: 3, polarity: "alternating", validForMs: 100 }).catch(() => {});
  assert.equal(failures, ["test.bad-overcurrent: output() encoded 80 µA when the engine asked for 40 µA"]);
  assert.equal(host.health().find((h) => h.id === "test.bad-overcurrent"), {
    id: "test.bad-overcurrent",
    state: "failed",
    error: "output() encoded 80 µA when the engine asked for 40 µA",
  });
  await driver.dispose();
  assert.ok(await processGone(driver.pid!));
  // The host still loads other drivers.
  const text = await host.loadDriver("glidepath.sim-text");
  assert.is(text.state, "running");
  await host.dispose();
  await Deno.remove(dir, { recursive: true });
});

test("invalid, incompatible and duplicate plugins are listed as invalid with the reason", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-plugins-" });
  const write = async (name: string, manifest: unknown) => {
    await Deno.mkdir(join(dir, name));
    await Deno.writeTextFile(
      join(dir, name, "plugin.json"),
      typeof manifest === "string" ? manifest : JSON.stringify(manifest),
    );
    await Deno.writeTextFile(join(dir, name, "routines.json"), '{"routines": []}');
  };
  const base = {
    name: "x",
    version: "1.0.0",
    apiVersion: "^1.0.0",
    kinds: ["routine"],
    entry: "routines.json",
  };
  await write("broken", "{ not json");
  await write("future", { ...base, id: "acme.future", apiVersion: "^2.0.0" });
  await write("dupe", { ...base, id: "glidepath.sim-text" });
  await write("badver", { ...base, id: "acme.badver", version: "1.x" });
  const host = await createPluginHost({ operatorDir: dir });
  const health = host.health().filter((h) => h.state === "invalid");
  const reason = (id: string) => health.find((h) => h.id === id)?.error ?? "";
  assert.match(reason("broken"), /plugin folder\/broken\/plugin\.json: not valid JSON/);
  assert.match(reason("acme.future"), /needs SDK API "\^2\.0\.0", this kiosk provides 1\.1\.0/);
  assert.match(reason("glidepath.sim-text"), /is already used by/);
  assert.match(reason("badver"), /"version" must be semver, got "1\.x"/);
  assert.is(
    host.health().find((h) => h.id === "glidepath.sim-text" && h.state === "enabled")?.state,
    "enabled",
  );
  await Deno.remove(dir, { recursive: true });
});

test("approval is bound to version and permissions; disabling a first-party plugin sticks", async () => {
  const dir = await operatorFolder(["acme.glow", "examples/acme-glow"]);
  const host = await createPluginHost({ operatorDir: dir });
  await host.enable("acme.glow");
  const manifestPath = join(dir, "acme.glow", "plugin.json");
  const m = JSON.parse(await Deno.readTextFile(manifestPath));
  await Deno.writeTextFile(
    manifestPath,
    JSON.stringify({ ...m, permissions: { net: ["acme.example:443"] } }),
  );
  await host.refresh();
  assert.is(host.health().find((h) => h.id === "acme.glow")?.state, "changed-since-approval");
  await host.disable("glidepath.sim-text");
  const again = await createPluginHost({ operatorDir: dir });
  assert.is(again.health().find((h) => h.id === "glidepath.sim-text")?.state, "disabled");
  await Deno.remove(dir, { recursive: true });
});

test("routines come from every enabled routine plugin, the example's included once approved", async () => {
  const dir = await operatorFolder(["acme.glow", "examples/acme-glow"]);
  const host = await createPluginHost({ operatorDir: dir });
  const before = await host.loadRoutines();
  assert.not.ok(before.routines.some((r) => r.id === "acme-glow-contour"));
  assert.ok(before.routines.length >= 1);
  await host.enable("acme.glow");
  const after = await host.loadRoutines();
  assert.equal(after.errors, []);
  assert.ok(after.routines.some((r) => r.id === "acme-glow-contour"));
  await Deno.remove(dir, { recursive: true });
});

test.run();
