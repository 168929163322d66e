/** The replicator against a real PostgreSQL: every record kind arrives once, resends change nothing, bad rows are kept. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { parseDatabaseUrl, startReplicator } from "../../kiosk/central/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { startCentralFor } from "./_central.ts";
import { writeOneOfEach } from "./_station_records.ts";

const central = await startCentralFor([["salon-a", "st-1"], ["salon-a", "st-2"], ["salon-a", "st-3"]]);
const [st1, st2, st3] = central.stations;
const T = Date.UTC(2026, 11, 3, 9);
const quiet = { log: () => {} };

async function count(station: string): Promise<Record<string, number>> {
  const [r] = await central.admin`SELECT
    (SELECT count(*) FROM glidepath.sessions WHERE station_id = ${station})::int AS sessions,
    (SELECT count(*) FROM glidepath.screenings WHERE station_id = ${station})::int AS screenings,
    (SELECT count(*) FROM glidepath.audit_log WHERE station_id = ${station})::int AS audit,
    (SELECT count(*) FROM glidepath.telemetry_summaries WHERE station_id = ${station})::int AS telemetry,
    (SELECT count(*) FROM glidepath.session_summaries WHERE station_id = ${station})::int AS summaries,
    (SELECT count(*) FROM glidepath.profiles WHERE station_id = ${station})::int AS profiles`;
  return { ...r };
}

test("every record kind arrives as written, and the station's row says what it shipped", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gp-rep-" });
  const store = openStore(dir);
  writeOneOfEach(store, "s-1", T);
  const replicator = startReplicator(store.path, central.setting(st1), quiet);
  await replicator.flush();
  const h = replicator.health();
  assert.equal([h.state, h.pending, h.parked, h.lagMs], ["ok", 0, 0, 0]);
  assert.equal(await count("st-1"), {
    sessions: 1,
    screenings: 1,
    audit: 1,
    telemetry: 1,
    summaries: 1,
    profiles: 1,
  });
  const [s] = await central
    .admin`SELECT salon_id, routine, started_at, ended_at, end_reason, comfort, operator_cap_ua,
    stimulation_ms, max_current_ua, profile_id FROM glidepath.sessions WHERE id = 's-1'`;
  assert.equal({ ...s }, {
    salon_id: "salon-a",
    routine: "gentle-depuff",
    started_at: new Date(T),
    ended_at: new Date(T + 2000),
    end_reason: "completed",
    comfort: 4,
    operator_cap_ua: 300,
    stimulation_ms: "1500",
    max_current_ua: 90,
    profile_id: "p-s-1",
  });
  const [sc] = await central.admin`SELECT answers, contraindicated, consent FROM glidepath.screenings`;
  assert.equal({ ...sc }, { answers: { pregnancy: false }, contraindicated: false, consent: true });
  const [p] = await central.admin`SELECT kind, name, exclusions, max_comfort FROM glidepath.profiles`;
  assert.equal({ ...p }, { kind: "walk-in", name: "Ks-1", exclusions: ["masseter-left"], max_comfort: 6 });
  const [st] = await central
    .admin`SELECT shipped_seq, last_seen_at IS NOT NULL AS seen FROM glidepath.stations
    WHERE id = 'st-1'`;
  assert.equal([Number(st!.shipped_seq), st!.seen], [h.shippedSeq, true]);
  await replicator.stop();
  store.dispose();
});

test("a crash after the central commit and before the local ack resends the batch: still one row per record, newest state kept", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gp-rep-" });
  const store = openStore(dir);
  const replicator = startReplicator(store.path, central.setting(st2), quiet);
  writeOneOfEach(store, "s-2", T);
  store.startSession({ id: "s-open", routine: "free", startedAt: T });
  // The file as it stands before the ack: what a station that crashed right after the commit finds at restart.
  const crashDir = Deno.makeTempDirSync({ prefix: "gp-rep-crash-" });
  new DatabaseSync(store.path).exec(`VACUUM INTO '${join(crashDir, "glidepath.sqlite")}'`);
  await replicator.flush();
  store.endSession("s-open", {
    endedAt: T + 5000,
    endReason: "completed",
    stimulationMs: 4000,
    maxCurrentUa: 50,
  });
  await replicator.flush();
  const before = await count("st-2");
  await replicator.stop();
  store.dispose();

  const restarted = openStore(crashDir);
  const again = startReplicator(restarted.path, central.setting(st2), quiet);
  assert.ok(again.health().pending > 0, "the restored file still has the batch queued");
  await again.flush();
  assert.is(again.health().pending, 0);
  assert.equal(await count("st-2"), before);
  const [open] = await central.admin`SELECT end_reason FROM glidepath.sessions WHERE id = 's-open'`;
  assert.is(open!.end_reason, "completed", "the resent older state did not overwrite the newer one");
  await again.stop();
  restarted.dispose();
});

test("a row that cannot be shipped is kept locally with its reason and the rest still arrive", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rep-" }));
  const replicator = startReplicator(store.path, central.setting(st3), quiet);
  store.audit({ at: T, action: "first", actor: "x" });
  const raw = new DatabaseSync(store.path);
  raw.prepare(
    "INSERT INTO outbox (kind, record_id, op, body, queued_at) VALUES ('audit', 'z:9', 'upsert', ?, ?)",
  )
    .run(JSON.stringify({ at: -5, action: "bad", actor: "x", sessionId: null, detail: "{}" }), T);
  raw.close();
  store.audit({ at: T + 1, action: "second", actor: "x" });
  await replicator.flush();
  const h = replicator.health();
  assert.equal([h.state, h.pending, h.parked], ["ok", 0, 1]);
  assert.match(h.parkedReason!, /audit z:9\): invalid at -5/);
  const actions = await central
    .admin`SELECT action FROM glidepath.audit_log WHERE station_id = 'st-3' ORDER BY at`;
  assert.equal(actions.map((r) => r.action), ["first", "second"]);
  await replicator.stop();
  store.dispose();
});

test("a wrong secret or an unregistered role leaves every record waiting, with the reason in the health", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rep-" }));
  store.audit({ at: T, action: "kept", actor: "x" });
  const wrong = parseDatabaseUrl(central.cluster.url(st1.role, "not-the-secret"));
  const replicator = startReplicator(store.path, wrong, quiet);
  await replicator.flush();
  const h = replicator.health();
  assert.equal([h.state, h.pending], ["failing", 1]);
  assert.match(h.reason!, /password authentication failed/);
  assert.not.match(JSON.stringify(h), /not-the-secret/);
  await replicator.stop();

  await central.admin.unsafe(`CREATE ROLE lone LOGIN PASSWORD 'pw' IN ROLE glidepath_station`);
  const lone = startReplicator(store.path, parseDatabaseUrl(central.cluster.url("lone", "pw")), quiet);
  await lone.flush();
  assert.equal([lone.health().state, lone.health().pending], ["failing", 1]);
  assert.match(lone.health().reason!, /not a registered station/);
  await lone.stop();
  store.dispose();
});

test("a profile erased at the station is erased centrally", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rep-" }));
  const replicator = startReplicator(store.path, central.setting(st3), quiet);
  try {
    const raw = new DatabaseSync(store.path);
    raw.prepare("INSERT INTO profiles (id, kind, name, created_at) VALUES ('p-gone', 'walk-in', 'GONE1', ?)")
      .run(T);
    await replicator.flush();
    const present = await central.admin`SELECT 1 FROM glidepath.profiles WHERE id = 'p-gone'`;
    assert.is(present.length, 1);
    raw.prepare("DELETE FROM profiles WHERE id = 'p-gone'").run();
    raw.close();
    await replicator.flush();
    assert.equal([replicator.health().state, replicator.health().pending], ["ok", 0]);
    const gone = await central.admin`SELECT 1 FROM glidepath.profiles WHERE id = 'p-gone'`;
    assert.is(gone.length, 0);
  } finally {
    await replicator.stop();
    store.dispose();
  }
});

test("while the server is down records wait; after it returns they arrive once", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rep-" }));
  const logs: string[] = [];
  const replicator = startReplicator(store.path, central.setting(st1), { log: (l) => void logs.push(l) });
  await replicator.flush();
  await central.cluster.stop("immediate");
  writeOneOfEach(store, "s-down", T);
  await replicator.flush();
  assert.is(replicator.health().state, "failing");
  assert.ok(replicator.health().pending >= 6);
  await central.cluster.start();
  await replicator.flush();
  assert.equal([replicator.health().state, replicator.health().pending], ["ok", 0]);
  const [r] = await central.admin`SELECT count(*)::int AS n FROM glidepath.sessions WHERE id = 's-down'`;
  assert.is(r!.n, 1);
  assert.ok(
    logs.some((l) => /unavailable/.test(l)) && logs.some((l) => /connected .* after/.test(l)),
    logs.join("\n"),
  );
  await replicator.stop();
  store.dispose();
});

test.after(() => central.dispose());
test.run();
