/**
 * Three stations and one PostgreSQL: real kiosks (engine, runner, recorder, demo sessions) replicating to a real
 * server; the server is stopped mid-session and started again; every local record arrives exactly once.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Kiosk } from "../../kiosk/mod.ts";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { startReplicator } from "../../kiosk/central/mod.ts";
import { DatabaseSync } from "node:sqlite";
import { type Central, startCentral, until } from "./_central.ts";
import { createContactSink } from "../kiosk/_null_sink.ts";
import { startTestKiosk } from "../kiosk/_kiosk.ts";

function framesFrom(kiosk: Kiosk): EngineFrame[] {
  const frames: EngineFrame[] = [];
  kiosk.runner.observe({ frame: (f) => void frames.push(f) });
  return frames;
}

test("three stations keep every record through a central outage, and each arrives exactly once", async () => {
  const central = await startCentral([["salon-a", "mirror-1"], ["salon-a", "mirror-2"], [
    "salon-b",
    "mirror-3",
  ]]);
  const dirs = central.stations.map(() => Deno.makeTempDirSync({ prefix: "gp-three-" }));
  try {
    await threeStations(central, dirs);
  } finally {
    await central.dispose();
  }
});

async function threeStations(central: Central, dirs: string[]): Promise<void> {
  const kiosks: Kiosk[] = [];
  try {
    for (const [i, station] of central.stations.entries()) {
      kiosks.push(
        await startTestKiosk({
          dataDir: dirs[i],
          demoAutostart: true,
          sink: createContactSink(),
          sinkSimulated: true,
          operatorPin: "2468",
          central: central.setting(station),
          centralOptions: { intervalMs: 100, maxBackoffMs: 500 },
        }),
      );
    }
    const frames = kiosks.map(framesFrom);
    const centralCount = async (table: string, station: string) =>
      Number(
        (await central.admin.unsafe(`SELECT count(*) AS n FROM glidepath.${table} WHERE station_id = $1`, [
          station,
        ]))[0]!.n,
      );
    // Every station has a session with output under way, and the central store has seen it.
    await until("sessions with output, replicated", async () => {
      for (const [i, k] of kiosks.entries()) {
        if (!frames[i]!.some((f) => f.currentUa > 0)) return false;
        if (k.replicator!.health().state !== "ok") return false;
        if (await centralCount("sessions", central.stations[i]!.stationId) < 1) return false;
      }
      return true;
    });

    // The cut, mid-session.
    await central.cluster.stop("immediate");
    const cutAt = frames.map((f) => f.length);
    await until(
      "every replicator notices",
      () => kiosks.every((k) => k.replicator!.health().state === "failing"),
    );
    // Keep recording: each station ends its session (the demo starts the next one), audits, and keeps stimulating.
    for (const k of kiosks) {
      k.runner.submit({ type: "end" }, { source: "page" });
      k.store.audit({
        at: Date.now(),
        action: "outage-note",
        actor: "operator",
        detail: { central: "down" },
      });
    }
    // A new session at every station, and at least 2 s of output after the cut.
    await until(
      "a new session and 100 frames with output at every station during the outage",
      () =>
        kiosks.every((k, i) =>
          k.store.sessions({ limit: 10 }).length >= 2 &&
          frames[i]!.slice(cutAt[i]).filter((f) => f.currentUa > 0).length >= 100
        ),
    );
    for (const k of kiosks) {
      assert.is(k.replicator!.health().state, "failing");
      assert.ok(k.replicator!.health().pending > 0, "records wait in the outbox");
      assert.equal(k.store.health, { state: "ok" }, "the local store never noticed the outage");
    }

    await central.cluster.start();
    await until(
      "the outboxes drain",
      () => kiosks.every((k) => k.replicator!.health().pending === 0),
      60_000,
    );
  } finally {
    for (const k of kiosks) await k.shutdown();
  }
  // A restart ships what the shutdown wrote (its own last flush may race the stop): the outbox resumes.
  for (const [i, station] of central.stations.entries()) {
    const store = openStore(dirs[i]!);
    const replicator = startReplicator(store.path, central.setting(station), { log: () => {} });
    await replicator.flush();
    assert.equal([replicator.health().state, replicator.health().pending], ["ok", 0]);
    await replicator.stop();
    store.dispose();
  }

  // Exactly once: the same set of record ids, one central row each, and the same final values.
  for (const [i, station] of central.stations.entries()) {
    const local = new DatabaseSync(`${dirs[i]}/glidepath.sqlite`, { readOnly: true });
    const uid =
      (local.prepare("SELECT store_uid FROM outbox_state").get() as { store_uid: string }).store_uid;
    const ids = (sql: string, prefix = "") =>
      (local.prepare(sql).all() as { id: string | number }[]).map((r) => prefix + r.id).sort();
    const remote = async (table: string, key = "id") =>
      (await central.admin.unsafe(`SELECT ${key} AS id FROM glidepath.${table} WHERE station_id = $1`, [
        station.stationId,
      ])).map((r) => String(r.id)).sort();
    const sessions = ids("SELECT id FROM sessions");
    assert.ok(sessions.length >= 2, `${station.stationId}: ${sessions.length} sessions`);
    console.log(
      station.stationId,
      sessions.length,
      "sessions",
      ids("SELECT id FROM audit_log").length,
      "audit",
    );
    assert.equal(await remote("sessions"), sessions, `${station.stationId} sessions`);
    assert.equal(await remote("screenings"), ids("SELECT id FROM screenings", `${uid}:`), "screenings");
    const audit = ids("SELECT id FROM audit_log", `${uid}:`);
    assert.ok(
      audit.length >= 2,
      `${station.stationId}: audit ${audit.length} (the outage note, the shutdown)`,
    );
    assert.equal(await remote("audit_log"), audit, `${station.stationId} audit`);
    assert.equal(
      await remote("telemetry_summaries", "session_id"),
      ids("SELECT session_id AS id FROM telemetry_summaries"),
    );
    const rows = await central.admin`SELECT id, end_reason, stimulation_ms::int AS ms,
        (extract(epoch FROM ended_at) * 1000)::bigint AS ended FROM glidepath.sessions
      WHERE station_id = ${station.stationId}`;
    for (const s of local.prepare("SELECT id, end_reason, stimulation_ms, ended_at FROM sessions").all()) {
      const r = rows.find((x) => x.id === s.id)!;
      assert.equal(
        [r.end_reason, r.ms, Number(r.ended)],
        [s.end_reason, s.stimulation_ms, s.ended_at],
        String(s.id),
      );
    }
    const [st] = await central.admin`SELECT salon_id FROM glidepath.stations WHERE id = ${station.stationId}`;
    assert.is(st!.salon_id, station.salonId);
    local.close();
  }
}

test.run();
