/**
 * A salon client's history from the salon's other stations, without a real central store: the pull after a client
 * code (never delaying its answer), the checks on central rows, the cache, the merged "My history", and the
 * adoption of the salon's safety settings by a walk-in new to this station (which may only lower output).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { adoptCentral, checkCentralHistory, type ProfilePrefs } from "../../kiosk/central/history.ts";
import { createProfileDesk, createWsHub, type HubSocket } from "../../kiosk/server/mod.ts";
import { mergeHistory } from "../../kiosk/server/_hub_records.ts";
import { createRecorder } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { createSummaryAccumulator } from "../../core/session/mod.ts";
import type { EngineEvent } from "../../core/engine/mod.ts";
import { fakeRunner, NO } from "./_fixtures.ts";

type Msg = Record<string, unknown>;
const T = Date.UTC(2026, 11, 1, 10);
const DAY = 86_400_000;
const START = { type: "start", routine: "free", comfort: 10, screening: NO, consent: true };
const ZONES = new Set(["cheek-left", "cheek-right", "chin", "forehead", "jawline-left"]);

/** A central session row as readClientHistory gives it. */
function centralSession(stationId: string, id: string, startedAt: number, extra: Msg = {}): Msg {
  return {
    stationId,
    id,
    routine: "express-lift",
    startedAt,
    endedAt: startedAt + 600_000,
    endReason: "ended",
    stimulationMs: 540_000,
    maxCurrentUa: 210,
    summary: createSummaryAccumulator().snapshot("ended"),
    ...extra,
  };
}

/** A hub at a salon station whose central store answers when the test says (or never). */
function salon(options: { pullTimeoutMs?: number } = {}) {
  const { runner } = fakeRunner();
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-central-hist-" }));
  const recorder = createRecorder(store, { onError: () => {} });
  runner.observe(recorder);
  const wall = { now: T + 10 * DAY };
  const asked: { code: string; answer: (v: unknown) => void; fail: (e: Error) => void }[] = [];
  const lines: string[] = [];
  const profiles = createProfileDesk({
    store,
    station: "salon",
    wallClock: () => wall.now,
    log: (l) => void lines.push(l),
    pullTimeoutMs: options.pullTimeoutMs ?? 60_000,
    centralHistory: (code) => new Promise((answer, fail) => void asked.push({ code, answer, fail })),
  });
  const hub = createWsHub(runner, { recorder, profiles, summaries: store, wallClock: () => wall.now });
  const starts: EngineEvent[] = [];
  runner.observe({ event: (e) => void (e.type === "start" && starts.push(e)) });
  const sent: Msg[] = [];
  const socket: HubSocket = { send: (text) => void sent.push(JSON.parse(text)), close() {} };
  hub.open(socket);
  const send = (message: Msg): Msg => {
    const before = sent.length;
    hub.message(socket, JSON.stringify(message));
    return sent.slice(before).find((m) => m.type !== "frame") ?? {};
  };
  return { store, wall, asked, lines, sent, send, starts, runner };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test("a client code is answered before the central store does; the start waits for the salon's settings, which only lower output", async () => {
  const { asked, send, sent, starts, store, lines } = salon();
  const answer = send({ type: "client-code", code: "k7q2", language: "en" });
  assert.is(answer.type, "profile", "answered with the central store silent");
  const local = answer.profile as Msg;
  assert.equal([local.name, local.exclusions, local.maxComfort], ["K7Q2", [], null]);
  assert.equal(asked.map((a) => a.code), ["K7Q2"]);
  send({ type: "client-code", code: "K7Q2" });
  assert.equal(asked.map((a) => a.code), ["K7Q2"], "the same code waits for the read already asked");

  const refused = send({ ...START, profileId: local.id });
  assert.equal([refused.type, refused.field], ["error", "central"]);
  assert.is(starts.length, 0);

  asked[0]!.answer({
    stationId: "b-2",
    profiles: [
      { id: "p-a1", stationId: "a-1", language: "es", exclusions: ["cheek-left"], maxComfort: 6 },
      {
        id: "p-a3",
        stationId: "a-3",
        language: "es",
        exclusions: ["chin", "eye-left", "nowhere"],
        maxComfort: 8,
      },
    ],
    sessions: [centralSession("a-1", "s-a", T)],
  });
  await settle();
  const again = sent.at(-1)!;
  assert.is(again.type, "profile", "the page gets the profile again");
  const adopted = again.profile as Msg;
  // Keep-out and unknown ids are not personal exclusions here; the known treatment zones are all taken.
  assert.equal([adopted.exclusions, adopted.maxComfort, adopted.language], [["cheek-left", "chin"], 6, "es"]);
  assert.ok(
    lines.includes(
      "central history: client K7Q2: exclusions left out (not a treatment zone on this station's map): eye-left, nowhere",
    ),
    lines.join("\n"),
  );
  assert.ok((again.visit as Msg).id, "the visit goes with it");
  assert.is(store.centralHistory(String(local.id))!.sessions.length, 1);

  assert.is(send({ ...START, profileId: local.id }).type, "ack");
  const start = starts[0] as Extract<EngineEvent, { type: "start" }>;
  assert.equal([start.exclusions, start.maxComfort], [["cheek-left", "chin"], 6]);
});

test("a central store that never answers: the pull gives up, the start is allowed, the cached copy stays", async () => {
  const { asked, send, store, lines, wall } = salon({ pullTimeoutMs: 30 });
  const first = send({ type: "client-code", code: "K7Q2" });
  const id = String((first.profile as Msg).id);
  asked[0]!.answer({ stationId: "b-2", profiles: [], sessions: [centralSession("a-1", "s-a", T)] });
  await settle();
  const pulledAt = wall.now;
  send({ type: "profile-leave" });

  wall.now += 3 * 3_600_000;
  send({ type: "client-code", code: "K7Q2" });
  await new Promise((r) => setTimeout(r, 60));
  assert.ok(
    lines.some((l) => l.includes("client K7Q2 not pulled (no answer within 30 ms)")),
    lines.join("\n"),
  );
  assert.is(send({ ...START }).type, "ack", "a known client is never held back by the central store");
  const history = send({ type: "history", utcOffsetMin: 0 });
  assert.equal((history.central as Msg).pulledAt, pulledAt);
  assert.equal((history.sessions as Msg[]).map((s) => [s.id, s.station]).slice(-1), [["s-a", "a-1"]]);
  assert.is(store.centralHistory(id)!.pulledAt, pulledAt);
});

test("a pull that failed at a walk-in's first entry is adopted at the next, while they have no session here yet", async () => {
  const { asked, send, sent, starts } = salon();
  const first = send({ type: "client-code", code: "K7Q2" });
  asked[0]!.fail(new Error("central store not reached yet"));
  await settle();
  send({ type: "profile-leave" });
  send({ type: "client-code", code: "K7Q2" });
  const refused = send({ ...START, profileId: (first.profile as Msg).id });
  assert.equal([refused.type, refused.field], ["error", "central"], "the start waits for the second pull");
  asked[1]!.answer({
    stationId: "b-2",
    profiles: [{ id: "p-a1", stationId: "a-1", language: "en", exclusions: ["chin"], maxComfort: 5 }],
    sessions: [],
  });
  await settle();
  assert.equal((sent.at(-1)!.profile as Msg).exclusions, ["chin"]);
  assert.is(send({ ...START, profileId: (first.profile as Msg).id }).type, "ack");
  const start = starts[0] as Extract<EngineEvent, { type: "start" }>;
  assert.equal([start.exclusions, start.maxComfort], [["chin"], 5]);
});

test("once a salon copy was taken, an exclusion removed here stays removed at the next entry", async () => {
  const { asked, send, sent, store } = salon();
  const first = send({ type: "client-code", code: "K7Q2" });
  const id = String((first.profile as Msg).id);
  const copy = { id: "p-a1", stationId: "a-1", language: "en", exclusions: ["chin"], maxComfort: null };
  asked[0]!.answer({ stationId: "b-2", profiles: [copy], sessions: [] });
  await settle();
  assert.equal((sent.at(-1)!.profile as Msg).exclusions, ["chin"]);
  assert.equal((send({ type: "profile-update", id, exclusions: [] }).profile as Msg).exclusions, []);
  send({ type: "profile-leave" });
  send({ type: "client-code", code: "K7Q2" });
  asked[1]!.answer({ stationId: "b-2", profiles: [copy], sessions: [] });
  await settle();
  assert.is(send({ ...START, profileId: id }).type, "ack", "not held back: this station knows the client");
  assert.equal(store.profiles.get(id)!.exclusions, [], "the removal here stands");
});

test("central rows are checked before caching: a bad row is left out naming its field, a bad summary only its details", () => {
  const checked = checkCentralHistory({
    stationId: "b-2",
    profiles: [
      { id: "p-1", stationId: "a-1", language: "xx", exclusions: ["chin"], maxComfort: null },
      { id: "p-2", stationId: "a-1", language: "en", exclusions: "chin", maxComfort: 5 },
      { id: "p-3", stationId: "a-1", language: "en", exclusions: [], maxComfort: 11 },
    ],
    sessions: [
      centralSession("a-1", "s-1", T),
      centralSession("a-1", "s-2", T, { startedAt: "yesterday" }),
      centralSession("A 1", "s-3", T),
      centralSession("a-2", "s-4", T, {
        summary: { zones: { chin: -5 }, steps: [], completed: true, endReason: null },
      }),
      centralSession("a-2", "s-5", T, { maxCurrentUa: -1 }),
    ],
  });
  assert.equal(checked.profiles, [
    { id: "p-1", stationId: "a-1", language: "en", exclusions: ["chin"], maxComfort: null },
  ]);
  assert.equal(checked.sessions.map((s) => s.item.id), ["s-1", "s-4"]);
  assert.equal(checked.sessions[1]!.item.zones, {});
  assert.equal(checked.dropped.map((l) => l.replace(/, got .*/, "")), [
    'central profile 1 left out: field "exclusions" is invalid',
    'central profile 2 left out: field "maxComfort" is invalid',
    'central session 1 left out: field "session.startedAt" must be epoch ms',
    'central session 2 left out: field "stationId" is invalid',
    'central session 3: summary left out: field "summary.zones.chin" is invalid',
    'central session 4 left out: field "session.maxUa" must be a number ≥ 0',
  ]);
  let message = "";
  try {
    checkCentralHistory({ stationId: 7, profiles: [], sessions: [] });
  } catch (e) {
    message = (e as Error).message;
  }
  assert.is(message, 'Cannot check the central history: field "stationId" is invalid, got 7');
});

test("My history lists this station's sessions and the salon's others once each, newest first, and the plan counts them all", () => {
  const local = [
    { id: "mine-2", startedAt: T + 2 * DAY },
    { id: "mine-1", startedAt: T },
  ].map((s) => ({
    ...s,
    routine: "express-lift",
    endedAt: s.startedAt + 1,
    endReason: "ended",
    stimulationMs: 500_000,
    maxUa: 100,
    zones: {},
    passesDone: 0,
    passes: 0,
    completed: true,
  }));
  const item = (id: string, startedAt: number) => ({ ...local[0]!, id, startedAt });
  const merged = mergeHistory(local, {
    pulledAt: T + 3 * DAY,
    stationId: "b-2",
    sessions: [
      { stationId: "a-1", item: item("other", T + DAY) },
      { stationId: "b-2", item: item("mine-1", T) }, // this station's own, replicated: once
      { stationId: "b-2", item: item("old-db", T - DAY) }, // this station's, from a replaced database: kept
      { stationId: "a-1", item: item("mine-2", T + 3 * DAY) }, // another station's with the same id: its own
    ],
  });
  assert.equal(merged.map((s) => [s.id, s.station]), [
    ["mine-2", "a-1"],
    ["mine-2", null],
    ["other", "a-1"],
    ["mine-1", null],
    ["old-db", null],
  ]);
});

test("the cache survives the store being closed and opened again, and a stored row is checked on the way out", () => {
  const dir = Deno.makeTempDirSync({ prefix: "gp-central-cache-" });
  let store = openStore(dir);
  store.profiles.create({ id: "p-1", kind: "walk-in", name: "K7Q2", language: "en", createdAt: T });
  const sessions = checkCentralHistory({
    stationId: "b-2",
    profiles: [],
    sessions: [centralSession("a-1", "s-a", T)],
  }).sessions;
  store.saveCentralHistory("p-1", { pulledAt: T + 5, stationId: "b-2", sessions });
  store.dispose();
  store = openStore(dir);
  assert.equal(store.centralHistory("p-1"), { pulledAt: T + 5, stationId: "b-2", sessions });
  assert.is(store.centralHistory("p-2"), null);
  const raw = new DatabaseSync(store.path);
  raw.prepare("UPDATE central_history SET sessions = ?").run(
    JSON.stringify([{ stationId: "a-1", item: {} }]),
  );
  raw.close();
  assert.throws(() => store.centralHistory("p-1"), /sessions\[0\]\.item\.id/);
  store.dispose();
});

const prefs = fc.record({
  language: fc.constantFrom("en" as const, "es" as const),
  exclusions: fc.uniqueArray(fc.constantFrom(...ZONES, "eye-left", "lips", "bogus"), { maxLength: 6 }),
  maxComfort: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
});

test("property: adopting never yields fewer exclusions or a higher ceiling than this station's or any salon copy", () => {
  fc.assert(
    fc.property(
      prefs.map((p) => ({ ...p, exclusions: p.exclusions.filter((z) => ZONES.has(z)) })),
      fc.array(prefs, { maxLength: 4 }),
      (local: ProfilePrefs, copies: ProfilePrefs[]) => {
        const out = adoptCentral(local, copies, ZONES);
        for (const side of [local, ...copies]) {
          for (const z of side.exclusions) if (ZONES.has(z)) assert.ok(out.exclusions.includes(z), z);
          if (side.maxComfort !== null) {
            assert.ok(out.maxComfort !== null && out.maxComfort <= side.maxComfort, `${out.maxComfort}`);
          }
        }
        assert.ok(out.exclusions.every((z) => ZONES.has(z)), "only this station's treatment zones");
        assert.is(new Set(out.exclusions).size, out.exclusions.length, "no repeats");
      },
    ),
    { numRuns: 500 },
  );
});

test.run();
