import { test } from "uvu";
import * as assert from "uvu/assert";
import { createMessageBudget, createWsHub, type HubSocket } from "../../kiosk/server/mod.ts";
import { fakeRunner } from "./_fixtures.ts";

/** A socket whose backlog (bufferedAmount) the test sets. */
function fakeSocket() {
  const sent: Record<string, unknown>[] = [];
  let buffered = 0;
  const socket: HubSocket = {
    send: (text) => void sent.push(JSON.parse(text)),
    close() {},
    get bufferedAmount() {
      return buffered;
    },
  };
  return { socket, sent, setBuffered: (bytes: number) => void (buffered = bytes) };
}

const comfort = JSON.stringify({ type: "comfort", level: 5 });

test("binary messages take from the same rate limit as text: the excess is dropped with one error per second", () => {
  const { runner } = fakeRunner();
  let now = 0;
  const hub = createWsHub(runner, { maxMessagesPerS: 100, now: () => now });
  const a = fakeSocket();
  hub.open(a.socket);
  let applied = 0;
  runner.observe({ event: (e) => void (e.type === "comfort" && applied++) });
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} });
  for (let i = 0; i < 250; i++) hub.binary(a.socket);
  const errors = a.sent.filter((m) => m.type === "error");
  assert.is(
    errors.filter((m) => /not binary/.test(String(m.message))).length,
    100,
    "one answer per admitted binary",
  );
  assert.is(errors.filter((m) => /per second/.test(String(m.message))).length, 1, "one rate-limit error");
  hub.message(a.socket, comfort);
  assert.is(applied, 0, "the binary flood used up the socket's budget for text too");
  hub.message(a.socket, JSON.stringify({ type: "estop" }));
  assert.is(runner.tick().limit, "estop", "an emergency stop still gets through");
  now += 100;
  hub.message(a.socket, comfort);
  assert.is(applied, 1, "the budget refills with time");
});

test("error replies are not queued for a socket with a send backlog, like frames; they resume once it drains", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { maxBufferedBytes: 1000, maxMessagesPerS: 1000, now: () => 0 });
  const a = fakeSocket();
  hub.open(a.socket);
  const before = a.sent.length;
  a.setBuffered(5000);
  hub.message(a.socket, "{oops");
  hub.message(a.socket, JSON.stringify({ type: "reset" }));
  runner.tick();
  assert.is(a.sent.length, before, "nothing was queued behind the backlog");
  hub.binary(a.socket);
  assert.is(a.sent.length, before, "nor for a binary message");
  a.setBuffered(0);
  hub.message(a.socket, "{oops");
  assert.is(a.sent.at(-1)?.field, "json");
});

test("an estop from a backlogged socket is applied even though its ack is not queued", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { maxBufferedBytes: 1000 });
  const a = fakeSocket();
  hub.open(a.socket);
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} });
  a.setBuffered(5000);
  hub.message(a.socket, JSON.stringify({ type: "estop" }));
  assert.is(runner.tick().limit, "estop");
});

test("the message budget refills at its rate up to its burst and reports a refusal once per second", () => {
  const budget = createMessageBudget(2, 0);
  assert.equal([budget.take(0), budget.take(0)].map((a) => a.ok), [true, true]);
  assert.equal(budget.take(0), { ok: false, notify: true });
  assert.equal(budget.take(400), { ok: false, notify: false });
  assert.equal(budget.take(500), { ok: true, notify: false }, "half a second refills one of two tokens");
  assert.equal(budget.take(10_000).ok, true);
  assert.equal(budget.take(10_000).ok, true);
  assert.equal(budget.take(10_000), { ok: false, notify: true }, "the burst is capped at the rate");
  assert.throws(() => createMessageBudget(0, 0), /perS must be a number > 0, got 0/);
});

test.run();
