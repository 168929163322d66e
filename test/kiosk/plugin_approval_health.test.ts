/** A plugin whose files changed after approval is not used by the kiosk, and /api/health tells the operator to approve it again. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { installGlow } from "../plugins/fixtures/glow_install.ts";
import { startGlowKiosk } from "./_glow_kiosk.ts";

test("changed after approval: the Glow's device is not driven by it and health says approve again", async () => {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-kh-" });
  await installGlow(pluginDir, { approve: true });
  // One byte of one file changes after the approval (an update, a tampered copy).
  const routines = join(pluginDir, "acme.glow", "routines.json");
  await Deno.writeTextFile(routines, (await Deno.readTextFile(routines)).replace(/\n$/, " "));

  const { kiosk, sim, lines, close } = await startGlowKiosk(pluginDir, { live: false });
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
    await close();
  }
});

test.run();
