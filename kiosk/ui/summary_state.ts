/** The summary and history the page asked the kiosk for: requests, checked replies, and the summary shown when a session this page started ends. */
import { type Signal, signal } from "@preact/signals";
import {
  type Schedule,
  type SessionHistoryItem,
  type SummaryView,
  validateHistoryItem,
  validateSchedule,
  validateSummaryView,
} from "../../core/session/mod.ts";
import { listen, send } from "./connection.ts";
import { screen } from "./journey.ts";
import { isLiveSession, sessionState } from "./state.ts";

/** Something the page asked for: not yet, on its way, here, or refused (with the kiosk's reason). */
export type Asked<T> =
  | { state: "idle" }
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "error"; field: string; message: string };

/** A history item with where it was recorded: null at this station, else the salon's station id. */
export type StationHistoryItem = SessionHistoryItem & { station: string | null };

/** A profile's history as the kiosk sends it. */
export interface History {
  profileId: string;
  sessions: StationHistoryItem[];
  schedule: Schedule;
  /** The salon's other stations' sessions are a cached copy pulled at this time (epoch ms); null: none. */
  central: { pulledAt: number } | null;
}

const STATION = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The summary on the summary screen. */
export const sessionSummary = signal<Asked<SummaryView>>({ state: "idle" });
/** The history on the history screen. */
export const sessionHistory = signal<Asked<History>>({ state: "idle" });

/** Most sessions a history may list (the kiosk sends at most 365). */
const MAX_HISTORY = 1000;

/** Checks a `{type:"summary"}` reply; throws naming the bad field. */
export function readSummary(msg: Record<string, unknown>): SummaryView {
  return validateSummaryView(msg.summary);
}

/** Checks a `{type:"history"}` reply; throws naming the bad field. */
export function readHistory(msg: Record<string, unknown>): History {
  const { profileId, sessions } = msg;
  if (typeof profileId !== "string" || profileId.length === 0 || profileId.length > 64) {
    throw new TypeError(`history: field "profileId" is invalid, got ${JSON.stringify(profileId)}`);
  }
  if (!Array.isArray(sessions) || sessions.length > MAX_HISTORY) {
    throw new TypeError(`history: field "sessions" must be an array of at most ${MAX_HISTORY}`);
  }
  const central = msg.central as Record<string, unknown> | null | undefined;
  if (
    central != null &&
    !(typeof central === "object" && Number.isSafeInteger(central.pulledAt) &&
      (central.pulledAt as number) >= 0)
  ) {
    throw new TypeError(`history: field "central" is invalid, got ${JSON.stringify(central)?.slice(0, 80)}`);
  }
  return {
    profileId,
    sessions: sessions.map((s, i) => {
      const station = (s as Record<string, unknown>)?.station ?? null;
      if (station !== null && !(typeof station === "string" && STATION.test(station))) {
        throw new TypeError(
          `history: field "sessions[${i}].station" is invalid, got ${JSON.stringify(station)?.slice(0, 80)}`,
        );
      }
      return { ...validateHistoryItem(s, `sessions[${i}]`), station: station as string | null };
    }),
    schedule: validateSchedule(msg.schedule),
    central: central ? { pulledAt: central.pulledAt as number } : null,
  };
}

function failed(error: unknown): Asked<never> {
  return {
    state: "error",
    field: "message",
    message: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Asks for a session's summary (default: the last one this page's socket started); `key` is the summary key the
 * start's ack gave, which still opens it after the page swapped its socket.
 */
export function requestSummary(sessionId?: string, key?: string): void {
  const message: Record<string, unknown> = { type: "summary" };
  if (sessionId !== undefined) message.sessionId = sessionId;
  if (key !== undefined) message.key = key;
  ask("summary", message);
}

/** Asks for the selected profile's history, with the page's time zone for its days and weeks. */
export function requestHistory(): void {
  ask("history", { type: "history", utcOffsetMin: -new Date().getTimezoneOffset() });
}

const answers = { summary: sessionSummary, history: sessionHistory };

/** Sends a request, remembered until forgotten; its answer is on its way, or refused when no socket is open. */
function ask(kind: keyof typeof answers, message: Record<string, unknown>): void {
  asked[kind] = message;
  answers[kind].value = send(message)
    ? { state: "loading" }
    : { state: "error", field: "connection", message: "not connected" };
}

/** Shows a reply as read, or the reason it was refused. */
function receive<T>(answer: Signal<Asked<T>>, read: () => T): void {
  try {
    answer.value = { state: "ready", value: read() };
  } catch (error) {
    answer.value = failed(error);
  }
}

/** Forgets the summary and history on screen (Done: nothing of this person stays for the next). */
export function forgetRecords(): void {
  sessionSummary.value = { state: "idle" };
  sessionHistory.value = { state: "idle" };
  startedHere = null;
  asked.summary = asked.history = null;
}

/** The last requests, sent again on a new socket while their answer is still awaited. */
const asked: { summary: Record<string, unknown> | null; history: Record<string, unknown> | null } = {
  summary: null,
  history: null,
};

/** The session this page started and whose end it waits for, with its summary key (from the start's ack). */
let startedHere: { sessionId: string; key?: string } | null = null;

function showSummary(): void {
  const started = startedHere;
  startedHere = null;
  if (started === null) return;
  screen.value = "summary";
  requestSummary(started.sessionId, started.key);
}

/**
 * Starts listening (once, at page start): replies fill the signals; a session this page started shows its
 * summary when it ends (by the routine, End, the time limit, a stop, or at once when the screening refused it).
 */
export function watchSummary(): void {
  // A request whose socket closed before the answer came (the operator panel locks at a session's end by swapping
  // the socket; a reconnect) goes again on the new one, which greets first.
  listen("hello", () => {
    for (const kind of ["summary", "history"] as const) {
      const message = asked[kind];
      if (answers[kind].peek().state === "loading" && message) send(message);
    }
  });
  listen("summary", (msg) => receive(sessionSummary, () => readSummary(msg)));
  listen("history", (msg) => receive(sessionHistory, () => readHistory(msg)));
  listen("error", (msg) => {
    const refusal = { state: "error" as const, field: String(msg.field), message: String(msg.message) };
    if (msg.of === "summary" || msg.of === "history") answers[msg.of].value = refusal;
  });
  listen("ack", (msg) => {
    if (msg.of !== "start" || typeof msg.sessionId !== "string") return;
    startedHere = typeof msg.summaryKey === "string"
      ? { sessionId: msg.sessionId, key: msg.summaryKey }
      : { sessionId: msg.sessionId };
    // A start the screening refused is over before any frame shows it live.
    if (msg.state === "aborted" || msg.state === "ended") showSummary();
  });
  let wasLive = false;
  sessionState.subscribe((state) => {
    const live = isLiveSession(state);
    if (wasLive && !live) showSummary();
    wasLive = live;
  });
}
