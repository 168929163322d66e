/** Profiles over the page socket: each message validated, the selected profile put into the engine start, salon visits. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import {
  createProfileDesk,
  createWsHub,
  type HubSocket,
  PROFILE_RULES,
  profileRefusal,
  type Station,
  STATIONS,
} from "../../kiosk/server/mod.ts";
import { createRecorder } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import type { EngineEvent } from "../../core/engine/mod.ts";
import { CHEEK, fakeRunner, NO } from "./_fixtures.ts";

type Msg = Record<string, unknown>;
const START = { type: "start", routine: "free", comfort: 10, screening: NO, consent: true };

function fakeSocket() {
  const sent: Msg[] = [];
  const socket: HubSocket = { send: (text) => void sent.push(JSON.parse(text)), close() {} };
  return { socket, sent };
}

/** A hub on a runner with a recorder and a store, at `station`, with a wall clock the test moves. */
function rig(station: Station = "home") {
  const { runner, clock } = fakeRunner();
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-wsprof-" }));
  const recorder = createRecorder(store, { onError: () => {} });
  runner.observe(recorder);
  const wall = { now: 1_000_000 };
  let ids = 0;
  const profiles = createProfileDesk({
    store,
    station,
    wallClock: () => wall.now,
    newId: () => `id${++ids}`,
  });
  const hub = createWsHub(runner, { recorder, profiles });
  const starts: EngineEvent[] = [];
  runner.observe({ event: (e) => void (e.type === "start" && starts.push(e)) });
  const page = () => {
    const s = fakeSocket();
    hub.open(s.socket);
    return {
      ...s,
      send(message: Msg): Msg {
        const before = s.sent.length;
        hub.message(s.socket, JSON.stringify(message));
        return s.sent.slice(before).find((m) => m.type !== "frame") ?? {};
      },
    };
  };
  return { runner, clock, store, recorder, hub, wall, starts, page };
}

test("home: create selects the new profile; its exclusions and ceiling go into the engine start and the record", () => {
  const { runner, clock, store, recorder, starts, page } = rig();
  const p = page();
  const created = p.send({ type: "profile-create", name: " Ana ", language: "es" });
  assert.equal(created, {
    type: "profile",
    profile: {
      id: "id1",
      kind: "home",
      name: "Ana",
      language: "es",
      exclusions: [],
      maxComfort: null,
      onboarded: false,
    },
  });
  const updated = p.send({ type: "profile-update", id: "id1", exclusions: ["cheek-left"], maxComfort: 4 });
  assert.equal((updated.profile as Msg).exclusions, ["cheek-left"]);
  assert.is(p.send({ ...START, profileId: "id1" }).type, "ack");
  assert.equal(
    [
      starts[0]!.type === "start" && starts[0]!.exclusions,
      starts[0]!.type === "start" && starts[0]!.maxComfort,
    ],
    [["cheek-left"], 4],
  );
  assert.is(store.session(recorder.sessionId!)!.profileId, "id1");
  assert.is(store.session(recorder.sessionId!)!.comfort, 4, "the record has the comfort the engine runs at");
  runner.submit({ type: "contact", on: true }, "device");
  for (let i = 0; i < 20; i++) {
    p.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
    clock.advance(40);
  }
  const frame = runner.tick();
  assert.equal([frame.currentUa, frame.limit], [0, "excluded:cheek-left"]);
});

test("the page may add exclusions and lower the ceiling, never drop the profile's or raise it", () => {
  const { starts, page } = rig();
  const p = page();
  p.send({ type: "profile-create", name: "Ana", language: "en" });
  p.send({ type: "profile-update", id: "id1", exclusions: ["chin"], maxComfort: 5 });
  const cases: [Msg, string[], number][] = [
    [{ exclusions: [] }, ["chin"], 5],
    [{ exclusions: ["jawline-left"], maxComfort: 9 }, ["chin", "jawline-left"], 5],
    [{ exclusions: ["chin"], maxComfort: 2 }, ["chin"], 2],
  ];
  for (const [extra, exclusions, max] of cases) {
    assert.is(p.send({ ...START, ...extra }).type, "ack", JSON.stringify(extra));
    const s = starts.at(-1) as Extract<EngineEvent, { type: "start" }>;
    assert.equal([s.exclusions, s.maxComfort], [exclusions, max], JSON.stringify(extra));
    p.send({ type: "end" });
  }
});

test("the selection belongs to the socket: another socket's start is nobody's, and a closed socket's is gone", () => {
  const { hub, starts, store, recorder, page } = rig();
  const a = page();
  a.send({ type: "profile-create", name: "Ana", language: "en" });
  a.send({ type: "profile-update", id: "id1", exclusions: ["chin"] });
  const b = page();
  assert.is(b.send(START).type, "ack");
  const s = starts.at(-1) as Extract<EngineEvent, { type: "start" }>;
  assert.is(s.exclusions, undefined);
  assert.is(store.session(recorder.sessionId!)!.profileId, null);
  b.send({ type: "end" });
  // A start that says whose it is must match the socket's selection.
  const wrong = b.send({ ...START, profileId: "id1" });
  assert.equal([wrong.type, wrong.field, wrong.of], ["error", "profileId", "start"]);
  hub.close(a.socket);
  const again = page();
  const refused = again.send({ ...START, profileId: "id1" });
  assert.is(refused.field, "profileId", "a new socket has nothing selected");
});

test("every profile message field is checked, naming the field; nothing changes on a refusal", () => {
  const { store, page } = rig();
  const p = page();
  p.send({ type: "profile-create", name: "Ana", language: "en" });
  const cases: [Msg, string][] = [
    [{ type: "profile-create", name: "Ben" }, "language"],
    [{ type: "profile-create", name: "Ben", language: "fr" }, "language"],
    [{ type: "profile-create", name: "", language: "en" }, "name"],
    [{ type: "profile-create", name: "ana", language: "en" }, "name"],
    [{ type: "profile-create", name: "Ben", language: "en", age: 40 }, "age"],
    [{ type: "profile-select" }, "id"],
    [{ type: "profile-select", id: 7 }, "id"],
    [{ type: "profile-select", id: "ghost" }, "id"],
    [{ type: "profile-update", id: "ghost", language: "es" }, "id"],
    [{ type: "profile-update", id: "id1", exclusions: ["eye-left"] }, "exclusions[0]"],
    [{ type: "profile-update", id: "id1", exclusions: "chin" }, "exclusions"],
    [{ type: "profile-update", id: "id1", maxComfort: 11 }, "maxComfort"],
    [{ type: "profile-update", id: "id1", onboarded: false }, "onboarded"],
    [{ type: "profile-update", id: "id1", kind: "walk-in" }, "kind"],
    [{ type: "profile-delete", id: "ghost" }, "id"],
    [{ type: "client-code", code: "AB12" }, "type"],
    [{ type: "profiles", all: true }, "all"],
  ];
  for (const [message, field] of cases) {
    const reply = p.send(message);
    assert.equal(
      [reply.type, reply.field, reply.of],
      ["error", field, message.type],
      JSON.stringify(message),
    );
    assert.match(String(reply.message), field);
  }
  assert.equal(store.profiles.list("home").map((x) => [x.name, x.language, x.exclusions]), [[
    "Ana",
    "en",
    [],
  ]]);
});

test("home: profiles lists by name; select, onboarded, delete; a session's profile cannot change while it runs", () => {
  const { page } = rig();
  const p = page();
  p.send({ type: "profile-create", name: "Zoe", language: "en" });
  p.send({ type: "profile-create", name: "ana", language: "es" });
  const list = p.send({ type: "profiles" });
  assert.equal((list.profiles as Msg[]).map((x) => x.name), ["ana", "Zoe"]);
  assert.is((p.send({ type: "profile-select", id: "id1" }).profile as Msg).name, "Zoe");
  assert.is((p.send({ type: "profile-update", id: "id1", onboarded: true }).profile as Msg).onboarded, true);
  assert.is(p.send({ ...START, profileId: "id1" }).type, "ack");
  assert.is(p.send({ type: "profile-select", id: "id2" }).field, "type", "not while a session runs");
  assert.is(p.send({ type: "profile-update", id: "id1", exclusions: ["chin"] }).field, "exclusions");
  assert.is(
    p.send({ type: "profile-update", id: "id1", language: "es" }).type,
    "profile",
    "language is fine",
  );
  p.send({ type: "end" });
  const after = p.send({ type: "profile-delete", id: "id1" });
  assert.equal((after.profiles as Msg[]).map((x) => x.name), ["ana"]);
  assert.is(p.send({ ...START, profileId: "id1" }).field, "profileId", "the deleted profile is not selected");
});

test("salon: no listing, no names; a client code finds or creates the walk-in and opens a visit", () => {
  const { page, store } = rig("salon");
  const p = page();
  for (const type of ["profiles", "profile-create", "profile-select", "profile-delete"]) {
    const reply = p.send({ type, name: "Ana", language: "en", id: "x" });
    assert.equal([reply.type, reply.field], ["error", "type"], type);
  }
  assert.match(String(p.send({ type: "profiles" }).message), /another's names/);
  for (const code of ["abc", "ABCDEFGHI", "AB-12", " ", 1234]) {
    assert.is(p.send({ type: "client-code", code }).field, "code", JSON.stringify(code));
  }
  const first = p.send({ type: "client-code", code: "k7q2" });
  assert.equal((first.profile as Msg).name, "K7Q2");
  assert.equal((first.profile as Msg).kind, "walk-in");
  assert.equal(first.visit, { id: "id2", screened: false, startedAt: 1_000_000 });
  const second = page().send({ type: "client-code", code: " K7Q2 " });
  assert.is((second.profile as Msg).id, (first.profile as Msg).id, "the same client, found again");
  assert.equal(store.profiles.list("walk-in").length, 1);
});

test("salon: the screening is asked once per visit; a later start reuses it, recorded as reused", () => {
  const { page, store, recorder, starts, wall } = rig("salon");
  const p = page();
  p.send({ type: "client-code", code: "K7Q2" });
  const { screening: _, ...unscreened } = START;
  assert.is(p.send(unscreened).field, "screening", "the visit's first start must bring answers");
  assert.is(p.send(START).type, "ack");
  const firstId = recorder.sessionId!;
  p.send({ type: "end" });
  assert.is(p.send(unscreened).type, "ack", "the visit's answers stand in");
  assert.equal((starts.at(-1) as Extract<EngineEvent, { type: "start" }>).screening, NO);
  const secondId = recorder.sessionId!;
  assert.is(store.screenings(firstId)[0]!.reusedFrom, null);
  assert.is(store.screenings(secondId)[0]!.reusedFrom, firstId);
  assert.equal(store.screenings(secondId)[0]!.answers, NO);
  p.send({ type: "end" });
  // The same code on another socket within the visit: screened already.
  assert.is((page().send({ type: "client-code", code: "K7Q2" }).visit as Msg).screened, true);
  // Leaving ends the visit: the next one asks again.
  assert.equal(p.send({ type: "profile-leave" }), { type: "profile", profile: null });
  const next = p.send({ type: "client-code", code: "K7Q2" });
  assert.is((next.visit as Msg).screened, false);
  assert.is(p.send(unscreened).field, "screening");
  // Four hours on, the visit is over: the start is refused and the selection gone.
  p.send(START);
  p.send({ type: "end" });
  wall.now += 4 * 60 * 60 * 1000;
  assert.is(p.send(unscreened).field, "profile");
  assert.is(p.send(START).type, "ack", "nobody selected any more: an anonymous start with answers");
});

test("a contraindicated answer in a visit stays: the reused start is aborted too", () => {
  const { page, runner } = rig("salon");
  const p = page();
  p.send({ type: "client-code", code: "AB12" });
  p.send({ ...START, screening: { ...NO, pregnancy: true } });
  assert.is(runner.state, "aborted");
  const { screening: _, ...unscreened } = START;
  p.send(unscreened);
  assert.is(runner.state, "aborted");
});

test("the person leaving ends their live session: output goes to 0 through the engine's end", () => {
  const { page, runner, clock } = rig();
  const p = page();
  p.send({ type: "profile-create", name: "Ana", language: "en" });
  p.send(START);
  runner.submit({ type: "contact", on: true }, "device");
  for (let i = 0; i < 20; i++) {
    p.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
    clock.advance(40);
  }
  assert.ok(runner.tick().currentUa > 0);
  assert.equal(p.send({ type: "profile-leave" }), { type: "profile", profile: null });
  const frame = runner.tick();
  assert.equal([frame.currentUa, frame.state], [0, "ended"]);
});

test("a failed profile write says what failed; the selection, the session and its output are unchanged", () => {
  const { page, runner, clock, store, starts } = rig();
  const p = page();
  p.send({ type: "profile-create", name: "Ana", language: "en" });
  p.send({ type: "profile-update", id: "id1", exclusions: ["chin"] });
  p.send(START);
  runner.submit({ type: "contact", on: true }, "device");
  for (let i = 0; i < 20; i++) {
    p.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
    clock.advance(40);
  }
  const before = runner.tick().currentUa;
  const other = new DatabaseSync(store.path);
  other.exec("BEGIN IMMEDIATE");
  const reply = p.send({ type: "profile-update", id: "id1", language: "es" });
  assert.equal([reply.type, reply.of, reply.field], ["error", "profile-update", "store"]);
  assert.match(String(reply.message), /could not be saved.*locked.*nothing was changed/);
  const created = p.send({ type: "profile-create", name: "Ben", language: "en" });
  assert.is(created.field, "type", "no new person mid-session");
  clock.advance(40);
  p.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
  const after = runner.tick();
  assert.ok(
    after.currentUa >= before && after.limit !== "device-fault",
    "output unchanged, no fault latched",
  );
  other.exec("ROLLBACK");
  other.close();
  p.send({ type: "end" });
  assert.is(store.profiles.get("id1")!.language, "en");
  p.send(START);
  assert.equal(
    (starts.at(-1) as Extract<EngineEvent, { type: "start" }>).exclusions,
    ["chin"],
    "still selected",
  );
});

test("without a store, profile messages are refused and a start is nobody's", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {});
  const s = fakeSocket();
  hub.open(s.socket);
  hub.message(s.socket, JSON.stringify({ type: "profiles" }));
  assert.equal([s.sent.at(-1)!.type, s.sent.at(-1)!.field], ["error", "type"]);
  hub.message(s.socket, JSON.stringify({ ...START, profileId: null }));
  assert.is(s.sent.at(-1)!.type, "ack");
});

test("PROFILE_RULES: which station takes which profile message (one row each)", () => {
  const TAKES: Record<string, Station[]> = {
    profiles: ["home"],
    "profile-create": ["home"],
    "profile-select": ["home"],
    "profile-delete": ["home"],
    "client-code": ["salon"],
    "profile-update": ["home", "salon"],
    "profile-leave": ["home", "salon"],
  };
  assert.equal(Object.keys(PROFILE_RULES).sort(), Object.keys(TAKES).sort());
  for (const [type, stations] of Object.entries(TAKES)) {
    for (const station of STATIONS) {
      const rule = PROFILE_RULES[type as keyof typeof PROFILE_RULES];
      const full = Object.fromEntries([["type", type], ...rule.fields.map((f) => [f, "x"])]);
      const refusal = profileRefusal(full, station);
      assert.is(refusal === null, stations.includes(station), `${type} at ${station}: ${refusal?.message}`);
    }
  }
});

test.run();
