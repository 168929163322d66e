/** Central store security: per-station roles, and row-level security that keeps each salon's records to itself. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import postgres from "postgres";
import { migrateCentral, revokeStation, rotateStationSecret } from "../../kiosk/central/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { startReplicator } from "../../kiosk/central/mod.ts";
import { startCentralFor } from "./_central.ts";

const central = await startCentralFor([["downtown", "dt-1"], ["downtown", "dt-2"], ["uptown", "up-1"]]);
const [dt1, dt2, up1] = central.stations;
const T = Date.UTC(2026, 11, 3, 10);

/** Writes one session with a screening, an audit entry and a walk-in profile at `station`, and ships them. */
async function recordAt(station: typeof dt1, id: string) {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-rls-" }));
  const replicator = startReplicator(store.path, central.setting(station), { log: () => {} });
  store.startSession({ id, routine: "free", startedAt: T });
  store.recordScreening({
    sessionId: id,
    recordedAt: T,
    answers: { pregnancy: false, epilepsy: false },
    contraindicated: false,
    consent: true,
    consentBy: "client",
  });
  store.audit({ at: T, action: "estop", actor: "page", sessionId: id });
  store.endSession(id, { endedAt: T + 1000, endReason: "completed", stimulationMs: 900, maxCurrentUa: 80 });
  await replicator.flush();
  assert.is(replicator.health().state, "ok", JSON.stringify(replicator.health()));
  await replicator.stop();
  store.dispose();
}

await recordAt(dt1, "sess-dt1");
await recordAt(dt2, "sess-dt2");
await recordAt(up1, "sess-up1");

test("another salon's screening answers, sessions and audit log are invisible to a station", async () => {
  const sql = central.as(up1);
  assert.equal((await sql`SELECT station_id FROM glidepath.screenings`).map((r) => r.station_id), ["up-1"]);
  assert.equal((await sql`SELECT id FROM glidepath.sessions`).map((r) => r.id), ["sess-up1"]);
  assert.equal((await sql`SELECT station_id FROM glidepath.audit_log`).map((r) => r.station_id), ["up-1"]);
  assert.equal(
    (await sql`SELECT id FROM glidepath.stations`).map((r) => r.id),
    ["up-1"],
    "the list of stations too",
  );
  // Asked by key, not just by listing.
  assert.is((await sql`SELECT 1 FROM glidepath.screenings WHERE station_id = 'dt-1'`).length, 0);
});

test("within a salon, sessions are shared but screening answers and the audit log stay with their station", async () => {
  const sql = central.as(dt2);
  assert.equal((await sql`SELECT id FROM glidepath.sessions ORDER BY id`).map((r) => r.id), [
    "sess-dt1",
    "sess-dt2",
  ]);
  assert.equal((await sql`SELECT station_id FROM glidepath.screenings`).map((r) => r.station_id), ["dt-2"]);
  assert.equal((await sql`SELECT station_id FROM glidepath.audit_log`).map((r) => r.station_id), ["dt-2"]);
});

test("a station cannot write as another station or into another salon, nor change another's rows", async () => {
  const sql = central.as(up1);
  let code = "";
  await sql`INSERT INTO glidepath.sessions (station_id, salon_id, id, routine, started_at, stimulation_ms,
      max_current_ua, seq, queued_at) VALUES ('dt-1', 'downtown', 'forged', 'free', now(), 0, 0, 1, now())`
    .catch((e) => void (code = e.code));
  assert.is(code, "42501", "new row violates row-level security policy");
  code = "";
  await sql`INSERT INTO glidepath.screenings (salon_id, id, session_id, recorded_at, answers, contraindicated,
      consent, seq, queued_at) VALUES ('downtown', 'x:1', 's', now(), '{}', false, true, 1, now())`
    .catch((e) => void (code = e.code));
  assert.is(code, "42501", "its own station id in another salon");
  const updated = await sql`UPDATE glidepath.sessions SET end_reason = 'tampered' WHERE id = 'sess-dt1'`;
  assert.is(updated.count, 0);
  code = "";
  await sql`DELETE FROM glidepath.sessions`.catch((e) => void (code = e.code));
  assert.is(code, "42501", "no DELETE on records");
  code = "";
  await sql`UPDATE glidepath.stations SET salon_id = 'downtown'`.catch((e) => void (code = e.code));
  assert.is(code, "42501", "a station cannot move itself to another salon");
  const [{ end_reason }] = await central
    .admin`SELECT end_reason FROM glidepath.sessions WHERE id = 'sess-dt1'` as [
      { end_reason: string },
    ];
  assert.is(end_reason, "completed");
});

test("a station cannot create objects or read what its grants do not name", async () => {
  const sql = central.as(dt1);
  let code = "";
  await sql`CREATE TABLE glidepath.mine (x int)`.catch((e) => void (code = e.code));
  assert.is(code, "42501");
  code = "";
  await sql`SELECT * FROM glidepath.salons`.catch((e) => void (code = e.code));
  assert.is(code, "42501");
});

test("a revoked station cannot log in, and a rotated secret replaces the old one", async () => {
  await revokeStation(central.admin, "dt-2");
  const old = postgres(central.cluster.url(dt2.role, dt2.secret), { onnotice: () => {}, max: 1 });
  let code = "";
  await old`SELECT 1`.catch((e) => void (code = e.code));
  assert.is(code, "28000", "role is not permitted to log in");
  const fresh = await rotateStationSecret(central.admin, "dt-2");
  code = "";
  await old`SELECT 1`.catch((e) => void (code = e.code));
  assert.is(code, "28P01", "the old secret is refused");
  await old.end();
  const sql = central.as(fresh);
  assert.equal((await sql`SELECT glidepath.my_station() AS me`).map((r) => r.me), ["dt-2"]);
});

test("migrating again applies nothing and keeps the records", async () => {
  assert.equal(await migrateCentral(central.admin), []);
  assert.is((await central.admin`SELECT id FROM glidepath.sessions`).length, 3);
});

test.after(() => central.dispose());
test.run();
