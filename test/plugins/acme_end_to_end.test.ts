/**
 * End to end, the way the kiosk runtime wires a plugin driver: pluginHost.driverFor(device) → loadDriver(id)
 * → DeviceHost → real Engine, with the approved third-party Acme Glow in its sandbox driving its simulated device.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../../core/engine/mod.ts";
import { DeviceHost } from "../../kiosk/device/mod.ts";
import { createPluginHost } from "../../kiosk/plugins/mod.ts";
import { ManualClock } from "../../plugins/sim-binary/mod.ts";
import { createSimulatedDevice } from "../../examples/acme-glow/simulator.ts";
import { installGlow } from "./fixtures/glow_install.ts";
import { approvalFromFolder } from "../../kiosk/central/approvals.ts";

const CHEEK = { u: 0.277, v: 0.532 };

/** A central row approving the plugin folder as it is (computed as `deno task central approve` does). */
async function chainApproval(dir: string, id = 1) {
  const f = await approvalFromFolder(dir);
  return {
    id,
    salon_id: null,
    plugin_id: f.pluginId,
    enabled: true,
    version: f.version,
    permissions: f.permissions,
    files_hash: f.filesHash,
    decided_by: "ops@chain",
    decided_at: new Date(),
  };
}

async function kiosk(options: { buggy?: boolean; centrally?: boolean } = {}) {
  const dir = await Deno.makeTempDir({ prefix: "gp-e2e-" });
  await installGlow(dir, options);
  // A generous watchdog: this test is about the wiring, not the machine's load.
  const plugins = await createPluginHost({ operatorDir: dir, sandbox: { callTimeoutMs: 3000 } });
  // The operator approves it, or the chain does (no operator step at this station).
  if (options.centrally) await plugins.applyCentral([await chainApproval(`${dir}/acme.glow`)]);
  else await plugins.enable("acme.glow");
  const sim = createSimulatedDevice();
  const id = plugins.driverFor(sim.device);
  assert.is(id, "acme.glow");
  const driver = await plugins.loadDriver(id!);
  const clock = new ManualClock();
  const host = new DeviceHost(driver, { getDevices: () => Promise.resolve([sim.device]) }, { clock });
  const engine = createEngine();
  const faults: string[] = [];
  const devices: unknown[] = [];
  host.subscribe((r) => {
    if (r.kind !== "event") return;
    if (r.event.type === "fault") faults.push(r.event.reason);
    if (r.event.type === "device") devices.push(r.event);
    engine.apply({ ...r.event, t: clock.now() });
  });
  sim.setContact(true, 5000);
  host.start();
  engine.apply({ t: 0, type: "start", routine: "free", comfort: 10, screening: {} });
  // Virtual time for engine, host and firmware; each step gives the sandbox real time to answer first.
  const run = async (ms: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      const t = clock.now();
      engine.apply({ t, type: "probe", points: [CHEEK], confidence: 0.95 });
      host.send(engine.frame(t));
      for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 1));
      sim.advance(20);
      await clock.run(20);
    }
  };
  const close = async () => {
    await host.dispose();
    await plugins.dispose();
    sim.dispose();
    await Deno.remove(dir, { recursive: true });
  };
  return { plugins, driver, host, engine, sim, faults, devices, run, close, clock, dir };
}

test("an approved third-party driver in its sandbox drives its device through DeviceHost with the real engine", async () => {
  const k = await kiosk();
  await k.run(1600);
  assert.equal(k.faults, []);
  assert.equal(k.devices[0], { type: "device", maxCurrentUa: 350, netDc: false });
  assert.is(k.host.status().declaredMaxUa, 350);
  assert.is(k.host.status().state, "connected");
  assert.ok(k.sim.outputUa > 40, `device output ${k.sim.outputUa} µA`);
  assert.is(k.plugins.health().find((h) => h.id === "acme.glow")?.state, "running");
  await k.close();
});

test("a plugin that throws: output goes to 0, health names the plugin and why, the kiosk carries on", async () => {
  const k = await kiosk({ buggy: true });
  await k.run(1600);
  assert.match(k.faults[0] ?? "", /^driver failed: .*glow bug: gain table overflow/);
  assert.is(k.sim.outputUa, 0);
  const health = k.plugins.health().find((h) => h.id === "acme.glow");
  assert.is(health?.state, "failed");
  assert.match(health?.error ?? "", /glow bug: gain table overflow/);
  // The failed driver cannot decode telemetry any more, so the host may have dropped the device too.
  assert.ok(k.host.status().state !== "connected", k.host.status().state);
  assert.match(k.host.status().latchedFault ?? "", /glow bug/);
  // The kiosk goes on: frames keep being made and sent without throwing, the engine outputs nothing.
  await k.run(200);
  assert.is(k.engine.frame(k.clock.now()).currentUa, 0);
  assert.is(k.sim.outputUa, 0);
  await k.close();
});

test("a chain's revocation stops a running driver the safe way: output 0, the device's STOP, a latched fault", async () => {
  const k = await kiosk({ centrally: true });
  assert.equal(k.plugins.health().find((h) => h.id === "acme.glow"), {
    id: "acme.glow",
    state: "running",
    error: null,
    decidedBy: "chain",
    centralRow: 1,
  });
  const failures: string[] = [];
  k.plugins.onFailure(({ reason }) => void failures.push(reason));
  await k.run(1600);
  assert.ok(k.sim.outputUa > 40, `device output ${k.sim.outputUa} µA`);
  const revoke = { ...await chainApproval(`${k.dir}/acme.glow`, 2), enabled: false };
  const changes = await k.plugins.applyCentral([revoke]);
  assert.equal(changes.map((c) => [c.pluginId, c.state, c.stopped]), [["acme.glow", "disabled", true]]);
  assert.match(changes[0]!.error!, /^revoked by the chain's central decision \(row 2, ops@chain\)$/);
  // The kiosk's failure listener heard it (it puts a fault into the session record).
  assert.match(failures[0] ?? "", /^stopped: revoked by the chain's central decision/);
  await k.run(200);
  assert.is(k.sim.outputUa, 0);
  assert.match(k.host.status().latchedFault ?? "", /driver failed: stopped: revoked/);
  assert.is(k.engine.frame(k.clock.now()).currentUa, 0);
  assert.is(k.driver.state, "failed");
  // It stays off: the next start does not load it either.
  const loaded = await k.plugins.loadDriver("acme.glow").then(() => "loaded", (e) => (e as Error).message);
  assert.match(loaded, /^Cannot load plugin "acme\.glow": revoked by the chain's/);
  await k.close();
});

test("an operator's disable stops a running driver the same safe way (it used to dispose it unannounced)", async () => {
  const k = await kiosk();
  const failures: string[] = [];
  k.plugins.onFailure(({ reason }) => void failures.push(reason));
  await k.run(1600);
  assert.ok(k.sim.outputUa > 40, `device output ${k.sim.outputUa} µA`);
  await k.plugins.disable("acme.glow");
  assert.equal(failures, ["stopped: disabled by the operator"]);
  await k.run(200);
  assert.is(k.sim.outputUa, 0);
  assert.match(k.host.status().latchedFault ?? "", /driver failed: stopped: disabled by the operator/);
  assert.equal(k.plugins.health().find((h) => h.id === "acme.glow"), {
    id: "acme.glow",
    state: "disabled",
    error: null,
  });
  await k.close();
});

test("a chain's approval does not cover changed files: the driver is refused with the reason", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-e2e-" });
  await installGlow(dir);
  const plugins = await createPluginHost({ operatorDir: dir });
  await plugins.applyCentral([await chainApproval(`${dir}/acme.glow`)]);
  await Deno.writeTextFile(`${dir}/acme.glow/codec.ts`, "// changed at the station\n", { append: true });
  const refused = await plugins.loadDriver("acme.glow").then(() => "loaded", (e) => (e as Error).message);
  assert.match(
    refused,
    /^Cannot load plugin "acme\.glow": files differ from what the chain's central decision \(row 1, ops@chain\) approved/,
  );
  await plugins.dispose();
  await Deno.remove(dir, { recursive: true });
});

test.run();
