/** Sandboxed plugins: each way a driver can fail stops it within the watchdog, kills its process, and tells the host why. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateManifest } from "../../core/manifest/mod.ts";
import { PluginFailedError, PluginProcess } from "../../kiosk/plugins/sandbox.ts";
import {
  type SandboxedDriver,
  type SandboxedDriverOptions,
  startSandboxedDriver,
} from "../../kiosk/plugins/sandboxed_driver.ts";
import { inspectTextOutput } from "../../plugins/sim-text/mod.ts";
import { badManifest } from "./_manifests.ts";

// Fixture drivers share the first-party GP-TXT codec from outside their folder: the host preloads it.
const hostModules = [new URL("./fixtures/bad/_base.ts", import.meta.url)];
const command = { currentUa: 100, freqHz: 3, polarity: "alternating" as const, validForMs: 100 };

function manifestFor(how: string) {
  return validateManifest(badManifest(how));
}

// Failures other than a hang get a generous watchdog so a loaded machine cannot turn them into timeouts.
async function start(how: string, options: SandboxedDriverOptions = {}): Promise<SandboxedDriver> {
  const timeout = how === "busy" ? {} : { callTimeoutMs: 3000 };
  return await startSandboxedDriver(manifestFor(how), new URL(`./fixtures/bad/${how}.ts`, import.meta.url), {
    hostModules,
    ...timeout,
    ...options,
  });
}

async function processGone(pid: number): Promise<boolean> {
  const { code } = await new Deno.Command("kill", { args: ["-0", String(pid)], stderr: "null" }).output();
  return code !== 0;
}

// Runs output() on a misbehaving driver and returns what the host saw.
async function provoke(how: string, options: SandboxedDriverOptions = {}) {
  const driver = await start(how, options);
  const failures: string[] = [];
  let zeroed = false;
  driver.onFailure((reason) => {
    failures.push(reason);
    zeroed = true; // what the device host does here: engine fault event → output 0, then standbyStop
  });
  const codec = await driver.createCodec();
  await codec.hello();
  const error = await codec.output(command).then(() => null, (e) => e);
  const status = await driver.process.exited;
  return { driver, failures, zeroed, error, status, gone: await processGone(driver.process.pid) };
}

test("the child loads with the project's lock file, frozen (a broken lock stops it; no --no-lock)", async () => {
  const entry = new URL("./fixtures/lingering.ts", import.meta.url);
  const ok = new PluginProcess("test.locked", entry, { callTimeoutMs: 3000, hostModules });
  assert.ok(ok.args.includes("--frozen") && !ok.args.includes("--no-lock"), ok.args.join(" "));
  assert.ok(
    ok.args.includes(`--lock=${new URL("../../deno.lock", import.meta.url).pathname}`),
    ok.args.join(" "),
  );
  assert.is(await ok.call("ping"), "pong");
  await ok.dispose();

  const broken = await Deno.makeTempFile({ suffix: ".lock" });
  await Deno.writeTextFile(broken, "{ not a lock file");
  const bad = new PluginProcess("test.bad-lock", entry, {
    callTimeoutMs: 3000,
    lockPath: broken,
    hostModules,
  });
  const error = await bad.call("ping").then(() => null, (e) => e);
  assert.instance(error, PluginFailedError);
  assert.match(bad.error ?? "", /process exited unexpectedly/);
  await bad.dispose();
  await Deno.remove(broken);
});

test("a healthy sandboxed driver encodes frames and stays running", async () => {
  const driver = await start("none");
  const codec = await driver.createCodec();
  const bytes = await codec.output(command);
  assert.equal(inspectTextOutput(bytes), { currentUa: 100, polarity: "alternating", validForMs: 100 });
  assert.is(driver.process.state, "running");
  assert.ok(driver.standbyStop.length > 0);
  await driver.dispose();
  assert.ok(await processGone(driver.process.pid));
});

test("a driver that throws is stopped, reported with its message, and its process is gone", async () => {
  const r = await provoke("throw");
  assert.instance(r.error, PluginFailedError);
  assert.match(r.failures[0]!, /"codec\.call" threw Error: driver bug: cannot encode/);
  assert.is(r.driver.process.state, "failed");
  assert.ok(r.zeroed);
  assert.ok(r.gone);
});

test("a driver stuck in a busy loop is killed by the 200 ms watchdog", async () => {
  const r = await provoke("busy");
  assert.instance(r.error, PluginFailedError);
  assert.is(r.failures[0], 'call "codec.call" not answered within 200 ms');
  assert.is(r.status.signal, "SIGKILL");
  assert.ok(r.gone);
});

test("a driver that floods stdout with messages is killed", async () => {
  const r = await provoke("flood");
  assert.match(r.failures[0]!, /message flood/);
  assert.instance(r.error, PluginFailedError);
  assert.ok(r.gone);
});

test("a driver that exhausts its heap dies and the death is detected", async () => {
  const r = await provoke("memory", { heapMb: 32, callTimeoutMs: 5000 });
  assert.instance(r.error, PluginFailedError);
  assert.match(r.failures[0]!, /process exited unexpectedly/);
  assert.not.ok(r.status.success);
  assert.ok(r.gone);
});

test("a driver that hoards ArrayBuffers outside the V8 heap is stopped by the resident-memory cap", async () => {
  const r = await provoke("buffers", { maxRssMb: 200, callTimeoutMs: 10_000 });
  assert.instance(r.error, PluginFailedError);
  assert.match(r.failures[0]!, /^memory: resident set \d+ MiB over the 200 MiB cap$/);
  assert.ok(r.gone);
});

test("a driver that floods its log (stderr) is stopped", async () => {
  const r = await provoke("log-flood", { callTimeoutMs: 10_000 });
  assert.match(r.failures[0]!, /^log flood: more than 1048576 bytes on stderr$/);
  assert.ok(r.gone);
});

test("a driver that exits on its own is detected as failed", async () => {
  const r = await provoke("exit");
  assert.match(r.failures[0]!, /process exited unexpectedly with code 3/);
  assert.ok(r.gone);
});

test("a driver whose bytes ask for more current than the engine did is stopped", async () => {
  const r = await provoke("overcurrent");
  assert.is(r.failures[0], "output() encoded 200 µA when the engine asked for 100 µA");
  assert.instance(r.error, PluginFailedError);
  assert.ok(r.gone);
});

test("a driver that lies in inspectOutput is caught by the host's trusted decoder", async () => {
  const r = await provoke("lying-overcurrent", { trustedInspector: inspectTextOutput });
  assert.is(r.failures[0], "output() encoded 200 µA when the engine asked for 100 µA");
  assert.ok(r.gone);
});

test("one plugin failing leaves another sandboxed plugin working", async () => {
  const healthy = await start("none");
  const r = await provoke("throw");
  assert.is(r.driver.process.state, "failed");
  const codec = await healthy.createCodec();
  assert.equal(inspectTextOutput(await codec.output(command)), {
    currentUa: 100,
    polarity: "alternating",
    validForMs: 100,
  });
  await healthy.dispose();
});

test("a plugin that keeps timers running still exits when the host closes its stdin", async () => {
  const proc = new PluginProcess("test.lingering", new URL("./fixtures/lingering.ts", import.meta.url), {
    callTimeoutMs: 3000,
    hostModules,
  });
  assert.is(await proc.call("ping"), "pong");
  await proc.closeInput();
  const status = await proc.exited;
  assert.is(status.code, 0);
  assert.is(status.signal, null);
  assert.ok(await processGone(proc.pid));
});

test("commands outside the envelope are refused by the host without stopping the plugin", async () => {
  const driver = await start("none");
  const codec = await driver.createCodec();
  const error = await codec.output({ ...command, currentUa: 900 }).then(() => null, (e) => e);
  assert.instance(error, RangeError);
  assert.is(driver.process.state, "running");
  await driver.dispose();
});

test("a plugin gets no permissions: reading a file is denied", async () => {
  const driver = await startSandboxedDriver(
    { ...manifestFor("none"), id: "test.reader" },
    new URL("./fixtures/reader.ts", import.meta.url),
    { hostModules },
  ).catch((e) => e);
  assert.instance(driver, PluginFailedError);
  assert.match((driver as Error).message, /NotCapable|Requires read access/);
});

test.run();
