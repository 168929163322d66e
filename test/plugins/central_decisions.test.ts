/** The chain's plugin decisions at a station: rows checked as outside input, precedence, and what may run (property-tested). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { join } from "node:path";
import type { PluginManifest, PluginPermissions } from "../../core/manifest/mod.ts";
import {
  CentralDecisions,
  decideCentralRows,
  type PluginDecision,
  verdictOf,
} from "../../kiosk/plugins/mod.ts";
import type { CentralDecision } from "../../kiosk/plugins/mod.ts";

const HASH = "ab".repeat(32);

/** A central row as PostgreSQL returns it: a chain approval of acme.glow 0.3.1 unless `over` says otherwise. */
function row(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "7",
    salon_id: null,
    plugin_id: "acme.glow",
    enabled: true,
    version: "0.3.1",
    permissions: {},
    files_hash: HASH,
    decided_by: "ops@chain",
    decided_at: new Date("2026-12-01T10:00:00Z"),
    ...over,
  };
}

test("a salon's row overrides the chain's, whichever is newer; the newest row per scope is the one in force", () => {
  const { decisions, problems } = decideCentralRows([
    row({ id: 1, salon_id: "salon-a", enabled: false }),
    row({ id: 5 }),
    row({ id: 3, salon_id: "salon-a" }),
    row({ id: 9, plugin_id: "acme.other", version: "1.0.0" }),
    row({ id: 8, plugin_id: "acme.other", enabled: false }),
  ]);
  assert.equal(problems, []);
  const glow = decisions.get("acme.glow")!;
  assert.equal([glow.rowId, glow.scope, glow.enabled, glow.filesHash], [3, "salon", true, `sha256:${HASH}`]);
  assert.equal([decisions.get("acme.other")!.rowId, decisions.get("acme.other")!.enabled], [9, true]);
});

test("the chain's revocation is in force over any salon approval, older or newer; a chain approval does not undo a salon's revocation", () => {
  const pulled = decideCentralRows([
    row({ id: 2, salon_id: "salon-a" }),
    row({ id: 4, enabled: false }),
    row({ id: 6, salon_id: "salon-a", version: "0.4.0" }),
    row({ id: 3, plugin_id: "acme.other", version: "1.0.0", salon_id: "salon-a", enabled: false }),
    row({ id: 5, plugin_id: "acme.other", version: "1.0.0" }),
  ]).decisions;
  assert.equal([
    pulled.get("acme.glow")!.rowId,
    pulled.get("acme.glow")!.scope,
    pulled.get("acme.glow")!.enabled,
  ], [
    4,
    "chain",
    false,
  ]);
  assert.equal([pulled.get("acme.other")!.rowId, pulled.get("acme.other")!.enabled], [3, false]);
});

test("property: a revocation newest in either scope keeps the plugin off; otherwise the salon's newest row applies", () => {
  const rowArb = fc.record({
    id: fc.integer({ min: 1, max: 1000 }),
    salon: fc.boolean(),
    enabled: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.uniqueArray(rowArb, { minLength: 1, maxLength: 8, selector: (r) => r.id }), (rows) => {
      const d = decideCentralRows(
        rows.map((r) => row({ id: String(r.id), salon_id: r.salon ? "salon-a" : null, enabled: r.enabled })),
      ).decisions.get("acme.glow")!;
      const newestOf = (salon: boolean) =>
        rows.filter((r) => r.salon === salon).sort((a, b) => b.id - a.id)[0];
      const chain = newestOf(false);
      const salon = newestOf(true);
      const expectOn = (chain === undefined || chain.enabled) && (salon ?? chain)!.enabled;
      assert.is(d.enabled, expectOn);
      assert.is(d.rowId, chain && !chain.enabled ? chain.id : (salon ?? chain)!.id);
    }),
    { numRuns: 1000 },
  );
});

test("a malformed row is refused naming the field and the value; the other rows still apply", () => {
  const { decisions, problems } = decideCentralRows([
    row({ id: 2, plugin_id: "acme.bad-perms", permissions: { net: ["no spaces allowed"] } }),
    row({ id: 3, plugin_id: "acme.bad-version", version: "three" }),
    row({ id: 4, plugin_id: "acme.bad-hash", files_hash: "sha256:" + HASH }),
    row({ id: 5, plugin_id: "Not An Id" }),
    row({ id: 6, plugin_id: "acme.bad-enabled", enabled: "yes" }),
    row({ id: 7 }),
  ]);
  assert.equal(problems, [
    'Cannot apply central plugin approval row 2: "permissions.net[0]" must be host[:port], got "no spaces allowed"',
    'Cannot apply central plugin approval row 3: "version" must be semver, got "three"',
    `Cannot apply central plugin approval row 4: "files_hash" must be 64 lowercase hex digits (sha256), got "sha256:${HASH}"`,
    'Cannot apply central plugin approval row 5: "plugin_id" must be a plugin id (e.g. "acme.glow"), got "Not An Id"',
    'Cannot apply central plugin approval row 6: "enabled" must be true or false, got "yes"',
  ]);
  assert.is(decisions.get("acme.glow")?.refused, null, "the good row applies");
  // A refused row still holds its place: what it names approves nothing (no fall-back to an older decision).
  for (const id of ["acme.bad-perms", "acme.bad-version", "acme.bad-hash", "acme.bad-enabled"]) {
    assert.match(decisions.get(id)?.refused ?? "", /^Cannot apply central plugin approval row \d/, id);
  }
});

test("a revocation needs only its plugin and enabled: its other fields never keep a plugin on", () => {
  const { decisions, problems } = decideCentralRows([
    row({ id: 4, enabled: false, version: "x", permissions: 3 }),
  ]);
  assert.equal(problems, []);
  assert.equal([decisions.get("acme.glow")!.enabled, decisions.get("acme.glow")!.refused], [false, null]);
});

const MANIFEST = { id: "acme.glow", version: "0.3.1", permissions: {} } as unknown as PluginManifest;
const central = (over: Partial<CentralDecision> = {}): CentralDecision => ({
  pluginId: "acme.glow",
  rowId: 7,
  scope: "chain",
  enabled: true,
  version: "0.3.1",
  permissions: {},
  filesHash: `sha256:${HASH}`,
  decidedBy: "ops@chain",
  decidedAt: "2026-12-01T10:00:00.000Z",
  refused: null,
  ...over,
});
const localOn: PluginDecision = {
  enabled: true,
  permissions: {},
  version: "0.3.1",
  filesHash: "sha256:x",
  at: "",
};

test("a central approval applies without an operator's step, and only to these files", () => {
  const ok = verdictOf(MANIFEST, false, `sha256:${HASH}`, { local: undefined, central: central() });
  assert.equal([ok.state, ok.decidedBy, ok.centralRow, ok.reason], ["approved", "chain", 7, null]);
  const tampered = verdictOf(MANIFEST, false, "sha256:" + "cd".repeat(32), {
    local: undefined,
    central: central(),
  });
  assert.is(tampered.state, "changed-since-approval");
  assert.match(
    tampered.reason!,
    /^files differ from what the chain's central decision \(row 7, ops@chain\) approved; the chain approves/,
  );
  const newer = verdictOf({ ...MANIFEST, version: "0.4.0" }, false, `sha256:${HASH}`, {
    local: undefined,
    central: central(),
  });
  assert.match(newer.reason!, /^version \(0\.3\.1 → 0\.4\.0\) differs from what the chain's/);
});

test("a central revocation wins over the operator's approval; without a central decision the operator's applies", () => {
  const revoked = verdictOf(MANIFEST, false, "sha256:x", {
    local: localOn,
    central: central({ enabled: false }),
  });
  assert.equal([revoked.state, revoked.decidedBy], ["disabled", "chain"]);
  assert.match(revoked.reason!, /^revoked by the chain's central decision \(row 7, ops@chain\)$/);
  const local = verdictOf(MANIFEST, false, "sha256:x", { local: localOn, central: undefined });
  assert.equal([local.state, local.decidedBy], ["approved", "operator"]);
  const firstParty = verdictOf(MANIFEST, true, null, {
    local: undefined,
    central: central({ scope: "salon", enabled: false }),
  });
  assert.equal(
    [firstParty.state, firstParty.decidedBy],
    ["disabled", "salon"],
    "first-party plugins can be revoked too",
  );
});

// An independent statement of the rule: may the plugin run, and with which permissions?
function mayRun(
  m: PluginManifest,
  firstParty: boolean,
  hash: string | null,
  local: PluginDecision | undefined,
  c: CentralDecision | undefined,
): PluginPermissions | null {
  const same = (a: PluginPermissions, b: PluginPermissions) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  if (c) {
    if (c.refused !== null || !c.enabled) return null;
    if (firstParty) return m.permissions;
    return c.version === m.version && same(c.permissions, m.permissions) && hash !== null &&
        c.filesHash === hash
      ? c.permissions
      : null;
  }
  if (!local) return firstParty ? m.permissions : null;
  if (!local.enabled) return null;
  if (firstParty) return m.permissions;
  return local.version === m.version && same(local.permissions, m.permissions) && local.filesHash === hash &&
      hash !== null
    ? local.permissions
    : null;
}

test("property: a plugin runs only on the decision in force, matching version, permissions and files", () => {
  const version = fc.constantFrom("0.3.1", "0.4.0");
  const perms = fc.constantFrom<PluginPermissions>({}, { net: ["a.example"] }, { env: ["X"] });
  const hash = fc.constantFrom("sha256:a", "sha256:b");
  const decision = fc.record({
    enabled: fc.boolean(),
    permissions: perms,
    version,
    filesHash: fc.option(hash, { nil: undefined }),
    at: fc.constant(""),
  });
  const centralArb = fc.record({
    enabled: fc.boolean(),
    version,
    permissions: perms,
    filesHash: hash,
    scope: fc.constantFrom<"salon" | "chain">("salon", "chain"),
    refused: fc.option(fc.constant("Cannot apply central plugin approval row 7: bad"), { nil: null }),
  }).map((c) => central(c));
  fc.assert(
    fc.property(
      version,
      perms,
      fc.boolean(),
      fc.option(hash, { nil: null }),
      fc.option(decision, { nil: undefined }),
      fc.option(centralArb, { nil: undefined }),
      (v, p, firstParty, h, local, c) => {
        const m = { ...MANIFEST, version: v, permissions: p };
        const got = verdictOf(m, firstParty, h, { local, central: c });
        const want = mayRun(m, firstParty, h, local, c);
        assert.is(got.state === "approved", want !== null);
        if (want !== null) assert.equal(got.permissions, want);
        // Whoever decided is named, and a central decision in force is the one named.
        if (c) assert.equal([got.decidedBy, got.centralRow], [c.scope, c.rowId]);
        if (got.state !== "approved") assert.equal(got.permissions, {});
      },
    ),
    { numRuns: 2000 },
  );
});

test("the local copy keeps the last decisions across a restart; a damaged copy is an error, not an empty set", async () => {
  const dir = await Deno.makeTempDir({ prefix: "gp-central-copy-" });
  const path = join(dir, "central-approvals.json");
  try {
    const first = await CentralDecisions.open(path);
    assert.is(first.pulledAt, null);
    await first.replace([
      row({ id: 3 }),
      row({ id: 4, plugin_id: "acme.other", permissions: { read: ["/etc"] } }),
    ]);
    const again = await CentralDecisions.open(path);
    assert.equal(again.get("acme.glow"), first.get("acme.glow"));
    assert.equal(again.current.problems, first.current.problems);
    assert.match(
      again.current.problems[0]!,
      /row 4: "permissions\.read\[0\]" must be a path inside the plugin folder/,
    );
    assert.is(again.pulledAt, first.pulledAt);
    // The same rows pulled again leave the file alone (a pull every 10 s); different rows rewrite it.
    const written = (await Deno.stat(path)).mtime!.getTime();
    const text = await Deno.readTextFile(path);
    await again.replace([
      row({ id: 3 }),
      row({ id: 4, plugin_id: "acme.other", permissions: { read: ["/etc"] } }),
    ]);
    assert.is(await Deno.readTextFile(path), text, "unchanged rows: not written");
    assert.is((await Deno.stat(path)).mtime!.getTime(), written);
    await again.replace([row({ id: 5, enabled: false })]);
    assert.is((await CentralDecisions.open(path)).get("acme.glow")!.rowId, 5, "changed rows: written");
    await Deno.writeTextFile(path, "{ not json");
    const error = await CentralDecisions.open(path).then(() => null, (e) => e as Error);
    assert.match(error?.message ?? "", /central-approvals\.json: not valid JSON/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

test.run();
