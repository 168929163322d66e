/** The station screens' pure parts: the staff answers the page keeps (malformed rows dropped, nothing once locked), end reasons in words, a complete Spanish catalogue. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { STATION } from "../../kiosk/ui/i18n/station.ts";
import { endReasonKey } from "../../kiosk/ui/StaffScreen.tsx";
import {
  clearStaff,
  readStaffAudit,
  readStaffDay,
  receiveStaff,
  staffAudit,
  staffDay,
  watchStaffLock,
} from "../../kiosk/ui/staff.ts";
import { operator } from "../../kiosk/ui/state.ts";

const good = {
  id: "s1",
  routine: "express-lift",
  startedAt: 1000,
  endedAt: 61_000,
  endReason: "user-end",
  stimulationMs: 50_000,
  maxCurrentUa: 180,
  profile: { id: "w1", kind: "walk-in", name: "K7Q2" },
};

test("a day's sessions keep their well-formed rows and the client's code; malformed rows are dropped", () => {
  const day = readStaffDay({
    type: "staff-sessions",
    day: "2026-12-03",
    truncated: false,
    sessions: [
      good,
      { ...good, id: "s2", profile: null, endedAt: null, endReason: null },
      { ...good, id: 7 },
      { ...good, id: "s3", startedAt: "yesterday" },
      { ...good, id: "s4", maxCurrentUa: -1 },
      "junk",
      null,
    ],
  });
  assert.equal(day?.sessions.map((s) => s.id), ["s1", "s2"]);
  assert.equal(day!.sessions[0]!.client, { kind: "walk-in", name: "K7Q2" });
  assert.is(day!.sessions[1]!.client, null);
  assert.is(readStaffDay({ type: "staff-sessions", sessions: [] }), null, "no day: not an answer");
  assert.is(readStaffDay({ type: "staff-sessions", day: "2026-12-03", sessions: "x" }), null);
});

test("an audit page keeps well-formed entries and a valid cursor only", () => {
  const page = readStaffAudit({
    type: "staff-audit",
    before: null,
    next: 41,
    entries: [
      { id: 60, at: 5, action: "reset", actor: "operator", sessionId: null, detail: {} },
      { id: 59, at: 4, action: "estop", actor: "page", sessionId: "s1", detail: "not an object" },
      { id: "58", at: 3, action: "cap", actor: "operator", sessionId: null },
      { id: 57, at: 2, action: 3, actor: "operator", sessionId: null },
    ],
  });
  assert.equal(page?.entries.map((e) => e.id), [60, 59]);
  assert.equal(page!.entries[1]!.detail, {});
  assert.is(page?.next, 41);
  assert.is(readStaffAudit({ type: "staff-audit", entries: [], next: -3 })?.next, null);
  assert.is(readStaffAudit({ type: "staff-audit" }), null);
});

test("records are kept only while unlocked, and a lock empties them; an answer in flight at the lock is dropped", () => {
  const stop = watchStaffLock();
  try {
    const answer = { type: "staff-sessions", day: "2026-12-03", truncated: false, sessions: [good] };
    operator.value = { unlocked: false, error: null };
    receiveStaff(answer);
    assert.is(staffDay.value, null, "not kept while locked");
    operator.value = { unlocked: true, error: null };
    receiveStaff(answer);
    receiveStaff({ type: "staff-audit", entries: [], next: null, before: null });
    assert.is(staffDay.value?.sessions.length, 1);
    assert.ok(staffAudit.value);
    operator.value = { unlocked: false, error: null };
    assert.equal([staffDay.value, staffAudit.value], [null, null], "emptied by the lock");
    receiveStaff(answer);
    assert.is(staffDay.value, null, "a late answer is dropped");
  } finally {
    stop();
    clearStaff();
  }
});

test("end reasons read in words: recorded codes map to messages, unknown ones show as recorded", () => {
  const keys: [string, string | null][] = [
    ["user-end", "end.user-end"],
    ["aborted:screening", "end.screening"],
    ["aborted:no-contact", "end.aborted"],
    ["SIGINT", "end.shutdown"],
    ["parent-gone", "end.shutdown"],
    ["session-time", "end.session-time"],
    ["something-new", null],
  ];
  for (const [code, key] of keys) assert.is(endReasonKey(code), key, code);
  assert.is(endReasonKey("constructor"), null, "no inherited property reads as a message");
});

test("the station catalogue is complete in Spanish, and every placeholder is kept", () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, en] of Object.entries(STATION.en)) {
    const es = (STATION.es as Record<string, string | undefined>)[key];
    assert.type(es, "string", `es lacks ${key}`);
    assert.equal(placeholders(es!), placeholders(en), key);
  }
});

test.run();
