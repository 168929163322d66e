import { test } from "uvu";
import * as assert from "uvu/assert";
import { createOperatorAuth, createWsHub, type HubSocket } from "../../kiosk/server/mod.ts";
import { CONTRAINDICATIONS, MAX_STIMULATION_MS } from "../../core/engine/mod.ts";
import { createRecorder, type OutputSink, type SinkReport } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { CHEEK, fakeRunner, runningOnCheek } from "./_fixtures.ts";

function fakeSocket() {
  const sent: Record<string, unknown>[] = [];
  const socket: HubSocket & { closed: number | null } = {
    closed: null,
    send: (text) => void sent.push(JSON.parse(text)),
    close(code) {
      this.closed = code ?? 1000;
    },
  };
  return { socket, sent };
}

test("a socket flooding messages is rate-limited with one error per second, and others are unaffected", () => {
  const { runner } = fakeRunner();
  let now = 0;
  const hub = createWsHub(runner, { maxMessagesPerS: 100, now: () => now });
  const a = fakeSocket();
  const b = fakeSocket();
  hub.open(a.socket);
  hub.open(b.socket);
  let applied = 0;
  runner.observe({ event: (e) => void (e.type === "comfort" && applied++) });
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} });
  for (let i = 0; i < 250; i++) hub.message(a.socket, JSON.stringify({ type: "comfort", level: 5 }));
  assert.is(applied, 100);
  const errors = a.sent.filter((m) => m.type === "error");
  assert.is(errors.length, 1);
  assert.is(errors[0]!.field, "message");
  hub.message(b.socket, JSON.stringify({ type: "comfort", level: 4 }));
  assert.is(applied, 101, "another socket still gets through");
  hub.message(a.socket, JSON.stringify({ type: "estop" }));
  assert.is(runner.tick().limit, "estop", "an emergency stop gets through a rate-limited socket");
  now += 500; // half a second refills half the bucket
  for (let i = 0; i < 80; i++) hub.message(a.socket, JSON.stringify({ type: "comfort", level: 5 }));
  assert.is(applied, 151);
});

test("frames go to every socket; a socket with a backlog skips frames instead of queueing more", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {});
  const fast = fakeSocket();
  const slow = fakeSocket();
  let buffered = 0;
  // The backlog as the socket reports it (bufferedAmount), read by the hub on every frame.
  const slowSocket = Object.defineProperty(slow.socket, "bufferedAmount", { get: () => buffered });
  hub.open(fast.socket);
  hub.open(slowSocket);
  runner.tick();
  buffered = 10_000_000;
  runner.tick();
  runner.tick();
  const frames = (s: { sent: Record<string, unknown>[] }) => s.sent.filter((m) => m.type === "frame").length;
  assert.is(frames(fast), 3);
  assert.is(frames(slow), 1);
});

test("the frame message carries the last accepted probe points", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {});
  const a = fakeSocket();
  hub.open(a.socket);
  hub.message(a.socket, JSON.stringify({ type: "probe", points: [CHEEK], confidence: 0.9 }));
  runner.tick();
  const frame = a.sent.find((m) => m.type === "frame")!;
  assert.equal(frame.probe, [CHEEK]);
  assert.equal(hub.lastProbe, [CHEEK]);
});

test("the frame message carries skin contact with its impedance, and the session's stimulation time and limit", () => {
  let report: ((r: SinkReport) => void) | undefined;
  const sink: OutputSink = {
    send() {},
    status: () => ({}),
    subscribe: (listener) => {
      report = listener;
      return () => (report = undefined);
    },
  };
  const { runner, clock } = fakeRunner(sink);
  const hub = createWsHub(runner, {});
  const a = fakeSocket();
  hub.open(a.socket);
  const last = () => a.sent.findLast((m) => m.type === "frame")!;
  runner.tick();
  assert.is(last().contact, null, "nothing reported yet");
  assert.is(last().stimulationMs, 0);
  assert.is(last().stimulationLimitMs, MAX_STIMULATION_MS, "the engine's rule-7 limit");
  runner.start();
  runningOnCheek(runner, clock, 1000);
  runner.tick();
  assert.equal(last().contact, { on: true, impedanceOhm: 4000 }, "from the contact event");
  assert.ok((last().stimulationMs as number) > 0, `stimulation counted: ${last().stimulationMs}`);
  // Telemetry keeps the impedance current between contact changes; an open circuit (Infinity) travels as null.
  const telemetry = { contact: true, impedanceOhm: 26_000, measuredUa: 0, batteryPct: null, faults: [] };
  report!({ kind: "telemetry", telemetry });
  runner.tick();
  assert.equal(last().contact, { on: true, impedanceOhm: 26_000 });
  report!({ kind: "telemetry", telemetry: { ...telemetry, contact: false, impedanceOhm: Infinity } });
  runner.tick();
  assert.equal(last().contact, { on: false, impedanceOhm: null });
  assert.equal(hub.lastContact, { on: false, impedanceOhm: null });
});

test("dispose closes every socket with 1001 and stops sending frames", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {});
  const a = fakeSocket();
  hub.open(a.socket);
  hub.dispose();
  assert.is(a.socket.closed, 1001);
  const before = a.sent.length;
  runner.tick();
  assert.is(a.sent.length, before);
  assert.is(hub.clients, 0);
});

test('a message that merely contains the text "estop" is rate-limited like any other', () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { maxMessagesPerS: 100, now: () => 0 });
  const a = fakeSocket();
  hub.open(a.socket);
  let applied = 0;
  runner.observe({ event: (e) => void (e.type === "comfort" && applied++) });
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} });
  for (let i = 0; i < 250; i++) {
    hub.message(a.socket, JSON.stringify({ type: "comfort", level: 5, by: "estop" }));
  }
  assert.is(applied, 100);
  hub.message(a.socket, JSON.stringify({ type: "estop" }));
  assert.is(runner.tick().limit, "estop", "a real estop still gets through");
});

test('demo observations are refused naming "source" unless the device is simulated; camera ones pass', () => {
  for (const demoAllowed of [false, true]) {
    const { runner } = fakeRunner();
    const hub = createWsHub(runner, { demoAllowed });
    const a = fakeSocket();
    hub.open(a.socket);
    hub.message(
      a.socket,
      JSON.stringify({ type: "probe", points: [CHEEK], confidence: 0.9, source: "demo" }),
    );
    const error = a.sent.find((m) => m.type === "error");
    assert.is(error?.field, demoAllowed ? undefined : "source");
    assert.equal(hub.lastProbe, demoAllowed ? [CHEEK] : null);
    hub.message(
      a.socket,
      JSON.stringify({ type: "probe", points: [CHEEK], confidence: 0.9, source: "camera" }),
    );
    assert.equal(hub.lastProbe, [CHEEK]);
  }
});

test("reset is refused from a user socket, even one that names itself operator; estop is not", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { operatorAuth: createOperatorAuth("482916") });
  const a = fakeSocket();
  hub.open(a.socket);
  runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} });
  const sources: string[] = [];
  runner.observe({ event: (e, { source }) => void sources.push(`${e.type}:${source}`) });
  hub.message(a.socket, JSON.stringify({ type: "estop" }));
  assert.equal(sources, ["estop:page"], "the user may stop");
  hub.message(a.socket, JSON.stringify({ type: "reset", by: "operator" }));
  const error = a.sent.find((m) => m.type === "error");
  assert.is(error?.field, "type");
  assert.is(error?.of, "reset");
  assert.equal(sources, ["estop:page"], "nothing was applied");
  assert.is(runner.tick().limit, "estop", "the stop stays latched");
});

test("the operator PIN elevates a socket; its reset is applied and attributed to the operator role", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { operatorAuth: createOperatorAuth("482916") });
  const a = fakeSocket();
  const b = fakeSocket();
  hub.open(a.socket);
  hub.open(b.socket);
  assert.is(a.sent[0]!.role, "user");
  const sources: string[] = [];
  runner.observe({ event: (e, { source }) => void sources.push(`${e.type}:${source}`) });
  hub.message(a.socket, JSON.stringify({ type: "operator", pin: "000000" }));
  assert.is(a.sent.at(-1)!.field, "pin");
  hub.message(a.socket, JSON.stringify({ type: "operator", pin: "482916" }));
  assert.equal(a.sent.at(-1), { type: "ack", of: "operator", role: "operator", state: "idle" });
  hub.message(a.socket, JSON.stringify({ type: "estop" }));
  hub.message(a.socket, JSON.stringify({ type: "reset" }));
  assert.equal(sources, ["estop:operator", "reset:operator"]);
  hub.message(b.socket, JSON.stringify({ type: "reset" }));
  assert.is(b.sent.at(-1)!.field, "type", "another socket is not elevated by it");
});

/** A hub whose operator policy runs on a fake clock, and a way to send a PIN from a socket. */
function pinHub(options: { recoveryCode?: string } = {}) {
  const clock = { t: 0 };
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {
    now: () => clock.t,
    operatorAuth: createOperatorAuth("482916", {
      now: () => clock.t,
      newRecoveryCode: () => options.recoveryCode ?? "000000000000",
    }),
  });
  const open = () => {
    const s = fakeSocket();
    hub.open(s.socket);
    return s;
  };
  const pin = (s: ReturnType<typeof fakeSocket>, value: unknown) => {
    hub.message(s.socket, JSON.stringify({ type: "operator", pin: value }));
    return s.sent.at(-1)!;
  };
  return { clock, open, pin };
}

test("a socket that sends a third wrong PIN waits, the right PIN included; another socket does not", () => {
  const { clock, open, pin } = pinHub();
  const a = open(), b = open();
  for (const p of ["111111", "222222", "333333"]) assert.is(pin(a, p).field, "pin");
  const wrong = pin(a, "444444");
  clock.t += 500;
  assert.equal(
    pin(a, "482916"),
    wrong,
    "a right PIN during the wait gets the wrong-PIN reply, word for word",
  );
  assert.is(pin(b, "482916").role, "operator");
  clock.t += 4000;
  assert.is(pin(a, "482916").role, "operator");
});

test("no oracle: a wrong PIN, a socket lock and the global lock all read the same, with no time in them", () => {
  const { open, pin } = pinHub();
  const replies = new Set<string>();
  const a = open();
  for (let i = 0; i < 4; i++) replies.add(JSON.stringify(pin(a, `10000${i}`)));
  for (let i = 0; i < 10; i++) replies.add(JSON.stringify(pin(open(), `20000${i}`)));
  replies.add(JSON.stringify(pin(open(), "482916")));
  assert.is(replies.size, 1, [...replies].join("\n"));
  assert.not.match([...replies][0]!, /[0-9]+ ?s\b|tries|second/);
});

test("junk PIN values are refused naming the field and never counted as guesses", () => {
  const { open, pin } = pinHub();
  const a = open();
  const junk = [5555, "12", "abcdef", null, true, "1234567890123", ["482916"], { pin: "482916" }, ""];
  for (let round = 0; round < 3; round++) {
    for (const value of junk) {
      const reply = pin(a, value);
      assert.is(reply.field, "pin");
      assert.match(String(reply.message), /4 to 12 digits/);
    }
  }
  assert.match(String(pin(a, undefined).message), /got undefined/, "no pin field at all");
  assert.is(pin(a, "482916").role, "operator", "27 junk values later the right PIN still works at once");
});

test("wrong PINs from many fresh sockets lock the PIN for an hour; late guesses do not extend it; the recovery code works", () => {
  const { clock, open, pin } = pinHub({ recoveryCode: "918273645546" });
  for (let i = 0; i < 10; i++) pin(open(), `30000${i}`);
  assert.is(pin(open(), "482916").field, "pin", "the right PIN is refused during the global lock");
  clock.t = 3_599_999;
  for (let i = 0; i < 50; i++) pin(open(), `40000${i % 10}`);
  assert.is(pin(open(), "918273645546").role, "operator", "the recovery code opens the lock");
  clock.t = 3_600_000;
  assert.is(pin(open(), "482916").role, "operator", "the lock ends on time, however many guesses came late");
});

test("netDc and an operator cap at start are refused from a user socket and accepted from an operator one", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, { operatorAuth: createOperatorAuth("482916") });
  const a = fakeSocket();
  hub.open(a.socket);
  const screening = Object.fromEntries(CONTRAINDICATIONS.map((k) => [k, false]));
  const start = { type: "start", routine: "free", comfort: 5, screening, consent: true };
  hub.message(a.socket, JSON.stringify({ ...start, netDc: true }));
  assert.is(a.sent.at(-1)!.field, "netDc");
  hub.message(a.socket, JSON.stringify({ ...start, operatorCapUa: 400 }));
  assert.is(a.sent.at(-1)!.field, "operatorCapUa");
  assert.is(runner.state, "idle", "neither start was applied");
  hub.message(a.socket, JSON.stringify({ type: "operator", pin: "482916" }));
  hub.message(a.socket, JSON.stringify({ ...start, operatorCapUa: 200, netDc: true }));
  assert.is(a.sent.at(-1)!.of, "start");
  assert.is(a.sent.at(-1)!.type, "ack");
});

test("a cap message is operator only; from an operator it lowers the engine's output and is acked", () => {
  const { runner, clock } = fakeRunner();
  const hub = createWsHub(runner, { operatorAuth: createOperatorAuth("482916") });
  const a = fakeSocket();
  hub.open(a.socket);
  runner.start();
  runningOnCheek(runner, clock, 3000);
  assert.ok(runner.lastFrame!.currentUa > 50, `current ${runner.lastFrame!.currentUa}`);
  const sources: string[] = [];
  runner.observe({ event: (e, { source }) => void sources.push(`${e.type}:${source}`) });
  hub.message(a.socket, JSON.stringify({ type: "cap", operatorCapUa: 20 }));
  assert.is(a.sent.at(-1)!.field, "type");
  assert.equal(sources, []);
  hub.message(a.socket, JSON.stringify({ type: "operator", pin: "482916" }));
  hub.message(a.socket, JSON.stringify({ type: "cap", operatorCapUa: 20 }));
  assert.equal(a.sent.at(-1)!.of, "cap");
  assert.equal(sources, ["cap:operator"]);
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
  const f = runner.tick();
  assert.ok(f.currentUa <= 20, `current ${f.currentUa}`);
  assert.is(f.limit, "operator-cap");
});

test("when the last page socket closes mid-session the session is stopped like an estop and audited", () => {
  const { runner, clock } = fakeRunner();
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-hub-" }));
  const recorder = createRecorder(store);
  runner.observe(recorder);
  const hub = createWsHub(runner, { recorder });
  const a = fakeSocket();
  const b = fakeSocket();
  hub.open(a.socket);
  hub.open(b.socket);
  runner.start();
  runningOnCheek(runner, clock, 3000);
  assert.ok(runner.lastFrame!.currentUa > 0);
  hub.close(a.socket);
  assert.ok(runner.lastFrame!.currentUa > 0, "another page is still there");
  hub.close(b.socket);
  assert.is(runner.lastFrame!.currentUa, 0, "zero frame at once");
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
  clock.advance(40);
  assert.is(runner.lastFrame!.limit, "estop", "latched until an operator reset");
  const [entry] = store.auditLog();
  assert.is(entry?.action, "estop");
  assert.is(entry?.actor, "runner");
  assert.equal(entry?.detail, { reason: "page disconnected" });
  store.dispose();
});

test("a page closing while no session runs changes nothing", () => {
  const { runner } = fakeRunner();
  const hub = createWsHub(runner, {});
  const a = fakeSocket();
  hub.open(a.socket);
  hub.close(a.socket);
  assert.is(runner.tick().limit, "idle");
});

test("a clock ping is answered with the server time; after it, observations older than 100 ms since capture are dropped", () => {
  const { runner, clock } = fakeRunner();
  // The server's epoch clock moves with the runner's fake clock; the page's clock is 49 s behind.
  const serverNow = () => 50_000 + clock.now();
  const hub = createWsHub(runner, { now: serverNow });
  const a = fakeSocket();
  hub.open(a.socket);
  runner.start();
  runningOnCheek(runner, clock, 3000);
  const pageNow = () => serverNow() - 49_000;
  // Before any ping: arrival time counts, an old capture time is not held against the page.
  hub.message(a.socket, JSON.stringify({ type: "probe", points: [CHEEK], confidence: 0.95, capturedAt: 1 }));
  assert.is(a.sent.filter((m) => m.type === "error").length, 0);
  hub.message(a.socket, JSON.stringify({ type: "clock", pageMs: pageNow() }));
  assert.equal(a.sent.at(-1), { type: "clock", pageMs: pageNow(), serverMs: serverNow() });
  const probes: number[] = [];
  runner.observe({ event: (e) => void (e.type === "probe" && probes.push(e.t)) });
  hub.message(
    a.socket,
    JSON.stringify({ type: "probe", points: [CHEEK], confidence: 0.95, capturedAt: pageNow() - 60 }),
  );
  assert.is(probes.length, 1, "60 ms since capture: fresh");
  // From here the page's observations arrive 120 ms after capture (a stalled pipeline): none is applied...
  for (let i = 0; i < 10; i++) {
    clock.advance(20);
    hub.message(
      a.socket,
      JSON.stringify({ type: "probe", points: [CHEEK], confidence: 0.95, capturedAt: pageNow() - 120 }),
    );
  }
  assert.is(probes.length, 1, "stale captures are dropped");
  // ...so the engine's tracking goes stale and output is cut.
  assert.is(runner.lastFrame!.currentUa, 0);
  assert.is(runner.lastFrame!.limit, "stale-tracking");
});

test("the hub's own control messages refuse by field: an operator PIN with none configured, a bad clock ping", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ type: "operator", pin: "" }, "pin"], // without a configured PIN no socket can become an operator
    [{ type: "clock", pageMs: "soon" }, "pageMs"],
  ];
  for (const [message, field] of cases) {
    const { runner } = fakeRunner();
    const hub = createWsHub(runner, {});
    const a = fakeSocket();
    hub.open(a.socket);
    hub.message(a.socket, JSON.stringify(message));
    assert.is(a.sent.at(-1)!.field, field);
    assert.is(a.sent.at(-1)!.type, "error");
  }
});

test.run();
