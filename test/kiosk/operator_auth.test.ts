import { test } from "uvu";
import * as assert from "uvu/assert";
import { answerOperator } from "../../kiosk/server/_hub_control.ts";
import { createOperatorAuth, type OperatorAuditEntry, type PinCheck } from "../../kiosk/server/mod.ts";

const PIN = "482916";
const CODE = "731904286615";

/** A policy on a fake clock with its defaults (2 free tries, 1 s doubling to 5 min, 10 wrong per hour). */
function policy() {
  const clock = { t: 0 };
  const rows: OperatorAuditEntry[] = [];
  const codes: string[] = [];
  const auth = createOperatorAuth(PIN, {
    now: () => clock.t,
    audit: (e) => void rows.push(e),
    onRecoveryCode: (c) => void codes.push(c),
    newRecoveryCode: () => CODE,
  });
  const outcome = (c: PinCheck) => (c.ok ? `ok:${c.via}` : c.reason);
  return { clock, rows, codes, auth, outcome };
}

/** [ms since start, socket, pin, outcome] — each row is one message on a fake clock. */
type Step = [number, string, unknown, string];

/** Three wrong PINs at once on socket "a": the third locks that socket for 1 s. */
const LOCKING: Step[] = [
  [0, "a", "111111", "wrong"],
  [0, "a", "111112", "wrong"],
  [0, "a", "111113", "wrong"],
];

const TABLE: [string, Step[]][] = [
  ["a tired operator's two slips cost nothing; the third waits 1 s", [
    [0, "a", "111111", "wrong"],
    [1, "a", "222222", "wrong"],
    [2, "a", PIN, "ok:pin"],
  ]],
  ["the third wrong PIN on a socket locks it for 1 s; then 2 s, 4 s (growing backoff)", [
    ...LOCKING,
    [999, "a", PIN, "socket-locked"],
    [1000, "a", "111114", "wrong"],
    [2999, "a", PIN, "socket-locked"],
    [3000, "a", "111115", "wrong"],
    [6999, "a", PIN, "socket-locked"],
    [7000, "a", PIN, "ok:pin"],
  ]],
  ["a socket lock is only that socket's: another socket still gets in", [
    ...LOCKING,
    [1, "b", PIN, "ok:pin"],
  ]],
  ["attempts during a socket lock neither count nor extend it", [
    ...LOCKING,
    [500, "a", "111114", "socket-locked"],
    [999, "a", "111115", "socket-locked"],
    [1000, "a", PIN, "ok:pin"],
  ]],
  ["junk values are field errors, never guesses: no lock after any number of them", [
    ...Array.from(
      { length: 30 },
      (_, i): Step => [i, "a", [123, "12", "abcdef", 123456, null, undefined][i % 6], "invalid"],
    ),
    ...["1234567890123", " 482916", "48291６", "", true, { pin: PIN }].map((
      v,
    ): Step => [40, "a", v, "invalid"]),
    [41, "a", PIN, "ok:pin"],
  ]],
  ["ten wrong PINs from fresh sockets lock the PIN for everyone for an hour, the right PIN included", [
    ...Array.from({ length: 10 }, (_, i): Step => [i, `s${i}`, `00000${i}`, "wrong"]),
    [10, "fresh", PIN, "global-locked"],
    [3_600_008, "s9", PIN, "global-locked"],
    [3_600_009, "s9", PIN, "ok:pin"],
  ]],
  ["a guess just before the global lock ends does not extend it (no re-arming on a timer)", [
    ...Array.from({ length: 10 }, (_, i): Step => [0, `s${i}`, `10000${i}`, "wrong"]),
    ...Array.from({ length: 30 }, (_, i): Step => [3_599_999, `late${i}`, `20000${i % 10}`, "global-locked"]),
    [3_600_000, "op", PIN, "ok:pin"],
  ]],
  ["during the global lock the recovery code elevates any socket that is not itself waiting", [
    ...Array.from({ length: 10 }, (_, i): Step => [0, `s${i}`, `10000${i}`, "wrong"]),
    [5, "op", CODE, "ok:recovery"],
    [6, "op2", CODE, "ok:recovery"],
  ]],
  ["wrong PINs older than the hour are forgotten: nine, an hour, nine more do not lock", [
    ...Array.from({ length: 9 }, (_, i): Step => [0, `s${i}`, `10000${i}`, "wrong"]),
    ...Array.from({ length: 9 }, (_, i): Step => [3_600_000, `t${i}`, `20000${i}`, "wrong"]),
    [3_600_001, "op", PIN, "ok:pin"],
  ]],
  ["the recovery code is no PIN outside a global lock", [
    [0, "a", CODE, "wrong"],
  ]],
];

for (const [name, steps] of TABLE) {
  test(name, () => {
    const { clock, auth, outcome } = policy();
    const keys = new Map<string, object>();
    steps.forEach(([t, socket, pin, want], i) => {
      clock.t = t;
      if (!keys.has(socket)) keys.set(socket, { socket });
      const got = outcome(auth.check(pin, keys.get(socket)!));
      assert.is(got, want, `step ${i}: t=${t} socket ${socket} pin ${JSON.stringify(pin)}`);
    });
  });
}

test("a socket's wait doubles from 1 s up to 5 min and stays there", () => {
  let t = 0;
  const waits: unknown[] = [];
  const auth = createOperatorAuth(PIN, {
    now: () => t,
    globalMaxWrong: 1000,
    audit(e) {
      if (e.action !== "operator-lockout") return;
      waits.push(e.detail.ms);
      t += e.detail.ms as number;
    },
  });
  const key = {};
  for (let i = 0; i < 13; i++) assert.is(auth.check(`7${String(i).padStart(5, "0")}`, key).ok, false);
  assert.equal(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300].map((s) => s * 1000));
});

test("audit rows: every wrong PIN, each lockout and each elevation; never a PIN or the recovery code", () => {
  const { clock, rows, codes, auth } = policy();
  const a = {}, b = {};
  auth.check("000001", a);
  auth.check("000002", a);
  auth.check("000003", a); // socket a now waits 1 s
  auth.check(PIN, a); // refused by the lock: counted into a summary row
  clock.t = 10;
  auth.check(PIN, b);
  assert.equal(rows.map((r) => [r.action, r.actor, r.detail]), [
    ["operator-pin-wrong", "page", { socket: 1, wrongOnSocket: 1, wrongInWindow: 1 }],
    ["operator-pin-wrong", "page", { socket: 1, wrongOnSocket: 2, wrongInWindow: 2 }],
    ["operator-pin-wrong", "page", { socket: 1, wrongOnSocket: 3, wrongInWindow: 3 }],
    ["operator-lockout", "page", { scope: "socket", socket: 1, ms: 1000 }],
    ["operator-pin-refused", "page", { while: "socket-locked", refusedSinceLastRow: 1 }],
    ["operator-elevated", "operator", { socket: 2, via: "pin" }],
  ]);
  for (let i = 0; i < 7; i++) auth.check(`55555${i}`, { i });
  const global = rows.filter((r) => r.action === "operator-lockout" && r.detail.scope === "global");
  assert.equal(global.map((r) => r.detail), [{ scope: "global", ms: 3_600_000 }]);
  assert.equal(codes, [CODE], "the recovery code goes to the terminal hook only");
  auth.check(CODE, {});
  assert.equal(rows.at(-1)!.detail, { socket: 10, via: "recovery" });
  const text = JSON.stringify(rows);
  for (const secret of [PIN, CODE, "000001", "555551"]) assert.not.ok(text.includes(secret), secret);
});

test("a flood of attempts during a lock writes at most one summary row a minute", () => {
  const { clock, rows, auth } = policy();
  for (let i = 0; i < 10; i++) auth.check(`10000${i}`, { i });
  const before = rows.length;
  for (let i = 0; i < 6000; i++) {
    clock.t = i * 20; // 50 a second for two minutes, each from a fresh socket
    auth.check(`2${String(i).padStart(5, "0")}`, { i });
  }
  const summaries = rows.slice(before);
  assert.ok(summaries.length >= 1 && summaries.length <= 3, `${summaries.length} rows`);
  assert.ok(summaries.every((r) => r.action === "operator-pin-refused"));
});

test("while the audit log cannot be written, no one is elevated and right and wrong PINs get the same 'unrecorded' answer", () => {
  let storeFails = true;
  const auth = createOperatorAuth(PIN, {
    audit: () => {
      if (storeFails) throw new Error("database or disk is full");
    },
  });
  const error = console.error;
  console.error = () => {};
  try {
    assert.equal(auth.check(PIN, {}), { ok: false, reason: "unrecorded" });
    assert.equal(
      auth.check("000000", {}),
      { ok: false, reason: "unrecorded" },
      "no oracle: a wrong PIN reads the same",
    );
    storeFails = false;
    assert.equal(
      auth.check(PIN, {}),
      { ok: true, via: "pin" },
      "once records are written again, the PIN works",
    );
    assert.equal(auth.check("000000", {}), { ok: false, reason: "wrong" });
  } finally {
    console.error = error;
  }
});

test("the operator is told why sign-in is refused while records fail, in words that name the store", () => {
  const auth = createOperatorAuth(PIN, {
    audit: () => {
      throw new Error("database is locked");
    },
  });
  const error = console.error;
  console.error = () => {};
  try {
    const reply = answerOperator({ type: "operator", pin: PIN }, auth, "stopped", {});
    assert.is(reply.refused, true);
    assert.match(String(reply.body.message), /cannot write its records/);
    assert.is(reply.body.field, "pin");
  } finally {
    console.error = error;
  }
});

test("a junk value's error names the field and its type or length, never the value", () => {
  const { auth } = policy();
  const message = (v: unknown) => {
    const c = auth.check(v, {});
    return c.ok || c.reason !== "invalid" ? "" : c.message;
  };
  assert.match(message(482916), /field "pin" must be a string of 4 to 12 digits, got number/);
  assert.match(message(undefined), /got undefined/);
  assert.match(message("48291612345678"), /got 14 characters/);
  assert.not.match(message("48291612345678"), /4829161/);
});

test.run();
