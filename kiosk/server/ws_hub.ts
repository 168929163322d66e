/** The WebSocket hub: streams engine frames to page sockets and turns page messages into engine events. */
import type { EngineFrame, UvPoint } from "../../core/engine/mod.ts";
import type { EventInput, EventSource, Recorder, SessionRunner } from "../session/mod.ts";
import { fieldOf, PageMessageError, parsePageObject, readPageJson } from "./page_message.ts";
import type { OperatorAuth } from "./operator_auth.ts";
import { createPageClock, type PageClock } from "./page_clock.ts";
import { answerClock, answerOperator, type ControlReply } from "./_hub_control.ts";
import type { TrackingMonitor } from "./tracking.ts";
import {
  createMessageBudget,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MESSAGES_PER_S,
  isBacklogged,
  type MessageBudget,
} from "./socket_limits.ts";

/** The part of a socket the hub uses (hono's WSContext and a Deno WebSocket both fit). */
export interface HubSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent; frames are skipped for a socket that falls behind. */
  readonly bufferedAmount?: number;
}

/** Options for createWsHub. */
export interface WsHubOptions {
  /** Names the recorded session in acks. */
  recorder?: Recorder;
  /** Send every Nth frame to pages (1 = all 50 Hz). Default 1. */
  frameEvery?: number;
  /** Skip frames and replies for a socket with more than this many bytes queued. Default 256 KiB. */
  maxBufferedBytes?: number;
  /**
   * Messages a socket may send per second, text or binary (token bucket, burst of the same size); the excess
   * is dropped with one error per second, so a runaway page cannot starve the 50 Hz tick. Default 240.
   */
  maxMessagesPerS?: number;
  /**
   * Server clock in ms (rate limit, clock pings, capture ages). Default performance.timeOrigin +
   * performance.now() (epoch ms, monotonic), the same kind of clock the page reads.
   */
  now?: () => number;
  /** Probe observations older than this since capture (page clock synced by pings) are dropped. Default 100. */
  maxCaptureAgeMs?: number;
  /** Extra fields for the hello message (version, demo, routines...). */
  hello?: () => Record<string, unknown>;
  /** Takes the mirror's {type:"tracking"} reports and notes probe observations (for /api/health). */
  tracking?: TrackingMonitor;
  /** Probe observations with `source: "demo"` are accepted (only with a simulated device). Default false. */
  demoAllowed?: boolean;
  /** Checks `{type:"operator", pin}`; without it no socket can become an operator. */
  operatorAuth?: OperatorAuth;
}

/** Per-socket bookkeeping. */
interface Client {
  socket: HubSocket;
  /** "operator" once the socket sent the operator PIN; operator-only messages need it. */
  role: "user" | "operator";
  /** The page's clock offset, from its {type:"clock"} pings. */
  clock: PageClock;
  lastCapturedAt: number;
  errors: number;
  dropped: number;
  budget: MessageBudget;
}

/** The hub; one per app. */
export interface WsHub {
  /** Registers an opened socket and greets it. */
  open(socket: HubSocket): void;
  /** Handles one text message from a socket. */
  message(socket: HubSocket, text: string): void;
  /** Handles one binary message from a socket: refused (the page speaks JSON text), under the same rate limit. */
  binary(socket: HubSocket): void;
  /** Forgets a closed socket. */
  close(socket: HubSocket): void;
  /** Number of open sockets. */
  readonly clients: number;
  /** Last probe points the engine accepted (page or demo), for overlays. */
  readonly lastProbe: UvPoint[] | null;
  /** Detaches from the runner and closes every socket. */
  dispose(): void;
}

const ACKED = new Set(["start", "end", "estop", "reset", "comfort", "pause", "resume", "cap"]);
/** Messages only an operator socket may send (reset clears an estop and a latched device fault; cap). */
const OPERATOR_ONLY = new Set(["reset", "cap"]);

/** Creates a hub fed by `runner`. */
export function createWsHub(runner: SessionRunner, options: WsHubOptions = {}): WsHub {
  const every = options.frameEvery ?? 1;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const clients = new Map<HubSocket, Client>();
  let lastProbe: UvPoint[] | null = null;
  let frameCount = 0;
  const rate = options.maxMessagesPerS ?? DEFAULT_MESSAGES_PER_S;
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const maxAge = options.maxCaptureAgeMs ?? 100;

  function admit(client: Client): boolean {
    const { ok, notify } = client.budget.take(now());
    if (ok) return true;
    client.dropped++;
    if (notify) {
      reply(client.socket, {
        type: "error",
        field: "message",
        message: `more than ${rate} messages per second from this socket; the excess is dropped`,
      });
    }
    return false;
  }

  const safeSend = (socket: HubSocket, text: string) => {
    try {
      socket.send(text);
    } catch {
      // A socket that closed under us is removed by its close handler.
    }
  };
  // Replies queue under the same backlog guard as frames: a socket that never reads cannot make the server
  // hold an unbounded pile of answers for it.
  const reply = (socket: HubSocket, body: Record<string, unknown>) => {
    if (isBacklogged(socket.bufferedAmount, maxBuffered)) {
      const client = clients.get(socket);
      if (client) client.dropped++;
      return;
    }
    safeSend(socket, JSON.stringify(body));
  };

  function broadcast(frame: EngineFrame) {
    if (frameCount++ % every !== 0 || clients.size === 0) return;
    const text = JSON.stringify({ type: "frame", frame, probe: lastProbe });
    for (const client of clients.values()) {
      if (isBacklogged(client.socket.bufferedAmount, maxBuffered)) {
        client.dropped++;
        continue;
      }
      safeSend(client.socket, text);
    }
  }

  function control(client: Client, answer: ControlReply) {
    if (answer.refused) client.errors++;
    else if (answer.body.role === "operator") client.role = "operator";
    reply(client.socket, answer.body);
  }

  const detach = runner.observe({
    event(event) {
      if (event.type === "probe") lastProbe = event.points;
    },
    frame: broadcast,
  });

  return {
    open(socket) {
      clients.set(socket, {
        socket,
        role: "user",
        clock: createPageClock(),
        lastCapturedAt: -Infinity,
        errors: 0,
        dropped: 0,
        budget: createMessageBudget(rate, now()),
      });
      reply(socket, {
        type: "hello",
        ...options.hello?.(),
        role: "user",
        state: runner.state,
        frame: runner.lastFrame,
      });
    },
    message(socket, text) {
      const client = clients.get(socket);
      if (!client) return;
      let request;
      let admitted = false;
      try {
        // Parsed once: the rate limit is decided on the message's type, never on its raw text.
        const raw = readPageJson(text);
        // An emergency stop is never rate-limited.
        if (raw.type !== "estop" && !(admitted = admit(client))) return;
        if (options.tracking?.offerMessage(raw)) return;
        if (raw.type === "operator") {
          return control(client, answerOperator(raw, options.operatorAuth, runner.state, client));
        }
        if (raw.type === "clock") return control(client, answerClock(raw, client.clock, now()));
        request = parsePageObject(raw);
      } catch (error) {
        // Unparseable text counts against the limit too, so a flood of garbage cannot starve the tick.
        if (!admitted && !admit(client)) return;
        client.errors++;
        const field = error instanceof PageMessageError ? error.field : fieldOf(error, "message");
        return reply(socket, { type: "error", field, message: (error as Error).message });
      }
      const type = request.event.type;
      if (request.source === "demo" && !options.demoAllowed) {
        client.errors++;
        return reply(socket, {
          type: "error",
          field: "source",
          message: 'field "source": demo observations are refused: the device is not simulated',
          of: type,
        });
      }
      if (type === "probe" && request.capturedAt !== undefined) {
        // Observations can arrive out of order; an older one must never replace a newer one.
        if (request.capturedAt < client.lastCapturedAt) {
          client.dropped++;
          return;
        }
        client.lastCapturedAt = request.capturedAt;
        // Rule 5 counts from capture, not arrival: an observation that sat in a queue is not fresh tracking.
        // Dropped, it does not refresh the engine's tracking, so the 150 ms stale rule cuts output.
        const capturedOnServer = client.clock.toServer(request.capturedAt);
        if (capturedOnServer !== null && now() - capturedOnServer > maxAge) {
          client.dropped++;
          return;
        }
      }
      if (type === "probe") options.tracking?.observed();
      if (OPERATOR_ONLY.has(type) && client.role !== "operator") {
        client.errors++;
        return reply(socket, {
          type: "error",
          field: "type",
          message:
            `"${type}" is accepted only from an operator socket: send {"type":"operator","pin":"..."} first`,
          of: type,
        });
      }
      if (type === "start" && client.role !== "operator") {
        // Net-DC and the operator cap are the operator's settings (rule 9, rule 1), not the user's.
        const start = request.event as Extract<EventInput, { type: "start" }>;
        const field = start.netDc === true
          ? "netDc"
          : start.operatorCapUa !== undefined
          ? "operatorCapUa"
          : null;
        if (field) {
          client.errors++;
          return reply(socket, {
            type: "error",
            field,
            message: `field "${field}" is accepted only from an operator socket`,
            of: type,
          });
        }
      }
      // Who acted is the socket's authenticated role, never a name the message gives itself.
      const source: EventSource = client.role === "operator" ? "operator" : "page";
      try {
        runner.submit(request.event, request.consent ? { source, consent: request.consent } : { source });
      } catch (error) {
        client.errors++;
        return reply(socket, {
          type: "error",
          field: fieldOf(error),
          message: (error as Error).message,
          of: type,
        });
      }
      if (ACKED.has(type)) {
        reply(socket, {
          type: "ack",
          of: type,
          state: runner.state,
          sessionId: options.recorder?.sessionId ?? null,
        });
      }
    },
    binary(socket) {
      const client = clients.get(socket);
      if (!client || !admit(client)) return;
      client.errors++;
      reply(socket, { type: "error", field: "message", message: "messages must be JSON text, not binary" });
    },
    close(socket) {
      if (!clients.delete(socket) || clients.size > 0) return;
      // The last page went away mid-session: a fault, not a pause by choice. Latched like an estop (output 0,
      // an operator resets), and audited as such.
      const state = runner.state;
      if (state !== "running" && state !== "ready") return;
      try {
        runner.submit({ type: "estop" }, { source: "runner", reason: "page disconnected" });
      } catch (error) {
        console.error("ws hub: estop on page disconnect failed:", error);
      }
    },
    get clients() {
      return clients.size;
    },
    get lastProbe() {
      return lastProbe;
    },
    dispose() {
      detach();
      for (const socket of clients.keys()) {
        try {
          socket.close(1001, "kiosk shutting down");
        } catch {
          // already closed
        }
      }
      clients.clear();
    },
  };
}
