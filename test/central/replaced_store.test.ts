/**
 * A station whose SQLite database was replaced (a new store: new store uid, outbox seqs from 1) against a real
 * PostgreSQL that already holds the old database's rows: the new database ships every record, and no seq of the
 * old one refuses (or later overwrites) a newer row.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import { startReplicator } from "../../kiosk/central/mod.ts";
import { openOutbox, openStore, type Store } from "../../kiosk/store/mod.ts";
import { startCentral } from "./_central.ts";

const central = await startCentral([["salon-a", "st-1"]]);
const [st1] = central.stations as [(typeof central.stations)[0]];
const T = Date.UTC(2026, 11, 3, 9);
const lines: string[] = [];
const options = { log: (l: string) => void lines.push(l) };

/** A walk-in profile `id` written straight into the store (as a carried-over client record would be). */
function profile(store: Store, id: string, language: string, t: number): void {
  const raw = new DatabaseSync(store.path);
  raw.prepare(
    "INSERT INTO profiles (id, kind, name, language, exclusions, created_at) VALUES (?, 'walk-in', 'K7Q2', ?, '[]', ?)",
  ).run(id, language, t);
  raw.close();
}

async function centralRow(table: string, id: string): Promise<Record<string, unknown> | undefined> {
  return (await central.admin.unsafe(`SELECT * FROM glidepath.${table} WHERE id = $1`, [id]))[0];
}

test("a replaced database ships its records and continues the station's seqs above the old database's", async () => {
  // The old database: a profile, a session and forty audit rows, shipped.
  const old = openStore(Deno.makeTempDirSync({ prefix: "gp-replaced-old-" }));
  profile(old, "p-carried", "en", T);
  old.startSession({ id: "s-old", routine: "express-lift", startedAt: T });
  old.endSession("s-old", { endedAt: T + 1000, endReason: "ended", stimulationMs: 900, maxCurrentUa: 50 });
  for (let i = 0; i < 40; i++) old.audit({ at: T + i, action: "note", actor: "operator" });
  let replicator = startReplicator(old.path, central.setting(st1), options);
  await replicator.flush();
  await replicator.stop();
  const oldUid = openOutbox(old.path).storeUid;
  old.dispose();
  const [before] = await central
    .admin`SELECT shipped_seq, store_uid FROM glidepath.stations WHERE id = 'st-1'`;
  assert.ok(Number(before!.shipped_seq) >= 40, `old database shipped up to seq ${before!.shipped_seq}`);
  assert.is(before!.store_uid, oldUid);

  // The replacement: the same carried-over profile id (now in Spanish), a new session, new audit rows.
  const fresh = openStore(Deno.makeTempDirSync({ prefix: "gp-replaced-new-" }));
  profile(fresh, "p-carried", "es", T + 5000);
  fresh.startSession({ id: "s-new", routine: "express-lift", startedAt: T + 6000 });
  fresh.endSession("s-new", { endedAt: T + 7000, endReason: "ended", stimulationMs: 800, maxCurrentUa: 40 });
  fresh.audit({ at: T + 7001, action: "note", actor: "operator" });
  replicator = startReplicator(fresh.path, central.setting(st1), options);
  try {
    await replicator.flush();
    const h = replicator.health();
    assert.equal([h.state, h.pending, h.parked], ["ok", 0, 0]);
    const newUid = openOutbox(fresh.path).storeUid;
    assert.is.not(newUid, oldUid);

    // Every record of the new database arrived, the old database's rows are still there.
    assert.is((await centralRow("sessions", "s-new"))?.stimulation_ms, "800");
    assert.is((await centralRow("sessions", "s-old"))?.stimulation_ms, "900");
    const audit = await central.admin`SELECT count(*) FILTER (WHERE id LIKE ${oldUid + ":%"})::int AS old,
        count(*) FILTER (WHERE id LIKE ${newUid + ":%"})::int AS new FROM glidepath.audit_log`;
    assert.equal({ ...audit[0] }, { old: 40, new: 1 });
    // The record both databases wrote holds the new database's state, not the old one's (refused by seq before).
    const carried = await centralRow("profiles", "p-carried");
    assert.is(carried?.language, "es");
    assert.ok(Number(carried?.seq) > Number(before!.shipped_seq), `new seq ${carried?.seq}`);
    // The station row says what this database shipped.
    const [after] = await central
      .admin`SELECT shipped_seq, store_uid FROM glidepath.stations WHERE id = 'st-1'`;
    assert.equal([Number(after!.shipped_seq), after!.store_uid], [h.shippedSeq, newUid]);
    assert.ok(lines.some((l) => l.includes("replaces the one the central store knew")), lines.join("\n"));

    // Within the new database the seq check still holds: a change ships, a resend of an older state would not win.
    fresh.profiles.update("p-carried", { language: "en" });
    await replicator.flush();
    assert.is((await centralRow("profiles", "p-carried"))?.language, "en");
    const stale = await central.admin`UPDATE glidepath.profiles SET language = 'es'
      WHERE id = 'p-carried' AND seq < ${Number(before!.shipped_seq)} RETURNING id`;
    assert.is(stale.length, 0, "no central row of the new database carries a seq at or below the old one's");
  } finally {
    await replicator.stop();
    fresh.dispose();
  }
});

test("an outbox moved above a floor keeps its order and its folding; moving below its own seqs changes nothing", () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-replaced-unit-" }));
  const outbox = openOutbox(store.path);
  outbox.enable();
  store.audit({ at: T, action: "a", actor: "operator" });
  store.audit({ at: T + 1, action: "b", actor: "operator" });
  assert.is(outbox.highWater(), 2);
  assert.is(outbox.continueAbove(100), 100);
  assert.equal(outbox.take(10).map((r) => [r.seq, JSON.parse(r.body).action]), [[101, "a"], [102, "b"]]);
  store.audit({ at: T + 2, action: "c", actor: "operator" });
  assert.equal(outbox.take(10).map((r) => r.seq), [101, 102, 103]);
  assert.is(outbox.continueAbove(50), 0);
  assert.is(outbox.highWater(), 103);
  let message = "";
  try {
    outbox.continueAbove(-1);
  } catch (e) {
    message = (e as Error).message;
  }
  assert.is(message, "Cannot renumber the outbox: floor must be a whole number ≥ 0, got -1");
  outbox.dispose();
  store.dispose();
});

test.after(() => central.dispose());
test.run();
