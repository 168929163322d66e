import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, type EngineFrame, type UvPoint } from "../../core/engine/mod.ts";
import { type AppOptions, createApp, serveKiosk } from "../../kiosk/server/mod.ts";
import { createRecorder, createSessionRunner, type SinkReport } from "../../kiosk/session/mod.ts";
import { createNullSink } from "./_null_sink.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { CHEEK, NO, routines } from "./_fixtures.ts";

/** Server messages as the tests read them (frame is present on "frame" messages only). */
interface Msg {
  type: string;
  field?: string;
  message?: string;
  of?: string;
  state?: string;
  frame: EngineFrame;
  probe?: UvPoint[] | null;
}

/** A real server on an ephemeral port whose device sink reports skin contact. */
async function startServer(extra: Partial<AppOptions> = {}) {
  let emit: (r: SinkReport) => void = () => {};
  const sink = { ...createNullSink(), subscribe: (l: (r: SinkReport) => void) => ((emit = l), () => {}) };
  const runner = createSessionRunner(createEngine({ routines }), { sink, spinMs: 0 });
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-ws-" }));
  const recorder = createRecorder(store);
  runner.observe(recorder);
  const controller = new AbortController();
  const app = createApp({ runner, sink, store, recorder, signal: controller.signal, ...extra });
  const server = serveKiosk(app, { hostname: "127.0.0.1", port: 0, signal: controller.signal });
  const addr = await server.listening;
  runner.start();
  return {
    url: `ws://127.0.0.1:${addr.port}/ws`,
    runner,
    store,
    contact: (on: boolean) => emit({ kind: "event", event: { type: "contact", on } }),
    async stop() {
      await runner.dispose();
      controller.abort();
      await server.finished;
      store.dispose();
    },
  };
}

/** A WebSocket client that queues messages and lets the test wait for the next one matching a predicate. */
async function client(url: string) {
  // The kiosk page's own origin, as a browser showing it sends (Deno's WebSocket takes headers).
  const origin = url.replace("ws://", "http://").replace(/\/ws$/, "");
  const ws = new WebSocket(url, { headers: { origin } } as unknown as string[]);
  const queue: Msg[] = [];
  let wake: (() => void) | null = null;
  ws.onmessage = (e) => {
    queue.push(JSON.parse(String(e.data)));
    wake?.();
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const closed = new Promise((resolve) => (ws.onclose = resolve));
  return {
    send: (m: unknown) => ws.send(typeof m === "string" ? m : JSON.stringify(m)),
    /** Waits for the next message matching `pred`, dropping others; fails after 5 s (a guard, not a timing check). */
    async next(pred: (m: Msg) => boolean, what = "message"): Promise<Msg> {
      const deadline = Date.now() + 5000;
      for (;;) {
        while (queue.length) {
          const m = queue.shift()!;
          if (pred(m)) return m;
        }
        if (Date.now() > deadline) throw new Error(`no ${what} within the guard time`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 50);
        });
      }
    },
    drain: () => void (queue.length = 0),
    async close() {
      ws.close();
      await closed;
    },
  };
}

const isFrame = (m: Msg) => m.type === "frame";

/** Runs `body` with a fresh server and one client socket on it; closes both after, passed or failed. */
async function withClient(
  body: (
    c: Awaited<ReturnType<typeof client>>,
    srv: Awaited<ReturnType<typeof startServer>>,
  ) => Promise<void>,
): Promise<void> {
  const srv = await startServer();
  const c = await client(srv.url);
  try {
    await body(c, srv);
  } finally {
    await c.close();
    await srv.stop();
  }
}

test("a socket is greeted, then receives a stream of engine frames with increasing t and the engine's state", () =>
  withClient(async (c) => {
    const hello = await c.next((m) => m.type === "hello", "hello");
    assert.is(hello.state, "idle");
    const ts: number[] = [];
    for (let i = 0; i < 10; i++) {
      const f = (await c.next(isFrame, "frame")).frame;
      assert.is(f.state, "idle");
      assert.is(f.currentUa, 0);
      ts.push(f.t);
    }
    assert.ok(ts.slice(1).every((t, i) => t > ts[i]!), `frame times increase: ${ts}`);
    c.send({ type: "start", routine: "free", comfort: 5, screening: NO, consent: true });
    const ready = await c.next((m) => isFrame(m) && m.frame.state !== "idle", "frame after start");
    assert.is(ready.frame.state, "ready");
    assert.ok(ready.frame.t > ts[ts.length - 1]!);
  }));

test("a probe message changes the engine's zone", () =>
  withClient(async (c) => {
    c.send({ type: "start", routine: "free", comfort: 5, screening: NO, consent: true });
    await c.next((m) => m.type === "ack" && m.of === "start", "start ack");
    c.send({ type: "probe", points: [CHEEK], confidence: 0.95, capturedAt: 1 });
    const f = await c.next((m) => isFrame(m) && m.frame.zone !== null, "frame with a zone");
    assert.is(f.frame.zone, "cheek-left");
    assert.equal(f.probe, [CHEEK]);
    c.send({ type: "probe", points: [{ u: 0.5, v: 0.15 }], confidence: 0.95, capturedAt: 2 });
    const g = await c.next((m) => isFrame(m) && m.frame.zone !== "cheek-left", "frame with the new zone");
    assert.is(g.frame.zone, "forehead");
  }));

test("bad JSON and bad fields get an error naming the field, and the socket stays usable", () =>
  withClient(async (c, srv) => {
    c.send("{oops");
    assert.is((await c.next((m) => m.type === "error")).field, "json");
    c.send({ type: "probe", points: [{ u: "left", v: 0.5 }], confidence: 0.9 });
    assert.is((await c.next((m) => m.type === "error")).field, "points[0].u");
    c.send({ type: "contact", on: true });
    const e = await c.next((m) => m.type === "error");
    assert.is(e.field, "type");
    assert.match(e.message ?? "", /device host/);
    c.send({ type: "tracking", faceSeen: "yes", probeSeen: true, fps: 30 });
    assert.is((await c.next((m) => m.type === "error")).field, "faceSeen");
    // The field travels on the error: a name with a quote in it comes back whole.
    c.send({ type: "comfort", level: 5, 'x" y': 1 });
    assert.is((await c.next((m) => m.type === "error")).field, 'x" y');
    c.send({ type: "start", routine: "nope", comfort: 5, screening: NO, consent: true });
    assert.is((await c.next((m) => m.type === "error")).field, "routine");
    c.send({ type: "start", routine: "free", comfort: 5, screening: NO, consent: true });
    const ack = await c.next((m) => m.type === "ack");
    assert.is(ack.of, "start");
    assert.is(srv.store.sessions().length, 1, "the good start was recorded; the bad ones were not");
    await c.next((m) => isFrame(m) && m.frame.state === "ready", "ready frame");
  }));

test("estop from the page zeroes the next frame and is latched until reset", () =>
  withClient(async (c, srv) => {
    c.send({ type: "start", routine: "free", comfort: 10, screening: NO, consent: true });
    await c.next((m) => m.type === "ack");
    srv.contact(true);
    c.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
    // Keep observations coming (a page that stops sending is a fault) until output flows.
    await c.next((m) => {
      if (isFrame(m)) c.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
      return isFrame(m) && m.frame.currentUa > 0;
    }, "frame with output");
    c.send({ type: "estop" });
    await c.next((m) => m.type === "ack" && m.of === "estop", "estop ack");
    const f = await c.next(isFrame, "frame after estop");
    assert.is(f.frame.currentUa, 0);
    assert.is(f.frame.limit, "estop");
    for (let i = 0; i < 5; i++) {
      c.send({ type: "probe", points: [CHEEK], confidence: 0.95 });
      assert.is((await c.next(isFrame)).frame.currentUa, 0, "estop stays latched");
    }
    assert.is(srv.store.auditLog()[0]?.action, "estop");
  }));

test("reordered probe observations from one socket are dropped, never applied", () =>
  withClient(async (c) => {
    c.send({ type: "start", routine: "free", comfort: 5, screening: NO, consent: true });
    await c.next((m) => m.type === "ack");
    c.send({ type: "probe", points: [CHEEK], confidence: 0.95, capturedAt: 500 });
    c.send({ type: "probe", points: [{ u: 0.5, v: 0.15 }], confidence: 0.95, capturedAt: 400 });
    c.send({ type: "comfort", level: 3 });
    await c.next((m) => m.type === "ack" && m.of === "comfort");
    const f = await c.next(isFrame);
    assert.is(f.frame.zone, "cheek-left");
  }));

test("every connected socket receives the same frames", async () => {
  const srv = await startServer();
  const a = await client(srv.url);
  const b = await client(srv.url);
  try {
    await a.next(isFrame);
    await b.next(isFrame);
    a.send({ type: "start", routine: "free", comfort: 5, screening: NO, consent: true });
    await a.next((m) => isFrame(m) && m.frame.state === "ready");
    await b.next((m) => isFrame(m) && m.frame.state === "ready");
  } finally {
    await a.close();
    await b.close();
    await srv.stop();
  }
});

test("PIN attempts over real sockets: junk is a field error, wrong PINs, lockouts and elevations are audited, never a PIN", async () => {
  const PIN = "482916";
  const codes: string[] = [];
  const srv = await startServer({ operatorPin: PIN, onOperatorRecovery: (code) => void codes.push(code) });
  const clients: Awaited<ReturnType<typeof client>>[] = [];
  const open = async () => {
    const c = await client(srv.url);
    clients.push(c);
    return c;
  };
  const answer = async (c: Awaited<ReturnType<typeof client>>, pin: unknown) => {
    c.send({ type: "operator", pin });
    return await c.next((m) => m.of === "operator", "operator answer");
  };
  try {
    const a = await open();
    for (const junk of [1234, "12", "four"]) {
      const e = await answer(a, junk);
      assert.is(e.field, "pin");
      assert.match(e.message ?? "", /4 to 12 digits/);
    }
    assert.equal(srv.store.auditLog(), [], "junk is neither a guess nor a row");
    for (const pin of ["111111", "222222", "333333"]) assert.is((await answer(a, pin)).type, "error");
    for (let i = 0; i < 7; i++) assert.is((await answer(await open(), `90000${i}`)).type, "error");
    assert.is(codes.length, 1, "ten wrong PINs lock the PIN and mint a recovery code");
    assert.is((await answer(await open(), PIN)).type, "error", "the right PIN is refused during the lock");
    const op = await open();
    assert.is((await answer(op, codes[0])).type, "ack");
    const rows = srv.store.auditLog({ limit: 100 }).reverse();
    const summary = rows.map((r) => `${r.action}:${r.actor}:${r.detail.scope ?? r.detail.via ?? ""}`);
    assert.equal(summary, [
      "operator-pin-wrong:page:",
      "operator-pin-wrong:page:",
      "operator-pin-wrong:page:",
      "operator-lockout:page:socket",
      ...Array(7).fill("operator-pin-wrong:page:"),
      "operator-lockout:page:global",
      "operator-pin-refused:page:",
      "operator-elevated:operator:recovery",
    ]);
    const text = JSON.stringify(rows);
    for (const secret of [PIN, codes[0]!, "111111", "900006"]) {
      assert.not.ok(text.includes(secret), "no secret in the log");
    }
  } finally {
    for (const c of clients) await c.close();
    await srv.stop();
  }
});

test("a WebSocket from another origin, or with no Origin, is refused; the kiosk's own origin is accepted", async () => {
  const srv = await startServer();
  try {
    const port = new URL(srv.url).port;
    for (
      const headers of [
        { origin: "http://evil.example" },
        { origin: `http://localhost:${Number(port) + 1}` },
        {},
      ]
    ) {
      const ws = new WebSocket(srv.url, { headers } as unknown as string[]);
      const outcome = await new Promise<string>((resolve) => {
        ws.onopen = () => resolve("open");
        ws.onerror = () => resolve("refused");
      });
      if (outcome === "open") ws.close();
      assert.is(outcome, "refused", JSON.stringify(headers));
    }
    const ok = await client(srv.url);
    assert.is((await ok.next((m) => m.type === "hello")).type, "hello");
    await ok.close();
    // DNS rebinding: an attacker's name resolving to 127.0.0.1 carries its own Host and Origin.
    const { createApp } = await import("../../kiosk/server/mod.ts");
    const app = createApp({ runner: srv.runner });
    // Refused by the Host guard (421) before the WebSocket's own Origin check.
    const res = await app.request(`http://127.0.0.1:${port}/ws`, {
      headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, upgrade: "websocket" },
    });
    assert.is(res.status, 421);
    const local = await app.request(`http://127.0.0.1:${port}/ws`, {
      headers: { host: `localhost:${port}`, origin: `http://127.0.0.1:${port}`, upgrade: "websocket" },
    });
    assert.is(local.status, 403, "Origin must be the same origin as Host");
  } finally {
    await srv.stop();
  }
});

test.run();
