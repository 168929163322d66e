/** The kiosk's page sockets: per-socket limits (size, rate, backlog), the page clock estimate, and the hub's open set. */
import type { SocketRole } from "./page_message.ts";
import type { Selection } from "./profile_desk.ts";

// Limits of one socket: message size, message rate, and the send backlog.

/**
 * Largest message a page socket may send, in bytes on the wire. The socket server refuses a frame (or the sum
 * of a fragmented message's frames) over this from the frame header, before reading the payload, and closes
 * the socket with 1009 (kiosk/server/serve.ts).
 */
export const MAX_MESSAGE_BYTES = 16_384;

/** Default messages per second per socket (token bucket with a burst of the same size). */
export const DEFAULT_MESSAGES_PER_S = 240;

/** Default send backlog (bytes queued, not yet sent) above which nothing more is queued for a socket. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024;

/** What a rate limit decides for one message. */
export interface Admission {
  /** The message may be handled. */
  ok: boolean;
  /** Refused, and the socket has not been told in the last second: send it one error now. */
  notify: boolean;
}

/** A token bucket for one socket's messages. */
export interface MessageBudget {
  /** Takes one message's token at time `t` (ms). */
  take(t: number): Admission;
}

/** A bucket of `perS` tokens refilled at `perS` per second; refusals are reported at most once per second. */
export function createMessageBudget(perS: number, t0: number): MessageBudget {
  if (!Number.isFinite(perS) || perS <= 0) {
    throw new RangeError(`Cannot limit messages: perS must be a number > 0, got ${perS}`);
  }
  let tokens = perS;
  let refilledAt = t0;
  let notifiedAt = -Infinity;
  return {
    take(t) {
      tokens = Math.min(perS, tokens + ((t - refilledAt) / 1000) * perS);
      refilledAt = t;
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true, notify: false };
      }
      if (t - notifiedAt < 1000) return { ok: false, notify: false };
      notifiedAt = t;
      return { ok: false, notify: true };
    },
  };
}

/** True when `bufferedAmount` says the peer is not reading: queue nothing more for it (frames, replies). */
export function isBacklogged(bufferedAmount: number | undefined, maxBufferedBytes: number): boolean {
  return (bufferedAmount ?? 0) > maxBufferedBytes;
}

// The page clock: its offset from the page's clock pings, so probe observations are aged from their capture.

/** One page socket's clock estimate. */
export interface PageClock {
  /** Notes a ping: the page's clock read `pageMs` when it sent it, the server's read `serverMs` on arrival. */
  sync(pageMs: number, serverMs: number): void;
  /** True once at least one ping arrived. */
  readonly synced: boolean;
  /** A page time on the server clock, or null before the first ping. */
  toServer(pageMs: number): number | null;
}

/** Options for createPageClock. */
export interface PageClockOptions {
  /** How many recent pings the estimate uses. Default 16. */
  window?: number;
}

/**
 * Creates an estimate. offset = min over recent pings of (arrival − page send time): the true offset plus the
 * smallest one-way delay seen, so a capture is never made to look older than it is by more than that delay
 * (sub-millisecond on loopback), and a slow ping cannot skew it. Recent pings only, so clock drift is followed.
 */
export function createPageClock(options: PageClockOptions = {}): PageClock {
  const window = options.window ?? 16;
  const samples: number[] = [];
  let offset: number | null = null;
  return {
    sync(pageMs, serverMs) {
      samples.push(serverMs - pageMs);
      if (samples.length > window) samples.shift();
      offset = Math.min(...samples);
    },
    get synced() {
      return offset !== null;
    },
    toServer(pageMs) {
      return offset === null ? null : pageMs + offset;
    },
  };
}

// The hub's sockets: open set, per-socket rate limit and backlog guard, safe sends of replies and frames.

/** The part of a socket the hub uses (hono's WSContext and a Deno WebSocket both fit). */
export interface HubSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent; frames are skipped for a socket that falls behind. */
  readonly bufferedAmount?: number;
}

/** Per-socket bookkeeping. */
export interface Client {
  socket: HubSocket;
  /** "operator" once the socket sent the operator PIN; operator-only messages need it. */
  role: SocketRole;
  /** The page's clock offset, from its {type:"clock"} pings. */
  clock: PageClock;
  /** Page capture time of the newest probe observation taken from this socket. */
  lastCapturedAt: number;
  /** The profile this socket selected (and its salon visit): the person a start from it is for. Gone on close. */
  profile: Selection | null;
  errors: number;
  dropped: number;
  budget: MessageBudget;
  /** The session this socket last started (its summary is this socket's to read). */
  lastSessionId: string | null;
}

/** Limits for createHubSockets (defaults are the hub's). */
export interface HubSocketsOptions {
  /** Messages a socket may send per second (token bucket, burst of the same size). */
  messagesPerS: number;
  /** Nothing more is queued for a socket with more than this many bytes queued. */
  maxBufferedBytes: number;
  /** Server clock in ms, for the rate limit. */
  now: () => number;
}

/** The open sockets and everything the hub sends them. */
export interface HubSockets {
  /** Registers an opened socket as a user. */
  add(socket: HubSocket): Client;
  /** The socket's bookkeeping, or undefined once it closed (or never opened). */
  get(socket: HubSocket): Client | undefined;
  /** Forgets a socket; false when it was not open. */
  remove(socket: HubSocket): boolean;
  /** Number of open sockets. */
  readonly size: number;
  /** Takes one message from the socket's rate budget; refused, it is dropped with one error per second. */
  admit(client: Client): boolean;
  /** Sends one JSON reply, unless the socket is backlogged (then it counts as dropped). */
  reply(socket: HubSocket, body: Record<string, unknown>): void;
  /** Counts an error on the socket and sends the error reply. */
  refuse(client: Client, body: Record<string, unknown>): void;
  /** Sends `text()` (built only when someone listens) to every socket that is not backlogged. */
  broadcast(text: () => string): void;
  /** Closes every socket and forgets them all. */
  closeAll(code: number, reason: string): void;
}

function safeSend(socket: HubSocket, text: string) {
  try {
    socket.send(text);
  } catch {
    // A socket that closed under us is removed by its close handler.
  }
}

/** Creates the socket set of one hub. */
export function createHubSockets(options: HubSocketsOptions): HubSockets {
  const { messagesPerS, maxBufferedBytes, now } = options;
  const clients = new Map<HubSocket, Client>();

  // Replies queue under the same backlog guard as frames: a socket that never reads cannot make the server
  // hold an unbounded pile of answers for it.
  const reply = (socket: HubSocket, body: Record<string, unknown>) => {
    if (isBacklogged(socket.bufferedAmount, maxBufferedBytes)) {
      const client = clients.get(socket);
      if (client) client.dropped++;
      return;
    }
    safeSend(socket, JSON.stringify(body));
  };

  return {
    add(socket) {
      const client: Client = {
        socket,
        role: "user",
        clock: createPageClock(),
        lastCapturedAt: -Infinity,
        profile: null,
        errors: 0,
        dropped: 0,
        budget: createMessageBudget(messagesPerS, now()),
        lastSessionId: null,
      };
      clients.set(socket, client);
      return client;
    },
    get: (socket) => clients.get(socket),
    remove: (socket) => clients.delete(socket),
    get size() {
      return clients.size;
    },
    admit(client) {
      const { ok, notify } = client.budget.take(now());
      if (ok) return true;
      client.dropped++;
      if (notify) {
        reply(client.socket, {
          type: "error",
          field: "message",
          message: `more than ${messagesPerS} messages per second from this socket; the excess is dropped`,
        });
      }
      return false;
    },
    reply,
    refuse(client, body) {
      client.errors++;
      reply(client.socket, body);
    },
    broadcast(text) {
      if (clients.size === 0) return;
      const message = text();
      for (const client of clients.values()) {
        if (isBacklogged(client.socket.bufferedAmount, maxBufferedBytes)) {
          client.dropped++;
          continue;
        }
        safeSend(client.socket, message);
      }
    },
    closeAll(code, reason) {
      for (const socket of clients.keys()) {
        try {
          socket.close(code, reason);
        } catch {
          // already closed
        }
      }
      clients.clear();
    },
  };
}
