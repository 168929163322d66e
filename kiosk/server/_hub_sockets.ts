/** The hub's sockets: open set, per-socket rate limit and backlog guard, safe sends of replies and frames. */
import { createPageClock, type PageClock } from "./page_clock.ts";
import type { SocketRole } from "./message_rules.ts";
import type { Selection } from "./profile_desk.ts";
import { createMessageBudget, isBacklogged, type MessageBudget } from "./socket_limits.ts";

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
