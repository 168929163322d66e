import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../../core/engine/mod.ts";
import { createApp, MAX_MESSAGE_BYTES, serveKiosk } from "../../kiosk/server/mod.ts";
import { createSessionRunner } from "../../kiosk/session/mod.ts";
import { createNullSink } from "./_null_sink.ts";
import { frame, frameHeader, rawConnect } from "./_raw_ws.ts";
import { routines } from "./_fixtures.ts";

/** A real kiosk server (serveKiosk) on an ephemeral port. */
async function startServer(heartbeatMs?: number) {
  const runner = createSessionRunner(createEngine({ routines }), { sink: createNullSink(), spinMs: 0 });
  const controller = new AbortController();
  const app = createApp({ runner, signal: controller.signal });
  const server = serveKiosk(app, { hostname: "127.0.0.1", port: 0, signal: controller.signal, heartbeatMs });
  const { port } = await server.listening;
  runner.start();
  return {
    port,
    async stop() {
      await runner.dispose();
      controller.abort();
      await server.finished;
    },
  };
}

/** Runs `body` against a fresh server; stops it after, passed or failed. */
async function withServer(
  body: (srv: Awaited<ReturnType<typeof startServer>>) => Promise<void>,
): Promise<void> {
  const srv = await startServer();
  try {
    await body(srv);
  } finally {
    await srv.stop();
  }
}

const TEXT = 0x1;
const BINARY = 0x2;
const CONTINUATION = 0x0;

test("a message over 16 KiB is refused from its frame header with close 1009, before its payload is sent", () =>
  withServer(async (srv) => {
    for (const opcode of [TEXT, BINARY]) {
      const ws = await rawConnect(srv.port);
      assert.is(ws.status, "HTTP/1.1 101 Switching Protocols");
      // Only the header: a server that waits for the 1 MiB payload before judging it never answers.
      await ws.write(frameHeader(opcode, true, 1 << 20));
      assert.is(await ws.closeCode(), 1009, `opcode ${opcode}`);
      ws.conn.close();
    }
  }));

test("a fragmented message is refused with close 1009 once its frames add up past 16 KiB", () =>
  withServer(async (srv) => {
    const ws = await rawConnect(srv.port);
    const part = new TextEncoder().encode("x".repeat(MAX_MESSAGE_BYTES / 2));
    // Each frame is small; only their sum is too big. The message never ends (no FIN).
    await ws.write(frame(TEXT, part, false));
    await ws.write(frame(CONTINUATION, part, false));
    await ws.write(frame(CONTINUATION, part, false));
    assert.is(await ws.closeCode(), 1009);
    ws.conn.close();
  }));

test("a message of exactly 16 KiB is still read (and refused by the page-message rules, not the size cap)", () =>
  withServer(async (srv) => {
    const ws = await rawConnect(srv.port);
    const text = JSON.stringify({ type: "comfort", level: 5, pad: "" });
    const body = text.replace('""', `"${"y".repeat(MAX_MESSAGE_BYTES - text.length)}"`);
    assert.is(new TextEncoder().encode(body).length, MAX_MESSAGE_BYTES);
    await ws.write(frame(TEXT, new TextEncoder().encode(body)));
    // Then a close from the client: the server answers it with 1000, not 1009.
    await ws.write(frame(0x8, new Uint8Array([0x03, 0xe8])));
    assert.is(await ws.closeCode(), 1000);
    ws.conn.close();
  }));

test("HTTP with a foreign Host header (DNS rebinding) gets 421 from the real server; the kiosk's own name is served", () =>
  withServer(async (srv) => {
    const ask = async (host: string) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: srv.port });
      await conn.write(
        new TextEncoder().encode(`GET /api/routines HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
      );
      let text = "";
      const buf = new Uint8Array(4096);
      for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
        text += new TextDecoder().decode(buf.subarray(0, n));
      }
      conn.close();
      return text;
    };
    const evil = await ask(`evil.example:${srv.port}`);
    assert.match(evil, /^HTTP\/1\.1 421/);
    assert.match(evil, /DNS-rebinding/);
    assert.match(await ask(`localhost:${srv.port}`), /^HTTP\/1\.1 200/);
    assert.match(await ask(`127.0.0.1:${srv.port + 1}`), /^HTTP\/1\.1 421/, "another port is another site");
  }));

test("a socket that does not answer pings is cut; one that does (a browser, Deno's WebSocket) stays", async () => {
  const srv = await startServer(100);
  try {
    const silent = await rawConnect(srv.port);
    // The raw client never answers the pings: the server ends the connection (no close frame).
    assert.is(await silent.closeCode(), null);
    silent.closeQuietly();
    const origin = `http://127.0.0.1:${srv.port}`;
    const page = new WebSocket(
      `ws://127.0.0.1:${srv.port}/ws`,
      { headers: { origin } } as unknown as string[],
    );
    let frames = 0;
    const closed = new Promise((resolve) => (page.onclose = resolve));
    // 50 frames are a second at 50 Hz: ten heartbeats answered.
    await new Promise<void>((resolve) => {
      page.onmessage = (e) => {
        if (JSON.parse(String(e.data)).type === "frame" && ++frames === 50) resolve();
      };
    });
    assert.is(page.readyState, WebSocket.OPEN);
    page.close();
    await closed;
  } finally {
    await srv.stop();
  }
});

test.run();
