/** The page's WebSocket to the kiosk: receives frames into signals, sends page messages, clock pings, reconnects with backoff. */
import { createEstopTracker, reconnectDelayMs } from "./estop_delivery.ts";
import { receiveStaff, staffError } from "./staff.ts";
import { connectProfileSender, profileSocketOpened, receiveProfileMessage } from "./profile.ts";
import {
  clockOffsetMs,
  connected,
  contact,
  estopStatus,
  frame,
  type Hello,
  hello,
  lastError,
  operator,
  probe,
  pushHistory,
  stimulation,
} from "./state.ts";

/** How often the page sends a clock ping while connected (the server uses it to age captures). */
export const CLOCK_PING_MS = 10_000;

let socket: WebSocket | null = null;

/** Sends one message to the kiosk; returns false when not connected (the caller decides what that means). */
export function send(message: Record<string, unknown>): boolean {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  try {
    socket.send(JSON.stringify(message));
    return true;
  } catch {
    return false;
  }
}

const estop = createEstopTracker(send, { onChange: (s) => (estopStatus.value = s) });
connectProfileSender(send);

/** Presses the emergency stop: sent now, or shown as not delivered and resent as soon as the socket reopens. */
export function pressEstop(): void {
  estop.press();
  // Do not wait out a long backoff with a stop pending.
  if (estop.status === "undelivered") reconnectSoon();
}

/** Sends the operator PIN; the server's answer unlocks (or not) the operator panel. */
export function unlockOperator(pin: string): boolean {
  operator.value = { unlocked: false, error: null };
  return send({ type: "operator", pin });
}

/**
 * Locks the operator panel and drops the operator rights: a fresh socket (user role) is opened and only once it
 * is open is the elevated one closed, so the page never goes without a socket (the kiosk estops a running
 * session when its last page socket closes).
 */
export function lockOperator(): void {
  operator.value = { unlocked: false, error: null };
  if (url) open();
}

let url = "";
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let clockTimer: ReturnType<typeof setInterval> | undefined;

function reconnectSoon(): void {
  if (!url || (socket && socket.readyState <= WebSocket.OPEN)) return;
  clearTimeout(retryTimer);
  retryTimer = setTimeout(open, reconnectDelayMs(0, true));
}

function pingClock(): void {
  send({ type: "clock", pageMs: performance.now() });
}

function open(): void {
  clearTimeout(retryTimer);
  const ws = new WebSocket(url);
  // Until the new socket opens, messages still go out on the old one when it is open (see lockOperator).
  if (!socket || socket.readyState !== WebSocket.OPEN) socket = ws;
  let opened = false;
  ws.onopen = () => {
    const previous = socket;
    socket = ws;
    if (previous && previous !== ws) previous.close(1000, "replaced");
    opened = true;
    attempt = 0;
    connected.value = true;
    pingClock();
    // The profile selection belongs to the socket: the new one is told who is here again.
    profileSocketOpened();
    clearInterval(clockTimer);
    clockTimer = setInterval(pingClock, CLOCK_PING_MS);
    estop.opened();
  };
  ws.onclose = () => {
    if (socket !== ws) {
      // A replacement that never opened (the old socket still serves): try again; a replaced one is done.
      if (!opened) retryTimer = setTimeout(open, reconnectDelayMs(attempt++, false));
      return;
    }
    connected.value = false;
    clearInterval(clockTimer);
    // Operator rights belong to the socket; a new one starts locked.
    operator.value = { unlocked: false, error: null };
    estop.closed();
    retryTimer = setTimeout(open, reconnectDelayMs(attempt++, estop.status === "undelivered"));
  };
  ws.onmessage = (event) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(String(event.data));
    } catch {
      return;
    }
    if (msg && typeof msg === "object") receive(msg);
  };
}

type Listener = (msg: Record<string, unknown>) => void;
const listeners = new Map<string, Set<Listener>>();

/**
 * Calls `fn` with every message of `type` from the kiosk, after the page's own handling (a part of the page that
 * asked for something reads its answer here); returns the function that stops it.
 */
export function listen(type: string, fn: Listener): () => void {
  const set = listeners.get(type) ?? new Set();
  listeners.set(type, set);
  set.add(fn);
  return () => void set.delete(fn);
}

function receive(msg: Record<string, unknown>): void {
  handle(msg);
  for (const fn of listeners.get(String(msg.type)) ?? []) {
    try {
      fn(msg);
    } catch (error) {
      console.error(`page: a listener for "${String(msg.type)}" failed:`, error);
    }
  }
}

/** Messages some page part asks for and reads through listen(): their errors are that part's to show. */
const ASKED = new Set(["summary", "history"]);

function handle(msg: Record<string, unknown>): void {
  switch (msg.type) {
    case "frame": {
      const f = msg.frame as typeof frame.value;
      if (f) {
        pushHistory(f.currentUa);
        estop.frame(f);
      }
      frame.value = f;
      probe.value = (msg.probe as typeof probe.value) ?? null;
      const extras = readFrameExtras(msg);
      // Replaced only when changed: what shows them re-renders on a change, not 50 times a second.
      if (JSON.stringify(extras.contact) !== JSON.stringify(contact.peek())) contact.value = extras.contact;
      const s = stimulation.peek();
      if (s?.ms !== extras.stimulation?.ms || s?.limitMs !== extras.stimulation?.limitMs) {
        stimulation.value = extras.stimulation;
      }
      break;
    }
    case "hello":
      hello.value = readHello(msg);
      break;
    case "clock":
      if (typeof msg.pageMs === "number" && typeof msg.serverMs === "number") {
        clockOffsetMs.value = (msg.pageMs + performance.now()) / 2 - msg.serverMs;
      }
      break;
    case "operator":
      // The server may answer the PIN with its own message type.
      if (typeof msg.unlocked === "boolean" || typeof msg.ok === "boolean") {
        const unlocked = msg.unlocked === true || msg.ok === true;
        operator.value = { unlocked, error: unlocked ? null : String(msg.message ?? "Wrong PIN") };
      }
      break;
    case "staff-sessions":
    case "staff-audit":
      receiveStaff(msg);
      break;
    case "profile":
    case "profiles":
      receiveProfileMessage(msg);
      break;
    case "error":
      if (receiveProfileMessage(msg)) break;
      if (msg.of === "staff-sessions" || msg.of === "staff-audit") {
        staffError.value = `${String(msg.field)}: ${String(msg.message)}`;
      } else if (msg.of === "operator" || msg.field === "pin") {
        operator.value = { unlocked: false, error: String(msg.message ?? "Wrong PIN") };
      } else if (!ASKED.has(String(msg.of))) lastError.value = `${String(msg.field)}: ${String(msg.message)}`;
      break;
    case "ack":
      lastError.value = null;
      if (msg.of === "operator") operator.value = { unlocked: true, error: null };
      // A reset lifts the latch, so the stop button's state starts over (a new session does not lift it).
      if (msg.of === "reset") estop.clear();
      break;
  }
}

/** Opens the socket to /ws on this page's host and keeps it open (reconnects 250 ms → 5 s backoff). */
export function connect(
  to = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`,
): void {
  url = to;
  open();
}

const isMs = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/**
 * The frame message's contact and stimulation time, checked: a field of the wrong shape reads as unknown (null),
 * never as good contact or time to spare.
 */
export function readFrameExtras(msg: Record<string, unknown>): {
  contact: { on: boolean; impedanceOhm: number | null } | null;
  stimulation: { ms: number; limitMs: number } | null;
} {
  const c = msg.contact as Record<string, unknown> | null | undefined;
  const contactOk = c !== null && typeof c === "object" && typeof c.on === "boolean" &&
    (c.impedanceOhm === null || isMs(c.impedanceOhm));
  return {
    contact: contactOk ? { on: c.on as boolean, impedanceOhm: c.impedanceOhm as number | null } : null,
    stimulation: isMs(msg.stimulationMs) && isMs(msg.stimulationLimitMs)
      ? { ms: msg.stimulationMs, limitMs: msg.stimulationLimitMs }
      : null,
  };
}

/**
 * The page's mode from the server's hello, its only source: demo and simulated are true only when the hello says
 * so (anything else is false: the demo is never a fallback).
 */
export function readHello(msg: Record<string, unknown>): Hello {
  return {
    version: typeof msg.version === "string" ? msg.version : "",
    demo: msg.demo === true,
    simulated: msg.simulated === true,
    routines: Array.isArray(msg.routines) ? msg.routines as Hello["routines"] : [],
    station: msg.station === "salon" ? "salon" : "home",
  };
}
