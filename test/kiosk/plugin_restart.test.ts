/** The kiosk restarts a driver plugin that was stopped for slowness; output stays 0 until an operator reset and a resume. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import type { Kiosk } from "../../kiosk/mod.ts";
import { installGlow } from "../plugins/fixtures/glow_install.ts";
import { startGlowKiosk } from "./_glow_kiosk.ts";
import { CHEEK, NO } from "./_fixtures.ts";

/** Real time until check() holds, probing the cheek every 20 ms meanwhile (a guard, not a timing check). */
async function probeUntil(
  kiosk: Kiosk,
  check: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  const probes = setInterval(
    () => kiosk.runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 }),
    20,
  );
  try {
    for (let waited = 0; !(await check()); waited += 20) {
      if (waited > 15_000) throw new Error(`guard time passed waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    clearInterval(probes);
  }
}

test("a driver plugin slow once: stopped, output 0, restarted after 1 s, still 0 until reset and resume, then it drives again", async () => {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-kr-" });
  // The operator approves it, with its ./state read and write.
  await installGlow(pluginDir, { slow: "once", approve: true });
  const { kiosk, sim, lines, close } = await startGlowKiosk(pluginDir, {
    kiosk: {
      pluginCallTimeoutMs: 300, // the slow answer takes 3 s
      // About the plugin's watchdog, not the machine's load: the telemetry watchdog must not fire first.
      deviceHost: { telemetryTimeoutMs: 5000, staleReconnectMs: 10_000 },
    },
  });
  const frames: EngineFrame[] = [];
  kiosk.runner.observe({ frame: (f) => void frames.push(f) });
  const glow = async () =>
    (await (await fetch(`${kiosk.url}api/health`)).json()).plugins.find((p: { id: string }) =>
      p.id === "acme.glow"
    );
  try {
    kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: NO }, "operator");
    await probeUntil(kiosk, () => lines.some((l) => /plugins: acme\.glow failed/.test(l)), "the failure");
    assert.ok(
      lines.some((l) => /acme\.glow failed: call "codec\.call" not answered within 300 ms/.test(l)),
      lines.join("\n"),
    );
    assert.is(kiosk.runner.lastFrame?.currentUa, 0);
    assert.match((await glow()).error, /restarting in 1000 ms/);

    await probeUntil(kiosk, async () => (await glow()).state === "running", "the restart");
    assert.ok(lines.some((l) => /plugin "acme\.glow" restarted after 1000 ms/.test(l)), lines.join("\n"));
    const from = frames.length;
    await probeUntil(kiosk, () => frames.length > from + 15, "frames after the restart");
    assert.ok(frames.slice(from).every((f) => f.currentUa === 0), "a restart alone lets no current flow");
    assert.is(sim.outputUa, 0);
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    assert.is(health.device.state, "fault", "the device host holds its stop until an operator reset");

    kiosk.runner.submit({ type: "reset" }, "operator");
    kiosk.runner.submit({ type: "resume" }, "page"); // the person presses Resume
    await probeUntil(
      kiosk,
      () => (kiosk.runner.lastFrame?.currentUa ?? 0) > 35 && sim.outputUa > 30,
      "output",
    );
    assert.is((await glow()).state, "running", "honest now: no second failure");
  } finally {
    await close();
  }
});

test.run();
