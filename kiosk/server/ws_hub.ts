/** The WebSocket hub: wires page sockets to the runner (frames out; messages checked, then submitted). */
import { errorField, type UvPoint } from "../../core/engine/mod.ts";
import type { EventMeta, Recorder, SessionRunner } from "../session/mod.ts";
import type { OperatorAuth } from "./operator_auth.ts";
import { answerClock, answerOperator, type ControlReply } from "./_hub_control.ts";
import { answerHistory, answerSummary, MAX_SUMMARY_KEYS, type SummarySource } from "./_hub_records.ts";
import {
  type Client,
  createHubSockets,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MESSAGES_PER_S,
  type HubSocket,
} from "./sockets.ts";
import { answerStaff, type StaffRecords } from "./_hub_staff.ts";
import {
  bypassesRateLimit,
  isAcked,
  isProfileMessage,
  isStaffType,
  parsePageObject,
  readPageJson,
  roleRefusal,
  sourceOf,
} from "./page_message.ts";
import { createProfileDesk, type ProfileDesk } from "./profile_desk.ts";
import type { TrackingMonitor } from "./tracking.ts";

export type { HubSocket } from "./sockets.ts";
export type { StaffRecords } from "./_hub_staff.ts";

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
  /** The records the staff view reads (`staff-sessions`, `staff-audit`, operator sockets only). Default: none. */
  records?: StaffRecords;
  /** Wall clock in epoch ms: "today" for the staff view, in the station's time zone. Default Date.now. */
  wallClock?: () => number;
  /** Answers the profile messages and puts a socket's profile into its starts. Default: one with no store. */
  profiles?: ProfileDesk;
  /** Session records for `{type:"summary"}` and `{type:"history"}` (the store). Default: none (both refused). */
  summaries?: SummarySource;
  /**
   * Whose records a socket may read (history, its sessions' summaries). Default: the profile the socket selected
   * (`profile-select` or a salon `client-code`); a launcher or test may name one instead.
   */
  profileOf?: (socket: HubSocket) => string | null;
}

/**
 * Skin contact as the frame message carries it: on/off and the impedance between the probes in ohms (null when
 * open or not reported), for the page's contact check and its "more gel" prompt.
 */
export interface ContactView {
  on: boolean;
  impedanceOhm: number | null;
}

/** A reported impedance as JSON can carry it: a finite, non-negative number of ohms, else null. */
const ohms = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? value : null;

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
  /** Skin contact as last reported (a contact event or device telemetry), for the page's contact check. */
  readonly lastContact: ContactView | null;
  /** Detaches from the runner and closes every socket. */
  dispose(): void;
}

/** Creates a hub fed by `runner`. */
export function createWsHub(runner: SessionRunner, options: WsHubOptions = {}): WsHub {
  const every = options.frameEvery ?? 1;
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const maxAge = options.maxCaptureAgeMs ?? 100;
  const demoAllowed = options.demoAllowed ?? false;
  const wall = options.wallClock ?? Date.now;
  const sockets = createHubSockets({
    messagesPerS: options.maxMessagesPerS ?? DEFAULT_MESSAGES_PER_S,
    maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
    now,
  });
  let lastProbe: UvPoint[] | null = null;
  let lastContact: ContactView | null = null;
  let frameCount = 0;
  const desk = options.profiles ?? createProfileDesk();
  const live = () => ["running", "ready", "paused", "stopped"].includes(runner.state);

  /** A profile message: the desk answers; a person leaving mid-session ends it first. */
  function profile(client: Client, raw: Record<string, unknown>) {
    const answer = desk.answer(raw, client, live());
    if (answer.endSession) {
      try {
        runner.submit({ type: "end" }, { source: sourceOf(client.role) });
      } catch (error) {
        console.error("ws hub: end on profile-leave failed:", error);
      }
    }
    control(client, answer);
    // A client code's central pull answers later (never holding this message or the tick); a closed socket drops it.
    answer.later?.then((reply) => reply && control(client, reply));
  }

  function control(client: Client, answer: ControlReply) {
    if (answer.refused) client.errors++;
    else if (answer.body.role === "operator") client.role = "operator";
    sockets.reply(client.socket, answer.body);
  }

  // Summary keys of recent page starts: only the starting page learns one (its ack), and it reads that summary with
  // it whatever socket it has by then (the page swaps its socket when the operator panel locks at the end).
  const summaryKeys = new Map<string, string>();
  function keySummary(sessionId: string): string {
    const key = crypto.randomUUID();
    summaryKeys.set(sessionId, key);
    for (const old of summaryKeys.keys()) {
      if (summaryKeys.size <= MAX_SUMMARY_KEYS) break;
      summaryKeys.delete(old);
    }
    return key;
  }

  function answerRecords(client: Client, raw: Record<string, unknown>): ControlReply {
    const asker = {
      role: client.role,
      profileId: options.profileOf?.(client.socket) ?? client.profile?.profileId ?? null,
      lastSessionId: client.lastSessionId,
      keys: summaryKeys,
    };
    return raw.type === "summary"
      ? answerSummary(raw, options.summaries, asker, () => options.recorder?.summary() ?? null)
      : answerHistory(raw, options.summaries, asker, (options.wallClock ?? Date.now)());
  }

  /** Rule 5 counts from capture, not arrival: false for an observation older than the newest, or stale. */
  function fresh(client: Client, capturedAt: number): boolean {
    // Observations can arrive out of order; an older one must never replace a newer one.
    if (capturedAt < client.lastCapturedAt) return false;
    client.lastCapturedAt = capturedAt;
    // One that sat in a queue is not fresh tracking: dropped, it does not refresh the engine's tracking, so the
    // 150 ms stale rule cuts output.
    const capturedOnServer = client.clock.toServer(capturedAt);
    return capturedOnServer === null || now() - capturedOnServer <= maxAge;
  }

  const detach = runner.observe({
    event(event) {
      if (event.type === "probe") lastProbe = event.points;
      // A contact event says when contact changed; the device's telemetry (below) keeps the impedance current.
      if (event.type === "contact") lastContact = { on: event.on, impedanceOhm: ohms(event.impedanceOhm) };
    },
    report(report) {
      if (report.kind !== "telemetry") return;
      const { contact, impedanceOhm } = report.telemetry;
      lastContact = { on: contact, impedanceOhm: contact ? ohms(impedanceOhm) : null };
    },
    frame(frame, info) {
      if (frameCount++ % every !== 0) return;
      sockets.broadcast(() =>
        JSON.stringify({
          type: "frame",
          frame,
          probe: lastProbe,
          contact: lastContact,
          stimulationMs: info.stimulationMs,
          stimulationLimitMs: info.stimulationLimitMs ?? null,
        })
      );
    },
  });

  return {
    open(socket) {
      sockets.add(socket);
      sockets.reply(socket, {
        type: "hello",
        ...options.hello?.(),
        role: "user",
        state: runner.state,
        frame: runner.lastFrame,
      });
    },
    message(socket, text) {
      const client = sockets.get(socket);
      if (!client) return;
      let request;
      let admitted = false;
      let reusedFrom: string | null = null;
      try {
        // Parsed once: the rate limit is decided on the message's type, never on its raw text.
        let raw = readPageJson(text);
        if (!bypassesRateLimit(raw.type) && !(admitted = sockets.admit(client))) return;
        if (options.tracking?.offerMessage(raw)) return;
        if (raw.type === "operator") {
          return control(client, answerOperator(raw, options.operatorAuth, runner.state, client));
        }
        if (raw.type === "clock") return control(client, answerClock(raw, client.clock, now()));
        if (raw.type === "summary" || raw.type === "history") {
          return control(client, answerRecords(client, raw));
        }
        if (isStaffType(raw.type)) {
          return control(client, answerStaff(raw, client.role, options.records, wall()));
        }
        if (isProfileMessage(raw.type)) return profile(client, raw);
        if (raw.type === "start") {
          const prep = desk.prepareStart(raw, client);
          if (!prep.ok) {
            return sockets.refuse(client, {
              type: "error",
              of: "start",
              field: prep.field,
              message: prep.message,
            });
          }
          raw = prep.raw;
          reusedFrom = prep.reusedFrom;
        }
        request = parsePageObject(raw);
      } catch (error) {
        // Unparseable text counts against the limit too, so a flood of garbage cannot starve the tick.
        if (!admitted && !sockets.admit(client)) return;
        const field = errorField(error) ?? "message";
        return sockets.refuse(client, { type: "error", field, message: (error as Error).message });
      }
      const type = request.event.type;
      const refused = roleRefusal(client.role, request, { demoAllowed });
      if (refused) return sockets.refuse(client, { type: "error", ...refused, of: type });
      if (type === "probe") {
        if (request.capturedAt !== undefined && !fresh(client, request.capturedAt)) {
          client.dropped++;
          return;
        }
        options.tracking?.observed();
      }
      try {
        const meta: EventMeta = { source: sourceOf(client.role) };
        if (request.consent) meta.consent = request.consent;
        // The socket's person: their exclusions and ceiling go into the engine's start, their id into the record.
        const profileId = request.event.type === "start" ? desk.applyProfile(request.event, client) : null;
        if (profileId !== null) meta.profileId = profileId;
        if (reusedFrom !== null) meta.screeningReusedFrom = reusedFrom;
        runner.submit(request.event, meta);
        if (request.event.type === "start" && reusedFrom === null) {
          desk.started(client, request.event.screening, options.recorder?.sessionId ?? null);
        }
      } catch (error) {
        const field = errorField(error) ?? "type";
        return sockets.refuse(client, { type: "error", field, message: (error as Error).message, of: type });
      }
      const sessionId = options.recorder?.sessionId ?? null;
      const summaryKey = type === "start" && sessionId !== null ? keySummary(sessionId) : undefined;
      if (type === "start") client.lastSessionId = sessionId;
      if (isAcked(type)) {
        sockets.reply(socket, {
          type: "ack",
          of: type,
          state: runner.state,
          sessionId,
          ...(summaryKey ? { summaryKey } : {}),
        });
      }
    },
    binary(socket) {
      const client = sockets.get(socket);
      if (!client || !sockets.admit(client)) return;
      sockets.refuse(client, {
        type: "error",
        field: "message",
        message: "messages must be JSON text, not binary",
      });
    },
    close(socket) {
      if (!sockets.remove(socket) || sockets.size > 0) return;
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
      return sockets.size;
    },
    get lastProbe() {
      return lastProbe;
    },
    get lastContact() {
      return lastContact;
    },
    dispose() {
      detach();
      sockets.closeAll(1001, "kiosk shutting down");
    },
  };
}
