/** A walk-in's history follows them to any station of their salon, and to no other salon. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import { startReplicator } from "../../kiosk/central/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { startCentralFor } from "./_central.ts";

const central = await startCentralFor([["salon-a", "a-1"], ["salon-a", "a-2"], ["salon-b", "b-1"]]);
const [a1, a2, b1] = central.stations;
const T = Date.UTC(2026, 11, 1, 15);

// Client K7Q2 visits station a-1: a walk-in profile, a session and its summary, shipped.
{
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-hist-" }));
  const raw = new DatabaseSync(store.path);
  const replicator = startReplicator(store.path, central.setting(a1), { log: () => {} });
  raw.prepare(
    "INSERT INTO profiles (id, kind, name, language, exclusions, max_comfort, created_at) VALUES ('p-k7', 'walk-in', 'K7Q2', 'es', '[\"masseter-left\"]', 6, ?)",
  ).run(T);
  store.startSession({ id: "visit-1", routine: "express-lift", startedAt: T, comfort: 5 });
  raw.prepare("UPDATE sessions SET profile_id = 'p-k7' WHERE id = 'visit-1'").run();
  store.endSession("visit-1", {
    endedAt: T + 600_000,
    endReason: "ended",
    stimulationMs: 540_000,
    maxCurrentUa: 210,
  });
  raw.prepare("INSERT INTO session_summaries (session_id, summary) VALUES ('visit-1', ?)").run(
    JSON.stringify({
      zones: { "cheek-left": 40_000 },
      steps: [{ index: 0, id: "lift", zone: "cheek-left", passes: 3, passesDone: 2 }],
      completed: false,
      endReason: "ended",
      series: { stepMs: 1000, ua: [1, 2, 3] },
    }),
  );
  raw.close();
  await replicator.flush();
  await replicator.stop();
  store.dispose();
}

test("another station of the same salon reads the client's profile, sessions and summaries by client code", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-hist-" }));
  const replicator = startReplicator(store.path, central.setting(a2), { log: () => {} });
  try {
    const history = await replicator.clientHistory("K7Q2");
    assert.is(history.stationId, "a-2", "the asking station's own id, to know its own sessions");
    assert.equal(history.profiles, [{
      id: "p-k7",
      stationId: "a-1",
      language: "es",
      exclusions: ["masseter-left"],
      maxComfort: 6,
    }]);
    assert.equal(history.sessions, [{
      stationId: "a-1",
      id: "visit-1",
      routine: "express-lift",
      startedAt: T,
      endedAt: T + 600_000,
      endReason: "ended",
      stimulationMs: 540_000,
      maxCurrentUa: 210,
      // What a history shows of the summary; its series and coverage stay central.
      summary: {
        zones: { "cheek-left": 40_000 },
        steps: [{ passes: 3, passesDone: 2 }],
        completed: false,
        endReason: "ended",
      },
    }]);
    assert.equal(await replicator.clientHistory("NOPE1"), { stationId: "a-2", profiles: [], sessions: [] });
  } finally {
    await replicator.stop();
  }
  store.dispose();
});

test("a station of another salon finds nothing under the same code", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-hist-" }));
  const replicator = startReplicator(store.path, central.setting(b1), { log: () => {} });
  assert.equal(await replicator.clientHistory("K7Q2"), { stationId: "b-1", profiles: [], sessions: [] });
  await replicator.stop();
  store.dispose();
});

test("the read keeps to the station's salon by itself too: with the salon policies replaced by read-all ones, still nothing", async () => {
  // A misconfigured central store: the profiles' and sessions' read policies let every station read every salon.
  await central.admin.unsafe(`
    ALTER POLICY read_salon ON glidepath.profiles USING (true);
    ALTER POLICY read_salon ON glidepath.sessions USING (true);`);
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-hist-" }));
  const replicator = startReplicator(store.path, central.setting(b1), { log: () => {} });
  try {
    assert.equal(await replicator.clientHistory("K7Q2"), { stationId: "b-1", profiles: [], sessions: [] });
  } finally {
    await replicator.stop();
    store.dispose();
    await central.admin.unsafe(`
      ALTER POLICY read_salon ON glidepath.profiles USING (salon_id = (SELECT glidepath.my_salon()));
      ALTER POLICY read_salon ON glidepath.sessions USING (salon_id = (SELECT glidepath.my_salon()));`);
  }
});

test("a malformed client code is refused by name before any query", async () => {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-hist-" }));
  const replicator = startReplicator(store.path, central.setting(a2), { log: () => {} });
  let message = "";
  await replicator.clientHistory("K7' OR 1=1 --").catch((e) => void (message = e.message));
  assert.is(message, `Cannot read client history: invalid code "K7' OR 1=1 --"`);
  await replicator.stop();
  store.dispose();
});

test.after(() => central.dispose());
test.run();
