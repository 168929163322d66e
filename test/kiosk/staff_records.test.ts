/** The staff view's records: read over an operator socket only (a day's sessions with whose they were, the audit log by pages), every refusal naming its field; never over HTTP. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { DatabaseSync } from "node:sqlite";
import { createOperatorAuth, createWsHub, type HubSocket } from "../../kiosk/server/mod.ts";
import { dayRange, localDay } from "../../kiosk/server/_hub_staff.ts";
import { openStore, type Store } from "../../kiosk/store/mod.ts";
import { fakeRunner } from "./_fixtures.ts";

const PIN = "482916";
const tmp = () => Deno.makeTempDirSync({ prefix: "gp-staff-" });

function fakeSocket() {
  const sent: Record<string, unknown>[] = [];
  const socket: HubSocket = { send: (text) => void sent.push(JSON.parse(text)), close() {} };
  return { socket, sent };
}

/** A hub over a real store, "now" at 2026-12-03 15:00 station time, and a way to ask as a socket. */
function setup(store: Store = openStore(tmp())) {
  const { runner } = fakeRunner();
  const wall = new Date(2026, 11, 3, 15, 0).getTime();
  // Sign-ins are audited as the kiosk does it (kiosk/server/app.ts).
  const operatorAuth = createOperatorAuth(PIN, { audit: (e) => store.audit({ at: wall, ...e }) });
  const hub = createWsHub(runner, {
    operatorAuth,
    records: store,
    wallClock: () => wall,
  });
  const socket = (operator: boolean) => {
    const s = fakeSocket();
    hub.open(s.socket);
    if (operator) hub.message(s.socket, JSON.stringify({ type: "operator", pin: PIN }));
    return (message: Record<string, unknown>) => {
      hub.message(s.socket, JSON.stringify(message));
      return s.sent.at(-1)!;
    };
  };
  return { store, hub, socket, wall };
}

const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();

function session(store: Store, id: string, startedAt: number, endReason = "user-end") {
  store.startSession({ id, routine: "express-lift", startedAt, comfort: 5 });
  store.endSession(id, {
    endedAt: startedAt + 600_000,
    endReason,
    stimulationMs: 480_000,
    maxCurrentUa: 180,
  });
}

test("a user socket is refused the records, naming the field; nothing of them is sent", () => {
  const { store, socket } = setup();
  session(store, "s-today", at(3, 10));
  store.audit({ at: at(3, 10), action: "estop", actor: "page" });
  const ask = socket(false);
  for (const type of ["staff-sessions", "staff-audit"]) {
    const answer = ask({ type });
    assert.equal([answer.type, answer.of, answer.field], ["error", type, "type"]);
    assert.match(String(answer.message), /operator socket/);
    assert.not.ok(JSON.stringify(answer).includes("s-today"));
  }
});

test("an operator socket gets today's sessions at the station, newest first, with the client's code or name", () => {
  const { store, socket } = setup();
  session(store, "s-yesterday", at(2, 23, 59));
  session(store, "s-morning", at(3, 0, 0));
  session(store, "s-afternoon", at(3, 14, 30), "operator-end");
  session(store, "s-tomorrow", at(4, 0, 0));
  store.startSession({ id: "s-open", routine: "free", startedAt: at(3, 14, 50) });
  const db = new DatabaseSync(store.path);
  db.exec(`INSERT INTO profiles (id, kind, name, created_at) VALUES ('w1', 'walk-in', 'K7Q2', 0)`);
  db.exec(`UPDATE sessions SET profile_id = 'w1' WHERE id = 's-afternoon'`);
  db.close();
  const answer = socket(true)({ type: "staff-sessions" });
  assert.is(answer.type, "staff-sessions");
  assert.is(answer.day, "2026-12-03");
  assert.is(answer.truncated, false);
  const sessions = answer.sessions as { id: string; profile: unknown; endReason: string | null }[];
  assert.equal(sessions.map((s) => s.id), ["s-open", "s-afternoon", "s-morning"]);
  assert.equal(sessions[1]!.profile, { id: "w1", kind: "walk-in", name: "K7Q2" });
  assert.is(sessions[1]!.endReason, "operator-end");
  assert.is(sessions[2]!.profile, null);
  assert.is(sessions[0]!.endReason, null, "a session still open is listed as such");
  const other = socket(true)({ type: "staff-sessions", day: "2026-12-02" });
  assert.equal((other.sessions as { id: string }[]).map((s) => s.id), ["s-yesterday"]);
});

test("bad staff requests are refused naming the field", () => {
  const { socket } = setup();
  const ask = socket(true);
  const cases: [Record<string, unknown>, string][] = [
    [{ type: "staff-sessions", day: "2026-02-30" }, "day"],
    [{ type: "staff-sessions", day: "3.12.2026" }, "day"],
    [{ type: "staff-sessions", day: 20261203 }, "day"],
    [{ type: "staff-sessions", day: "1969-12-31" }, "day"],
    [{ type: "staff-sessions", limit: 5 }, "limit"],
    [{ type: "staff-audit", before: 0 }, "before"],
    [{ type: "staff-audit", before: 1.5 }, "before"],
    [{ type: "staff-audit", before: "9" }, "before"],
    [{ type: "staff-audit", limit: 0 }, "limit"],
    [{ type: "staff-audit", limit: 101 }, "limit"],
    [{ type: "staff-audit", day: "2026-12-03" }, "day"],
  ];
  for (const [message, field] of cases) {
    const answer = ask(message);
    assert.equal(
      [answer.type, answer.of, answer.field],
      ["error", message.type, field],
      JSON.stringify(message),
    );
    assert.match(String(answer.message), new RegExp(`"${field}"`));
  }
});

test("the audit log pages backwards from the newest: every entry once, in order, the last page says there is no more", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 100 }), (count, limit) => {
      const { store, socket } = setup();
      for (let i = 0; i < count; i++) store.audit({ at: 1000 + i, action: "cap", actor: "operator" });
      const ask = socket(true);
      const seen: number[] = [];
      let before: number | null = null;
      // The PIN sign-in is audited too: the log holds count + 1 entries.
      for (let pages = 0; pages < 200; pages++) {
        const answer = ask(
          before === null ? { type: "staff-audit", limit } : { type: "staff-audit", before, limit },
        );
        const entries = answer.entries as { id: number }[];
        if (entries.length > limit) return false;
        seen.push(...entries.map((e) => e.id));
        before = answer.next as number | null;
        if (before === null) break;
      }
      store.dispose();
      return seen.length === count + 1 && seen.every((id, i) => i === 0 || id < seen[i - 1]!);
    }),
    { numRuns: 25 },
  );
});

test("the sign-in is audited before the first page, so the newest entry is the staff member's own elevation", () => {
  const { store, socket } = setup();
  store.audit({ at: 1, action: "estop", actor: "page" });
  const answer = socket(true)({ type: "staff-audit" });
  const entries = answer.entries as { action: string }[];
  assert.equal(entries.map((e) => e.action), ["operator-elevated", "estop"]);
  assert.is(answer.next, null);
});

test("a kiosk without records and a store that cannot be read both say so, naming a field", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { operatorAuth: createOperatorAuth(PIN) });
  const s = fakeSocket();
  hub.open(s.socket);
  hub.message(s.socket, JSON.stringify({ type: "operator", pin: PIN }));
  hub.message(s.socket, JSON.stringify({ type: "staff-sessions" }));
  assert.equal([s.sent.at(-1)!.type, s.sent.at(-1)!.field], ["error", "type"]);
  const store = openStore(tmp());
  const { socket } = setup(store);
  const ask = socket(true);
  store.dispose();
  const answer = ask({ type: "staff-audit" });
  assert.equal([answer.type, answer.field], ["error", "store"]);
  assert.match(String(answer.message), /Cannot read the records/);
});

test("the store's staff reads refuse a bad range, cursor or limit, naming it", () => {
  const store = openStore(tmp());
  assert.throws(() => store.staffSessions({ from: -1, to: 5 }), /invalid from/);
  assert.throws(() => store.staffSessions({ from: 10, to: 5 }), /invalid to/);
  assert.throws(() => store.staffSessions({ from: 0, to: 5, limit: 1001 }), /invalid limit/);
  assert.throws(() => store.auditPage({ before: 0 }), /invalid before/);
  assert.throws(() => store.auditPage({ limit: 201 }), /invalid limit/);
  assert.equal(store.auditPage(), []);
  store.dispose();
});

test("a local day runs from local midnight to the next, and only real dates are days", () => {
  const { from, to } = dayRange("2026-12-03");
  assert.is(from, at(3, 0));
  assert.is(to, at(4, 0));
  assert.is(localDay(at(3, 23, 59)), "2026-12-03");
  assert.is(localDay(from), "2026-12-03");
  for (const bad of ["2026-13-01", "2026-00-10", "2026-1-1", "", null]) {
    assert.throws(() => dayRange(bad), /"day"/);
  }
});

test.run();
