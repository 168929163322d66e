/** The kiosk runtime drives a device through an approved third-party driver plugin, and survives its failure. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { startKiosk } from "../../kiosk/mod.ts";
import { createPluginHost } from "../../kiosk/plugins/mod.ts";
import { createSimulatedDevice } from "../../examples/acme-glow/simulator.ts";
import { installGlow } from "../plugins/fixtures/glow_install.ts";
import { CHEEK, NO } from "./_fixtures.ts";

/** A kiosk with examples/acme-glow approved in a temp PLUGIN_DIR and the Glow's simulated device attached. */
async function glowKiosk(options: { buggy?: boolean } = {}) {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-kp-" });
  await installGlow(pluginDir, options);
  const approve = await createPluginHost({ operatorDir: pluginDir });
  await approve.enable("acme.glow"); // the operator approves it (as `plugin enable` does)
  await approve.dispose();
  const sim = createSimulatedDevice();
  sim.setContact(true, 5000);
  const firmware = setInterval(() => sim.advance(20), 20);
  const lines: string[] = [];
  const kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    dataDir: await Deno.makeTempDir({ prefix: "gp-kp-" }),
    pluginDir,
    usb: { getDevices: () => Promise.resolve([sim.device]) },
    usbSimulated: true,
    // About the wiring, not the machine's load: a loaded box must not trip the telemetry watchdog first.
    deviceHost: { telemetryTimeoutMs: 5000, staleReconnectMs: 10_000 },
    log: (l) => void lines.push(l),
  });
  const health = async () => await (await fetch(`${kiosk.url}api/health`)).json();
  /** Runs a free session on the cheek until `until(frame)` or 8 s (a guard, not a timing check). */
  const session = async (until: (ua: number, limit: string) => boolean) => {
    kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: NO }, "operator");
    const done = Promise.withResolvers<void>();
    const guard = setTimeout(() => done.reject(new Error("session guard time passed")), 8000);
    const probes = setInterval(() => {
      kiosk.runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 }, "page");
    }, 20);
    const off = kiosk.runner.observe({ frame: (f) => void (until(f.currentUa, f.limit) && done.resolve()) });
    try {
      await done.promise;
    } finally {
      clearTimeout(guard);
      clearInterval(probes);
      off();
    }
  };
  const close = async () => {
    clearInterval(firmware);
    await kiosk.shutdown();
    sim.dispose();
  };
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
