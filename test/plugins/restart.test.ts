/** The reply watchdog is a validated setting, and a plugin stopped for slowness is restarted with backoff (fake clock). */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  createPluginHost,
  type PluginHostOptions,
  type SandboxedDriver,
  validateCallTimeoutMs,
} from "../../kiosk/plugins/mod.ts";
import { startKiosk } from "../../kiosk/mod.ts";
import { ManualClock } from "../../plugins/sim-binary/mod.ts";
import { installGlow } from "./fixtures/glow_install.ts";

const OUT = { freqHz: 3, polarity: "alternating", validForMs: 100 } as const;

/** The Glow plugin, slow at 13 µA, loaded by a plugin host whose restart timers run on a manual clock. */
async function slowGlow(restart: PluginHostOptions["restart"], slow: "at-13" | "buggy" = "at-13") {
  const dir = await Deno.makeTempDir({ prefix: "gp-restart-" });
  await installGlow(dir, slow === "buggy" ? { buggy: true } : { slow });
  const clock = new ManualClock();
  const lines: string[] = [];
  // A 1 s watchdog: an honest answer on a loaded box stays far below it, the slow one (3 s) far above.
  const host = await createPluginHost({
    operatorDir: dir,
    sandbox: { callTimeoutMs: 1000 },
    restart,
    clock,
    log: (line) => void lines.push(line),
  });
  await host.enable("acme.glow");
  const driver = await host.loadDriver("acme.glow") as SandboxedDriver;
  const health = () => host.health().find((h) => h.id === "acme.glow")!;
  /** Asks the running process for ua µA and waits for its answer or its failure. */
  const ask = async (ua: number) => {
    const codec = await driver.createCodec();
    return await codec.output({ currentUa: ua, ...OUT }).then(() => "answered", (e: Error) => e.message);
  };
  /** Real time for the restarted process to come up (a guard, not a timing check). */
  const untilRunning = async () => {
    for (let i = 0; i < 1000 && driver.state !== "running"; i++) await new Promise((r) => setTimeout(r, 10));
  };
  const close = async () => {
    await host.dispose();
    await Deno.remove(dir, { recursive: true });
  };
  return { host, driver, clock, lines, health, ask, untilRunning, close, dir };
}

test("the reply watchdog setting is an integer 20..10000 ms; anything else is refused, naming the value", async () => {
  assert.is(validateCallTimeoutMs(1000), 1000);
  for (const bad of [19, 10_001, 250.5, Number.NaN, "300", null]) {
    assert.throws(() => validateCallTimeoutMs(bad), /callTimeoutMs must be an integer 20\.\.10000 ms, got /);
  }
  assert.throws(
    () => validateCallTimeoutMs("abc", "PLUGIN_CALL_TIMEOUT_MS"),
    /PLUGIN_CALL_TIMEOUT_MS .*got "abc"/,
  );
  const dir = await Deno.makeTempDir({ prefix: "gp-restart-" });
  await createPluginHost({ operatorDir: dir, sandbox: { callTimeoutMs: 5 } }).then(
    () => assert.unreachable("a 5 ms watchdog was accepted"),
    (e) => assert.match(String(e), /RangeError: callTimeoutMs must be an integer 20\.\.10000 ms, got 5/),
  );
  // The kiosk checks it before it builds, opens or writes anything.
  const dataDir = `${dir}/data`;
  await startKiosk({ pluginCallTimeoutMs: 5, buildUi: false, dataDir, port: 0 }).then(
    () => assert.unreachable("the kiosk started with a 5 ms watchdog"),
    (e) =>
      assert.match(
        String(e),
        /Cannot start kiosk: pluginCallTimeoutMs must be an integer 20\.\.10000 ms, got 5/,
      ),
  );
  assert.not.ok(await Deno.stat(dataDir).then(() => true, () => false), "nothing was written");
  await Deno.remove(dir, { recursive: true });
});

test("PLUGIN_CALL_TIMEOUT_MS is read and checked by the kiosk's entry before it starts", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../kiosk/main.ts", import.meta.url).pathname],
    env: {
      PLUGIN_CALL_TIMEOUT_MS: "abc",
      DATA_DIR: await Deno.makeTempDir({ prefix: "gp-restart-" }),
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.is.not(out.code, 0);
  assert.match(
    new TextDecoder().decode(out.stderr),
    /Cannot start kiosk: PLUGIN_CALL_TIMEOUT_MS must be an integer 20\.\.10000, got "abc"/,
  );
});

test("a plugin stopped for slowness is restarted after 1 s, 2 s, 4 s (capped), and after 1 s again once it ran a minute", async () => {
  const g = await slowGlow({ initialMs: 1000, maxMs: 4000, resetAfterMs: 60_000 });
  assert.is(await g.ask(40), "answered");
  for (const delay of [1000, 2000, 4000, 4000, 1000]) {
    if (delay === 1000 && g.clock.now() > 0) await g.clock.run(60_000); // a minute without a failure
    assert.match(await g.ask(13), /not answered within 1000 ms/);
    assert.ok(g.driver.failedSlow);
    assert.equal(g.health(), {
      id: "acme.glow",
      state: "failed",
      error: `call "codec.call" not answered within 1000 ms; restarting in ${delay} ms`,
    });
    await g.clock.run(delay - 1);
    assert.is(g.driver.state, "failed", `not restarted before ${delay} ms`);
    await g.clock.run(1);
    await g.untilRunning();
    assert.is(g.health().state, "running");
    assert.is(await g.ask(40), "answered", "the new process answers");
  }
  assert.ok(g.lines.some((l) => /plugin "acme\.glow" restarted after 4000 ms/.test(l)), g.lines.join("\n"));
  await g.close();
});

test("a plugin that misbehaves (throws) is not restarted: it stays failed for the operator", async () => {
  const g = await slowGlow(undefined, "buggy");
  assert.match(await g.ask(40), /glow bug/);
  assert.is(g.clock.pendingTimers, 0);
  await g.clock.run(120_000);
  assert.is(g.driver.state, "failed");
  assert.equal(g.health().state, "failed");
  assert.not.match(g.health().error ?? "", /restarting/);
  await g.close();
});

test("a plugin whose files changed while it was stopped is not restarted: the new files need a new approval", async () => {
  const g = await slowGlow({ initialMs: 1000, maxMs: 4000, resetAfterMs: 60_000 });
  assert.match(await g.ask(13), /not answered within 1000 ms/);
  const entry = join(g.dir, "acme.glow", "codec.ts");
  await Deno.writeTextFile(entry, (await Deno.readTextFile(entry)) + "\n// changed after approval\n");
  await g.clock.run(1000);
  await new Promise((r) => setTimeout(r, 200)); // a restart, had it started, would be under way
  assert.is(g.driver.state, "failed", "no fresh process on changed files");
  assert.match(g.health().error ?? "", /not restarted: files changed since approval/);
  assert.ok(g.lines.some((l) => /not restarted: files changed since approval/.test(l)), g.lines.join("\n"));
  await g.close();
});

/** A chain revocation of acme.glow, as the central store returns it (a revocation needs no more). */
const REVOKE = {
  id: "9",
  salon_id: null,
  plugin_id: "acme.glow",
  enabled: false,
  decided_by: "ops@chain",
  decided_at: "2026-12-03T10:00:00Z",
};

test("a chain revocation that arrives while a slow plugin's fresh process is coming up keeps it off", async () => {
  const g = await slowGlow({ initialMs: 1000, maxMs: 4000, resetAfterMs: 60_000 });
  assert.match(await g.ask(13), /not answered within 1000 ms/);
  try {
    await g.clock.run(1000); // the restart's checks pass and its process starts
    await g.host.applyCentral([REVOKE]); // ... and the chain revokes the plugin before it is up
    await g.untilRunning();
    await new Promise((r) => setTimeout(r, 200)); // the restart, done, has put the driver back or not
    assert.is.not(g.health().state, "running", "a revoked plugin's driver is running again");
    assert.match(g.health().error ?? "", /revoked by the chain/, JSON.stringify(g.health()));
  } finally {
    await g.close();
  }
});

test("a chain revocation that arrives while a driver is being loaded: the load is refused, nothing runs", async () => {
  const g = await slowGlow({ initialMs: 1000, maxMs: 4000, resetAfterMs: 60_000 });
  await g.host.disable("acme.glow"); // the running one is stopped (the operator's step) ...
  await g.host.enable("acme.glow"); // ... and approved again, so a fresh load starts a process
  try {
    const loading = g.host.loadDriver("acme.glow").then(() => "loaded", (e: Error) => e.message);
    await g.host.applyCentral([REVOKE]);
    const loaded = await loading;
    assert.is.not(g.health().state, "running", `a revoked plugin's driver is running (${loaded})`);
    assert.match(loaded, /revoked by the chain/);
  } finally {
    await g.close();
  }
});

test.run();
