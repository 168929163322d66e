/**
 * Plugin approvals pushed to stations (issue 10), against a real PostgreSQL with real kiosks and the third-party
 * Acme Glow plugin: a chain or salon decision applies without a step at the station, a salon's row overrides the
 * chain's, another salon is unaffected, a malformed row is refused by name, changed files are refused, a
 * revocation stops a running driver with a record, and a restart without the central store keeps the decisions.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { join } from "node:path";
import { type Kiosk, startKiosk } from "../../kiosk/mod.ts";
import { approvePluginFolder, readApprovalRows, revokePlugin } from "../../kiosk/central/mod.ts";
import { approvalFromFolder } from "../../kiosk/central/approvals.ts";
import { pluginFilesHash, readPluginFolder } from "../../kiosk/plugins/mod.ts";
import { installGlow } from "../plugins/fixtures/glow_install.ts";
import { runCheekSession, startGlowKiosk } from "../kiosk/_glow_kiosk.ts";
import { createNullSink } from "../kiosk/_null_sink.ts";
import { type Central, startCentral, until } from "./_central.ts";

const TIMING = { intervalMs: 100, maxBackoffMs: 300, timeoutMs: 3000, approvalsIntervalMs: 100 };
const EXAMPLE = new URL("../../examples/acme-glow", import.meta.url).pathname;

interface PluginHealth {
  id: string;
  state: string;
  error: string | null;
  decidedBy?: string;
  centralRow?: number;
}
interface Health {
  plugins: PluginHealth[];
  pluginApprovals: { state: string; pulledAt: string | null; inForce: number; refused: string[] } | null;
}

const health = async (k: Kiosk): Promise<Health> => await (await fetch(`${k.url}api/health`)).json();
const glowOf = async (k: Kiosk) => (await health(k)).plugins.find((p) => p.id === "acme.glow")!;
const approvalAudits = (k: Kiosk) =>
  k.store.auditLog({ limit: 500 }).filter((a) =>
    a.action === "plugin-approval" && a.detail.plugin === "acme.glow"
  );

let central: Central;
test.before(async () => {
  central = await startCentral([["salon-a", "mirror-1"], ["salon-b", "mirror-2"], ["salon-c", "mirror-3"]]);
});
test.after(async () => await central?.dispose());

/** A station kiosk with the Glow installed (never approved at the station) and no device behind it. */
async function station(index: number, pluginDir: string): Promise<Kiosk> {
  return await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    dataDir: await Deno.makeTempDir({ prefix: "gp-appr-data-" }),
    pluginDir,
    sink: createNullSink(),
    operatorPin: "2468",
    log: () => {},
    central: central.setting(central.stations[index]!),
    centralOptions: TIMING,
  });
}

test("a salon's approval enables the plugin at its stations with no local step; another salon's station is unaffected; a salon's row overrides the chain's; a malformed row is refused by name", async () => {
  const dirs = [
    await Deno.makeTempDir({ prefix: "gp-appr-a-" }),
    await Deno.makeTempDir({ prefix: "gp-appr-b-" }),
  ];
  for (const d of dirs) await installGlow(d);
  const salonA = await approvePluginFolder(central.admin, EXAMPLE, {
    salonId: "salon-a",
    decidedBy: "lead@salon-a",
  });
  const [broken] = await central.admin`INSERT INTO glidepath.plugin_approvals
    (salon_id, plugin_id, enabled, version, permissions, files_hash, decided_by)
    VALUES (NULL, 'acme.broken', true, '1.0.0', ${central.admin.json({ net: ["no spaces"] })}, ${
    "0".repeat(64)
  },
      'ops@chain') RETURNING id`;
  const [a, b] = [await station(0, dirs[0]!), await station(1, dirs[1]!)];
  try {
    await until(
      "both stations pulled",
      async () =>
        (await health(a)).pluginApprovals?.state === "ok" &&
        (await health(b)).pluginApprovals?.state === "ok",
    );
    assert.equal(await glowOf(a), {
      id: "acme.glow",
      state: "enabled",
      error: null,
      decidedBy: "salon",
      centralRow: salonA.id,
    });
    assert.equal(
      await glowOf(b),
      { id: "acme.glow", state: "needs-approval", error: null },
      "salon-b unaffected",
    );
    assert.equal(approvalAudits(b), []);
    const refused = `Cannot apply central plugin approval row ${
      broken!.id
    }: "permissions.net[0]" must be host[:port], got "no spaces"`;
    assert.equal((await health(a)).pluginApprovals!.refused, [refused]);
    assert.equal((await health(b)).pluginApprovals!.refused, [refused]);

    // salon-b revokes, then the chain approves: salon-b's own row stays in force there, salon-a's here.
    const revokedB = await revokePlugin(central.admin, "acme.glow", {
      salonId: "salon-b",
      decidedBy: "lead@salon-b",
    });
    await approvePluginFolder(central.admin, EXAMPLE, { salonId: null, decidedBy: "ops@chain" });
    const chainAt = Date.now();
    const pulledSince = async (k: Kiosk) =>
      Date.parse((await health(k)).pluginApprovals!.pulledAt!) > chainAt;
    await until(
      "both stations pull after the chain's approval",
      async () => await pulledSince(a) && await pulledSince(b),
    );
    const glowB = await glowOf(b);
    assert.equal([glowB.decidedBy, glowB.centralRow], ["salon", revokedB.id]);
    assert.match(glowB.error!, /^revoked by the salon's central decision \(row \d+, lead@salon-b\)$/);
    assert.is((await glowOf(a)).centralRow, salonA.id, "salon-a's own approval still overrides the chain's");

    // Each applied decision is in the station's audit log once, and replicates.
    assert.equal(approvalAudits(a).map((e) => [e.detail.decision, e.detail.row, e.detail.state]), [
      ["approve", salonA.id, "enabled"],
    ]);
    assert.equal(approvalAudits(b).map((e) => [e.detail.decision, e.detail.row]), [["revoke", revokedB.id]]);
    await until("the audit entry replicates", async () => {
      const rows = await central.admin`SELECT detail FROM glidepath.audit_log
        WHERE station_id = 'mirror-1' AND action = 'plugin-approval'`;
      return rows.some((r) => r.detail.plugin === "acme.glow" && r.detail.row === salonA.id);
    });

    // The chain revokes: that applies in every salon, over salon-a's own approval, and salon-a cannot approve back.
    const chainRevoked = await revokePlugin(central.admin, "acme.glow", {
      salonId: null,
      decidedBy: "ops@chain",
    });
    await until(
      "salon-a's station applies the chain's revocation",
      async () => (await glowOf(a)).centralRow === chainRevoked.id,
    );
    const glowA = await glowOf(a);
    assert.equal([glowA.decidedBy, glowA.state], ["chain", "disabled"]);
    try {
      await approvePluginFolder(central.admin, EXAMPLE, { salonId: "salon-a", decidedBy: "lead@salon-a" });
      assert.unreachable("a salon approval over a chain revocation was recorded");
    } catch (error) {
      assert.match(
        (error as Error).message,
        /^Cannot approve "acme\.glow" for salon "salon-a": the chain revoked it \(row \d+, ops@chain\)/,
      );
    }
    // The next cases share this central store: take the chain's revocation back out.
    await central.admin`DELETE FROM glidepath.plugin_approvals WHERE id = ${chainRevoked.id}`;
  } finally {
    await a.shutdown();
    await b.shutdown();
    for (const d of dirs) await Deno.remove(d, { recursive: true });
  }
});

test("offline restart keeps the salon's approval; a revocation stops the running driver with a record; changed files are refused", async () => {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-appr-c-" });
  await installGlow(pluginDir);
  const setting = central.setting(central.stations[2]!);
  const kiosk = { central: setting, centralOptions: TIMING, operatorPin: "2468" };
  const approved = await approvePluginFolder(central.admin, join(pluginDir, "acme.glow"), {
    salonId: "salon-c",
    decidedBy: "lead@salon-c",
  });
  // First start: the device is chosen before the first pull, so the Glow is only enabled (from the next start on, it drives).
  const first = await startGlowKiosk(pluginDir, { live: false, kiosk });
  try {
    await until("the approval is pulled", async () => (await glowOf(first.kiosk)).state === "enabled");
  } finally {
    await first.close();
  }

  await central.cluster.stop("immediate");
  const offline = await startGlowKiosk(pluginDir, {
    kiosk: { ...kiosk, deviceHost: { telemetryTimeoutMs: 5000, staleReconnectMs: 10_000 } },
  });
  try {
    assert.ok(offline.lines.some((l) => /driven by plugin acme\.glow/.test(l)), offline.lines.join("\n"));
    const glow = await glowOf(offline.kiosk);
    assert.equal([glow.state, glow.decidedBy, glow.centralRow], ["running", "salon", approved.id]);
    await until(
      "the pull notices the central store is down",
      async () => (await health(offline.kiosk)).pluginApprovals?.state === "failing",
    );
    assert.ok(
      (await health(offline.kiosk)).pluginApprovals!.pulledAt,
      "the decisions of the last pull apply",
    );

    await central.cluster.start();
    await until("pulling again", async () => (await health(offline.kiosk)).pluginApprovals?.state === "ok");
    await runCheekSession(offline.kiosk, (ua) => ua > 20);
    const sessionId = offline.kiosk.store.sessions({ limit: 1 })[0]!.id;
    const revoked = await revokePlugin(central.admin, "acme.glow", {
      salonId: "salon-c",
      decidedBy: "lead@salon-c",
    });
    await until("the revocation applies", async () => (await glowOf(offline.kiosk)).state === "disabled");
    await until(
      "output 0",
      () => offline.kiosk.runner.lastFrame?.currentUa === 0 && offline.sim.outputUa === 0,
    );
    assert.is(offline.kiosk.runner.lastFrame?.limit, "device-fault", "latched until an operator reset");
    const audit = offline.kiosk.store.auditLog({ limit: 500 });
    const faults = audit.filter((e) => e.action === "fault" && e.sessionId === sessionId);
    assert.ok(
      faults.some((e) =>
        /revoked by the salon's central decision \(row \d+, lead@salon-c\)/.test(String(e.detail.reason))
      ),
      JSON.stringify(faults),
    );
    // Only the revocation: the restart on the local copy and the pulls of the same rows audit nothing again.
    assert.equal(
      approvalAudits(offline.kiosk).map((e) => [e.detail.decision, e.detail.row, e.detail.stopped]),
      [
        ["revoke", revoked.id, true],
      ],
    );
    // The session's record carries the output it had; the person or staff end it (output stays 0 meanwhile).
    offline.kiosk.runner.submit({ type: "end" }, "operator");
    await until("the session ends", () => offline.kiosk.store.sessions({ limit: 1 })[0]!.endedAt !== null);
    assert.ok(offline.kiosk.store.sessions({ limit: 1 })[0]!.maxCurrentUa > 20);
  } finally {
    await offline.close();
  }

  // Approved again, then a file changed at the station: refused, with the reason.
  const again = await approvePluginFolder(central.admin, join(pluginDir, "acme.glow"), {
    salonId: "salon-c",
    decidedBy: "lead@salon-c",
  });
  const pulled = await startGlowKiosk(pluginDir, { live: false, kiosk });
  try {
    await until(
      "the new approval is pulled",
      async () => (await glowOf(pulled.kiosk)).centralRow === again.id,
    );
  } finally {
    await pulled.close();
  }
  await Deno.writeTextFile(join(pluginDir, "acme.glow", "codec.ts"), "// changed at the station\n", {
    append: true,
  });
  const changed = await startGlowKiosk(pluginDir, { live: false, kiosk });
  try {
    const why =
      `files differ from what the salon's central decision (row ${again.id}, lead@salon-c) approved`;
    // Not the Glow's driver: the kiosk fell back to its own simulated device.
    assert.not.ok(changed.lines.some((l) => /driven by plugin/.test(l)), changed.lines.join("\n"));
    const glow = await glowOf(changed.kiosk);
    assert.is(glow.state, "changed-since-approval");
    assert.ok(glow.error!.startsWith(why), glow.error!);
  } finally {
    await changed.close();
    await Deno.remove(pluginDir, { recursive: true });
  }
});

test("deno task central approve / approvals / revoke-plugin: the folder's hash is the one a station computes", async () => {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "tools/central.ts", ...args],
      cwd: new URL("../../", import.meta.url).pathname,
      env: { CENTRAL_ADMIN_URL: central.cluster.adminUrl },
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      out: new TextDecoder().decode(out.stdout),
      err: new TextDecoder().decode(out.stderr),
    };
  };
  const approve = await run("approve", "--chain", EXAMPLE, "--by", "ops@chain");
  assert.is(approve.code, 0, approve.err);
  assert.match(approve.out, /^\(chain\)\s+acme\.glow\s+approved 0\.3\.1\s+row \d+\s+by ops@chain/);
  const [row] = await central.admin`SELECT files_hash, version, permissions FROM glidepath.plugin_approvals
    WHERE decided_by = 'ops@chain' AND plugin_id = 'acme.glow' ORDER BY id DESC LIMIT 1`;
  const found = await readPluginFolder(EXAMPLE, "operator");
  assert.is(`sha256:${row!.files_hash}`, pluginFilesHash(EXAMPLE, found.manifest!));
  assert.is(row!.files_hash, (await approvalFromFolder(EXAMPLE)).filesHash);

  const revoke = await run("revoke-plugin", "salon-a", "acme.glow");
  assert.is(revoke.code, 0, revoke.err);
  assert.match(revoke.out, /^salon-a\s+acme\.glow\s+revoked\s+row \d+\s+by postgres/);
  const list = await run("approvals", "salon-a");
  assert.is(list.code, 0, list.err);
  const lines = list.out.trim().split("\n");
  assert.ok(lines.some((l) => /^\(chain\)\s+acme\.glow\s+approved 0\.3\.1/.test(l)), list.out);
  assert.ok(lines.some((l) => /^salon-a\s+acme\.glow\s+revoked/.test(l)), list.out);
  assert.not.ok(lines.some((l) => l.startsWith("salon-b")), "only what applies to salon-a");

  // The pull's own filter: even where row-level security does not hold (a superuser), no other salon's rows.
  const asAdmin = await readApprovalRows(central.admin);
  assert.ok(asAdmin.length > 0 && asAdmin.every((r) => r.salon_id === null), JSON.stringify(asAdmin));

  const bad = await run("approve", "no-such-salon", EXAMPLE);
  assert.is(bad.code, 1);
  assert.match(bad.err, /Cannot record plugin approval: salon "no-such-salon" is not registered/);
});

test.run();
