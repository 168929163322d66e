/** A plugin whose files changed after approval is not used by the kiosk, and /api/health tells the operator to approve it again. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { startKiosk } from "../../kiosk/mod.ts";
import { createPluginHost } from "../../kiosk/plugins/mod.ts";
import { createSimulatedDevice } from "../../examples/acme-glow/simulator.ts";
import { installGlow } from "../plugins/fixtures/glow_install.ts";

test("changed after approval: the Glow's device is not driven by it and health says approve again", async () => {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-kh-" });
  await installGlow(pluginDir);
  const approve = await createPluginHost({ operatorDir: pluginDir });
  await approve.enable("acme.glow");
  await approve.dispose();
  // One byte of one file changes after the approval (an update, a tampered copy).
  const routines = join(pluginDir, "acme.glow", "routines.json");
  await Deno.writeTextFile(routines, (await Deno.readTextFile(routines)).replace(/\n$/, " "));

  const sim = createSimulatedDevice();
  const lines: string[] = [];
  const kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    dataDir: await Deno.makeTempDir({ prefix: "gp-kh-" }),
    pluginDir,
    usb: { getDevices: () => Promise.resolve([sim.device]) },
    usbSimulated: true,
    log: (l) => void lines.push(l),
  });
  try {
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    const glow = health.plugins.find((p: { id: string }) => p.id === "acme.glow");
    assert.equal(glow, {
      id: "acme.glow",
      state: "changed-since-approval",
      error: "files changed since approval; approve again: deno task plugin enable acme.glow",
    });
    assert.not.ok(lines.some((l) => /driven by plugin acme\.glow/.test(l)), lines.join("\n"));
    assert.not.ok(sim.device.opened, "the kiosk opened the device for an unapproved driver");
  } finally {
    await kiosk.shutdown();
    sim.dispose();
  }
});

test.run();
