/** The kiosk runtime drives a device through an approved third-party driver plugin, and survives its failure. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { installGlow } from "../plugins/fixtures/glow_install.ts";
import { runCheekSession, startGlowKiosk } from "./_glow_kiosk.ts";

/** A kiosk with examples/acme-glow approved in a temp PLUGIN_DIR and the Glow's simulated device attached. */
async function glowKiosk(options: { buggy?: boolean } = {}) {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-kp-" });
  await installGlow(pluginDir, { ...options, approve: true }); // the operator approves it (as `plugin enable` does)
  const { kiosk, sim, lines, close } = await startGlowKiosk(pluginDir, {
    // About the wiring, not the machine's load: a loaded box must not trip the telemetry watchdog first.
    kiosk: { deviceHost: { telemetryTimeoutMs: 5000, staleReconnectMs: 10_000 } },
  });
  const health = async () => await (await fetch(`${kiosk.url}api/health`)).json();
  const session = (until: (ua: number, limit: string) => boolean) => runCheekSession(kiosk, until);
  return { kiosk, sim, lines, health, session, close };
}

test("an approved third-party driver plugin is selected for its device and drives it", async () => {
  const k = await glowKiosk();
  try {
    assert.ok(k.lines.some((l) => /driven by plugin acme\.glow/.test(l)), k.lines.join("\n"));
    await k.session((ua) => ua > 20);
    const h = await k.health();
    assert.is(h.device.driver, "acme.glow");
    assert.is(h.plugins.find((p: { id: string }) => p.id === "acme.glow")?.state, "running");
    assert.is(h.demoAllowed, true, "a simulated device");
  } finally {
    await k.close();
  }
});

test("a driver plugin that fails: output 0, health names the plugin and why, the kiosk keeps running", async () => {
  const k = await glowKiosk({ buggy: true });
  try {
    await k.session(() => k.lines.some((l) => /plugins: acme\.glow failed/.test(l)));
    assert.is(k.kiosk.runner.lastFrame?.limit, "device-fault");
    assert.is(k.kiosk.runner.lastFrame?.currentUa, 0);
    const h = await k.health();
    const glow = h.plugins.find((p: { id: string }) => p.id === "acme.glow");
    assert.is(glow?.state, "failed");
    assert.match(glow?.error ?? "", /glow bug: gain table overflow/);
    assert.is(h.engine.currentUa, 0);
    assert.is(k.sim.outputUa, 0);
    const before = k.kiosk.runner.lastFrame!.t;
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(k.kiosk.runner.lastFrame!.t > before, "the kiosk still ticks");
  } finally {
    await k.close();
  }
});

test.run();
