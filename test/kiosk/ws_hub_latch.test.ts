/** The estop latch through the real hub (issue 7.1): nothing a page socket sends lifts it; only an operator reset does. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { createOperatorAuth, createWsHub, type HubSocket, type WsHub } from "../../kiosk/server/mod.ts";
import type { SessionRunner } from "../../kiosk/session/mod.ts";
import type { FakeClock } from "./_fake_clock.ts";
import { CHEEK, fakeRunner, NO } from "./_fixtures.ts";

const PIN = "482916";
const START = { type: "start", routine: "free", comfort: 10, screening: NO, consent: true };

/** A page socket that keeps what the hub sent it. */
function page(hub: WsHub) {
  const sent: Record<string, unknown>[] = [];
  const socket: HubSocket = { send: (text) => void sent.push(JSON.parse(text)), close() {} };
  hub.open(socket);
  return {
    socket,
    sent,
    send: (message: Record<string, unknown>) => hub.message(socket, JSON.stringify(message)),
    /** The last reply (ack or error) to a message of this type. */
    answer: (of: string) => sent.findLast((m) => m.of === of),
    /** Frames the hub broadcast to this socket from index `from` of `sent` on. */
    frames: (from = 0) =>
      sent.slice(from).filter((m) => m.type === "frame").map((m) => m.frame as EngineFrame),
  };
}
type Page = ReturnType<typeof page>;

/** A page socket holding the probe on the cheek for `ms` (observations at 25 Hz, the clock ticking the runner). */
function glide(p: Page, clock: FakeClock, ms: number): void {
  for (let t = 0; t < ms; t += 40) {
    p.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
    clock.advance(40);
  }
}

/** A hub on a runner whose session was started by `user`, with skin contact, and output flowing. */
function flowing(): { runner: SessionRunner; clock: FakeClock; hub: WsHub; user: Page } {
  const { runner, clock } = fakeRunner();
  const hub = createWsHub(runner, { operatorAuth: createOperatorAuth(PIN) });
  const user = page(hub);
  runner.start();
  user.send(START);
  runner.submit({ type: "contact", on: true, impedanceOhm: 4000 }, "device");
  glide(user, clock, 1000);
  assert.ok(runner.lastFrame!.currentUa > 0, "output flows before the stop");
  return { runner, clock, hub, user };
}

function assertLatched(frames: EngineFrame[]): void {
  assert.ok(frames.length >= 90, `${frames.length} frames`);
  for (const f of frames) {
    assert.is(f.currentUa, 0, `current at t=${f.t}`);
    assert.is(f.limit, "estop", `limit at t=${f.t}`);
  }
}

test("a user socket's estop, end and start leave every frame at 0 with limit estop until an operator reset", () => {
  const { runner, clock, hub, user } = flowing();
  user.send({ type: "estop" });
  user.send({ type: "end" });
  user.send(START);
  assert.is(user.answer("start")?.type, "ack", "the start itself is accepted (and recorded)");
  assert.is(user.answer("start")?.state, "stopped", "but the new session is under the latch");
  const mark = user.sent.length;
  glide(user, clock, 2000);
  user.send({ type: "resume" });
  glide(user, clock, 200);
  assertLatched(user.frames(mark));

  const operator = page(hub);
  operator.send({ type: "operator", pin: PIN });
  operator.send({ type: "reset" });
  assert.is(operator.answer("reset")?.state, "paused", "after the reset the person presses Resume");
  const afterReset = user.sent.length;
  glide(user, clock, 1000);
  for (const f of user.frames(afterReset)) assert.equal([f.currentUa, f.state], [0, "paused"]);

  user.send({ type: "resume" });
  glide(user, clock, 200);
  const output = user.frames(afterReset).filter((f) => f.currentUa > 0);
  assert.is(output[0]?.currentUa, 2, "Resume starts the ramp from 0");
  assert.is(runner.state, "running");
});

test("the page-disconnected estop survives a new socket's end and start: frames stay 0 with limit estop", () => {
  const { runner, clock, hub, user } = flowing();
  hub.close(user.socket);
  assert.is(runner.lastFrame!.limit, "estop", "the last page went away: the hub stopped the session");
  const next = page(hub);
  assert.is(next.sent[0]!.state, "stopped", "a new page learns at once that the stop is latched");
  next.send({ type: "end" });
  next.send(START);
  assert.is(next.answer("start")?.state, "stopped");
  const mark = next.sent.length;
  glide(next, clock, 2000);
  next.send({ type: "resume" });
  glide(next, clock, 200);
  assertLatched(next.frames(mark));
  assert.is(runner.state, "stopped");
});

test.run();
