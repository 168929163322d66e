/**
 * Serves the kiosk app on node:http, with the page's WebSocket read by `ws`: unlike Deno.upgradeWebSocket it
 * checks a message's size from its frame headers and refuses it (close 1009) before reading the payload.
 */
import http from "node:http";
import type { Duplex } from "node:stream";
import type { Hono } from "hono";
import { WebSocketServer } from "ws";
import { MAX_MESSAGE_BYTES } from "./sockets.ts";

/** The page's socket as the app sees it (a `ws` WebSocket). */
export interface PageSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet written to the peer. */
  readonly bufferedAmount: number;
  on(event: "message", listener: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "close", listener: () => void): void;
  on(event: "error", listener: (error: Error) => void): void;
}

/** What serveKiosk hands the app with every request (hono's `c.env`) that asks for a WebSocket upgrade. */
export interface KioskServerEnv {
  /** Accept the upgrade once the app's checks passed; `onSocket` gets the open socket. */
  upgradeSocket(onSocket: (socket: PageSocket) => void): void;
}

/** Options for serveKiosk. */
export interface ServeOptions {
  /** Interface to bind. Default "127.0.0.1". */
  hostname?: string;
  /** Port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Aborting stops listening and closes every connection (sockets get 1001 first). */
  signal?: AbortSignal;
  /**
   * A page socket is pinged this often and cut when it has not answered the previous ping (a frozen or vanished
   * page counts as gone, as Deno's own 30 s idle timeout did). Default 15000.
   */
  heartbeatMs?: number;
}

/** A listening kiosk server. */
export interface KioskServer {
  /** Resolves with the bound address; rejects when the port cannot be bound (e.g. in use). */
  readonly listening: Promise<Deno.NetAddr>;
  /** Resolves once the server is closed after the signal aborted. */
  readonly finished: Promise<void>;
  /** From now on requests go to `app` (a server started without one answers 503 until then). */
  use(app: Hono): void;
}

/** What serveKiosk uses of a `ws` WebSocket beyond PageSocket. */
type ServerSocket = PageSocket & {
  ping(): void;
  terminate(): void;
  on(event: "pong" | "close", listener: () => void): void;
};

const CLOSE_GRACE_MS = 1000;

/**
 * Serves `app` on `hostname:port`; WebSocket upgrades go through the app's routes (see KioskServerEnv). With
 * `app` null the port is bound at once and every request gets 503 until `use(app)`: the kiosk takes its port
 * before it writes anything.
 */
export function serveKiosk(app: Hono | null, options: ServeOptions = {}): KioskServer {
  let current = app;
  const hostname = options.hostname ?? "127.0.0.1";
  // The URL the app sees names the address the kiosk is bound to, never the client's Host header, so the
  // app can hold the Host header against it (kiosk/server/host_guard.ts).
  let base = "";
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
    // One message per socket per event-loop turn: a flooding socket cannot hold the 50 Hz tick off the
    // thread, and its unread bytes stay in the kernel (TCP backpressure) instead of the heap.
    allowSynchronousEvents: false,
  });
  const server = http.createServer((req, res) => {
    req.resume(); // no route takes a body; it is never read into memory
    if (!current) return void respond(res, starting(), req.method);
    Promise.resolve(current.fetch(toRequest(req, base))).then((response) =>
      respond(res, response, req.method)
    )
      .catch(() => res.destroy());
  });
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Uint8Array) => {
    socket.on("error", () => socket.destroy());
    if (!current) return void refuseUpgrade(socket, starting());
    let onSocket: ((s: PageSocket) => void) | null = null;
    const env: KioskServerEnv = { upgradeSocket: (f) => void (onSocket = f) };
    Promise.resolve(current.fetch(toRequest(req, base), env)).then((response) => {
      const accept = onSocket as ((s: PageSocket) => void) | null;
      if (!accept) return refuseUpgrade(socket, response);
      wss.handleUpgrade(req, socket, head, (ws: ServerSocket) => {
        keepAlive(ws, options.heartbeatMs ?? 15_000);
        accept(ws);
      });
    }).catch(() => socket.destroy());
  });

  const listening = new Promise<Deno.NetAddr>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8000, hostname, () => {
      server.off("error", reject);
      const port = (server.address() as { port: number }).port;
      base = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
      resolve({ transport: "tcp", hostname, port });
    });
  });
  const finished = new Promise<void>((resolve) => {
    const stop = () => {
      server.close(() => resolve());
      server.closeAllConnections?.();
      // A page socket gets its close frame (1001) and a moment to answer, then is cut.
      for (const ws of wss.clients) ws.close(1001, "kiosk shutting down");
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, CLOSE_GRACE_MS);
      Deno.unrefTimer(cut);
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener("abort", stop, { once: true });
  });
  listening.catch(() => {});
  return { listening, finished, use: (next) => void (current = next) };
}

function starting(): Response {
  return new Response("starting\n", { status: 503, headers: { "retry-after": "1" } });
}

/** Pings every `ms`; a socket that has not answered the previous ping by then is cut. */
function keepAlive(ws: ServerSocket, ms: number) {
  let answered = true;
  ws.on("pong", () => void (answered = true));
  const timer = setInterval(() => {
    if (!answered) return ws.terminate();
    answered = false;
    ws.ping();
  }, ms);
  Deno.unrefTimer(timer);
  ws.on("close", () => clearInterval(timer));
}

/** The request as the app sees it: path and query from the request line, on the bound address. */
function toRequest(req: http.IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  }
  // Only path and query: an absolute-form request line must not choose the host the app sees.
  const target = new URL(req.url ?? "/", "http://request.invalid");
  return new Request(`${base}${target.pathname}${target.search}`, { method: req.method, headers });
}

async function respond(res: http.ServerResponse, response: Response, method: string | undefined) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => void (headers[key] = value));
  const body = method === "HEAD" || !response.body ? null : new Uint8Array(await response.arrayBuffer());
  if (body) headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}

/** Answers a refused upgrade with the app's response (403, 421...) and closes the connection. */
async function refuseUpgrade(socket: Duplex, response: Response) {
  const body = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get("content-type") ?? "text/plain";
  socket.write(
    `HTTP/1.1 ${response.status} ${http.STATUS_CODES[response.status] ?? ""}\r\n` +
      `content-type: ${type}\r\ncontent-length: ${body.byteLength}\r\nconnection: close\r\n\r\n`,
  );
  socket.end(body);
}
