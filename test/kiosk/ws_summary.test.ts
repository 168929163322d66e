/** `{type:"summary"}` and `{type:"history"}` over the hub: each socket reads its own sessions and its profile's, every field checked. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { createOperatorAuth, createWsHub, type HubSocket } from "../../kiosk/server/mod.ts";
import { createRecorder } from "../../kiosk/session/mod.ts";
import { openStore, type StoredSummary } from "../../kiosk/store/mod.ts";
import {
  createSummaryAccumulator,
  validateHistoryItem,
  validateSchedule,
  validateSummaryView,
} from "../../core/session/mod.ts";
import { fakeRunner, NO, runningOnCheek } from "./_fixtures.ts";

function fakeSocket() {
  const sent: Record<string, unknown>[] = [];
  const socket: HubSocket = { send: (text) => void sent.push(JSON.parse(text)), close() {} };
  return { socket, sent, last: () => sent.at(-1)! };
}

/** A hub on a real store and recorder; `profiles` says which socket selected which profile. */
function setup() {
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-ws-summary-" }));
  const { runner, clock } = fakeRunner();
  let ids = 0;
  const recorder = createRecorder(store, { newId: () => `sess-${++ids}`, onError: () => {} });
  runner.observe(recorder);
  const profiles = new Map<HubSocket, string>();
  const hub = createWsHub(runner, {
    recorder,
    summaries: store,
    profileOf: (s) => profiles.get(s) ?? null,
    operatorAuth: createOperatorAuth("482916"),
    wallClock: () => Date.parse("2026-12-03T12:00:00Z"),
  });
  runner.start();
  const open = () => {
    const s = fakeSocket();
    hub.open(s.socket);
    return s;
  };
  const ask = (s: ReturnType<typeof fakeSocket>, message: Record<string, unknown>) => {
    hub.message(s.socket, JSON.stringify(message));
    return s.last();
  };
  return { store, runner, clock, hub, profiles, open, ask };
}

const start = { type: "start", routine: "free", comfort: 8, screening: NO, consent: true };

test("the socket that started a session reads its summary without naming it: live while it runs, then as recorded", () => {
  const { runner, clock, open, ask } = setup();
  const a = open();
  const ack = ask(a, start);
  assert.equal([ack.type, ack.sessionId], ["ack", "sess-1"]);
  runningOnCheek(runner, clock, 1500, { started: true });
  const live = ask(a, { type: "summary" });
  assert.is(live.type, "summary", JSON.stringify(live));
  const during = validateSummaryView(live.summary);
  assert.equal([during.sessionId, during.live, during.endReason], ["sess-1", true, null]);
  assert.ok(during.zones["cheek-left"]! > 1000, JSON.stringify(during.zones));
  ask(a, { type: "end" });
  clock.advance(40);
  const after = validateSummaryView(ask(a, { type: "summary", sessionId: "sess-1" }).summary);
  assert.equal([after.live, after.endReason, after.routine], [false, "user-end", "free"]);
  assert.ok(after.endedAt !== null && after.stimulationMs >= during.stimulationMs);
});

test("another socket gets the same refusal for someone else's session as for one that does not exist; an operator reads it", () => {
  const { runner, clock, open, ask } = setup();
  const a = open(), b = open();
  ask(a, start);
  runningOnCheek(runner, clock, 300, { started: true });
  const theirs = ask(b, { type: "summary", sessionId: "sess-1" });
  const none = ask(b, { type: "summary", sessionId: "sess-9" });
  assert.equal([theirs.type, theirs.of, theirs.field], ["error", "summary", "sessionId"]);
  assert.is(theirs.message, (none.message as string).replace("sess-9", "sess-1"), "no oracle");
  assert.equal(ask(b, { type: "summary" }).field, "sessionId", "b started nothing");
  ask(b, { type: "operator", pin: "482916" });
  assert.is(ask(b, { type: "summary", sessionId: "sess-1" }).type, "summary");
});

test("the summary key in the start's ack opens that summary from the page's next socket; another key does not", () => {
  const { runner, clock, open, ask } = setup();
  const a = open();
  const ack = ask(a, start);
  assert.match(String(ack.summaryKey), /^[0-9a-f-]{36}$/);
  runningOnCheek(runner, clock, 300, { started: true });
  ask(a, { type: "end" });
  clock.advance(40);
  const b = open(); // the page locked its operator panel: a fresh socket
  assert.is(
    ask(b, { type: "summary", sessionId: "sess-1" }).field,
    "sessionId",
    "the id alone opens nothing",
  );
  const wrong = ask(b, { type: "summary", sessionId: "sess-1", key: crypto.randomUUID() });
  assert.equal([wrong.type, wrong.field], ["error", "sessionId"]);
  assert.equal(ask(b, { type: "summary", sessionId: "sess-1", key: "x" }).field, "key");
  const view = ask(b, { type: "summary", sessionId: "sess-1", key: ack.summaryKey });
  assert.is(view.type, "summary", JSON.stringify(view));
  // A key opens only its own session.
  ask(b, start);
  runningOnCheek(runner, clock, 300, { started: true });
  const c = open();
  assert.is(ask(c, { type: "summary", sessionId: "sess-2", key: ack.summaryKey }).type, "error");
});

test("a socket with a profile reads that profile's sessions and its history with the schedule", () => {
  const { store, runner, clock, profiles, open, ask } = setup();
  const a = open();
  ask(a, start);
  runningOnCheek(runner, clock, 1200, { started: true });
  ask(a, { type: "end" });
  clock.advance(40);
  // The profile column is filled by the profiles part at start; here by hand on a second connection.
  const db = new DatabaseSync(store.path);
  db.exec(`INSERT INTO profiles (id, kind, name, created_at) VALUES ('p1', 'home', 'Ana', 0);
    UPDATE sessions SET profile_id = 'p1' WHERE id = 'sess-1'`);
  db.close();

  const b = open();
  assert.equal(ask(b, { type: "history" }).field, "profile", "no profile: no history");
  assert.equal(ask(b, { type: "summary", sessionId: "sess-1" }).type, "error");
  profiles.set(b.socket, "p1");
  assert.is(ask(b, { type: "summary", sessionId: "sess-1" }).type, "summary");
  const h = ask(b, { type: "history", utcOffsetMin: 60 });
  assert.equal([h.type, h.profileId], ["history", "p1"]);
  const items = (h.sessions as unknown[]).map((x, i) => validateHistoryItem(x, `sessions[${i}]`));
  assert.equal(items.map((i) => [i.id, i.endReason, Object.keys(i.zones)]), [["sess-1", "user-end", [
    "cheek-left",
  ]]]);
  const schedule = validateSchedule(h.schedule);
  assert.equal([schedule.phase, schedule.sessions], ["loading", 1]);
  profiles.set(b.socket, "p2");
  assert.equal(
    (ask(b, { type: "history" }).sessions as unknown[]).length,
    0,
    "another profile sees none of it",
  );
});

test("every field of a summary or history request is checked and named", () => {
  const { open, ask } = setup();
  const a = open();
  for (
    const [message, field] of [
      [{ type: "summary", sessionId: 5 }, "sessionId"],
      [{ type: "summary", sessionId: "../../etc" }, "sessionId"],
      [{ type: "summary", sessionId: "x".repeat(65) }, "sessionId"],
      [{ type: "summary", session: "sess-1" }, "session"],
      [{ type: "history", utcOffsetMin: 30.5 }, "utcOffsetMin"],
      [{ type: "history", utcOffsetMin: 900 }, "utcOffsetMin"],
      [{ type: "history", profileId: "p1" }, "profileId"],
    ] as const
  ) {
    const reply = ask(a, message);
    assert.equal([reply.type, reply.field], ["error", field], JSON.stringify(message));
  }
});

test("property: any summary or history request is answered or refused naming one of its fields", () => {
  const source = {
    summary: (): StoredSummary => ({
      session: {
        id: "s1",
        routine: "free",
        startedAt: 1,
        endedAt: 2,
        endReason: "ended",
        comfort: 5,
        operatorCapUa: null,
        stimulationMs: 0,
        maxCurrentUa: 0,
      },
      profileId: "p1",
      summary: createSummaryAccumulator().snapshot("ended"),
    }),
    profileSessions: () => [],
  };
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { summaries: source, profileOf: () => "p1", maxMessagesPerS: 1e9 });
  const s = fakeSocket();
  hub.open(s.socket);
  const value = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant("s1"),
  );
  fc.assert(
    fc.property(
      fc.constantFrom("summary", "history"),
      fc.dictionary(fc.constantFrom("sessionId", "utcOffsetMin", "x", "profileId"), value, { maxKeys: 3 }),
      (type, fields) => {
        hub.message(s.socket, JSON.stringify({ ...fields, type }));
        const reply = s.sent.at(-1)!;
        if (reply.type === "error") {
          assert.ok(
            [...Object.keys(fields), "sessionId", "profile"].includes(reply.field as string),
            JSON.stringify([fields, reply]),
          );
          assert.is(reply.of, type);
        } else {
          assert.is(reply.type, type);
        }
      },
    ),
    { numRuns: 500 },
  );
});

test.run();
