/** Records what a session runner does into the store: sessions, screening/consent, audit log, telemetry. */
import type { EngineEvent, EngineFrame } from "../../core/engine/types.ts";
import type { Telemetry } from "../../core/sdk/driver.ts";
import {
  createSummaryAccumulator,
  type SessionSummary,
  type SummaryAccumulator,
} from "../../core/session/mod.ts";
import type { Store } from "../store/mod.ts";
import type { EventMeta, FrameInfo, RunnerObserver } from "./runner.ts";

/** Options for createRecorder. */
export interface RecorderOptions {
  /** Wall clock for record times (epoch ms). Default Date.now. */
  wallClock?: () => number;
  /** New session ids. Default crypto.randomUUID. */
  newId?: () => string;
  /**
   * Write running totals (and the telemetry summary so far) every this many frames, so a crash loses little
   * and a store that stopped taking writes is noticed while output flows. Default 5 (100 ms; docs/decisions.md).
   */
  checkpointFrames?: number;
  /**
   * Write the session summary so far every this many frames (a crash keeps it); it is also written at the end.
   * Default 50 (1 s: the summary is a few KiB, bench/session_summary.ts has the cost).
   */
  summaryFrames?: number;
  /** Where store failures go (besides onRecordFailed). Default console.error. */
  onError?: (error: unknown) => void;
  /**
   * Called with the store's message whenever a record write fails, at once (inside the runner's tick or event
   * notification): attachRecords latches a `store` fault so the next frame is 0 µA. Default: nothing.
   */
  onRecordFailed?: (reason: string) => void;
  /**
   * Called when a start could not be recorded with its screening and consent; the runtime ends that session
   * (after every observer has seen the start: the runner queues what an observer submits). Default: nothing.
   */
  onStartNotRecorded?: (sessionId: string) => void;
}

/** A runner observer that writes the session record. */
export interface Recorder extends RunnerObserver {
  /** Id of the session being recorded, or null. */
  readonly sessionId: string | null;
  /** Finishes the open session record (shutdown). */
  close(reason: string): void;
  /** The open session's summary so far, or null when none is open. */
  summary(): { sessionId: string; summary: SessionSummary } | null;
}

interface OpenSession {
  id: string;
  stimulationMs: number;
  maxCurrentUa: number;
  frames: number;
  endCause: string | null;
  summary: SummaryAccumulator;
  telemetry: {
    samples: number;
    contact: number;
    impSum: number;
    impN: number;
    maxUa: number;
    minBat: number | null;
    faults: Set<string>;
  };
}

const ENDED = new Set(["ended", "aborted"]);
type AuditInput = Parameters<Store["audit"]>[0];
/** Audit entries kept for a later try while the store fails (a few minutes of estops, resets and faults). */
const MAX_UNWRITTEN = 1000;

/** Creates a recorder; pass it to runner.observe(). */
export function createRecorder(store: Store, options: RecorderOptions = {}): Recorder {
  const wall = options.wallClock ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const every = options.checkpointFrames ?? 5;
  const summaryEvery = options.summaryFrames ?? 50;
  const onError = options.onError ?? ((error) => console.error("recorder:", error));
  let open: OpenSession | null = null;
  /** Estops pressed again while one was latched, since the last reset. */
  let repeatedEstops = 0;

  // Audit entries that could not be written, oldest first: written before the next one, so a spell of failing
  // writes leaves a late entry, not a hole (bounded: a store that never recovers does not grow memory).
  const unwritten: AuditInput[] = [];
  function audit(entry: AuditInput) {
    unwritten.push(entry);
    if (unwritten.length > MAX_UNWRITTEN) unwritten.splice(0, unwritten.length - MAX_UNWRITTEN);
    writeUnwritten();
  }
  function writeUnwritten() {
    while (unwritten.length > 0) {
      const entry = unwritten[0]!;
      let invalid = false;
      const written = guard(() => {
        try {
          store.audit(entry);
        } catch (error) {
          invalid = error instanceof TypeError; // refused input is never retried (it would block the rest)
          throw error;
        }
      });
      if (!written && !invalid) return;
      unwritten.shift();
    }
  }

  const guard = (fn: () => void): boolean => {
    try {
      fn();
      return true;
    } catch (error) {
      onError(error);
      options.onRecordFailed?.(error instanceof Error ? error.message : String(error));
      return false;
    }
  };

  function finish(reason: string) {
    // Audit entries a failing spell held back go first, so a session closed at shutdown keeps its fault.
    writeUnwritten();
    const s = open;
    if (!s) return;
    open = null;
    guard(() =>
      store.endSession(s.id, {
        endedAt: wall(),
        endReason: reason,
        stimulationMs: s.stimulationMs,
        maxCurrentUa: s.maxCurrentUa,
      })
    );
    writeSummary(s, reason);
    writeTelemetry(s);
  }

  // The whole summary so far each time: a write that failed loses nothing the next one does not carry.
  function writeSummary(s: OpenSession, reason: string | null) {
    guard(() => store.saveSummary(s.id, s.summary.snapshot(reason)));
  }

  function writeTelemetry(s: OpenSession) {
    const tm = s.telemetry;
    if (tm.samples === 0) return;
    guard(() =>
      store.recordTelemetry({
        sessionId: s.id,
        samples: tm.samples,
        contactSamples: tm.contact,
        meanImpedanceOhm: tm.impN ? tm.impSum / tm.impN : null,
        maxMeasuredUa: tm.maxUa,
        minBatteryPct: tm.minBat,
        faults: [...tm.faults],
      })
    );
  }

  function onStart(event: Extract<EngineEvent, { type: "start" }>, meta: EventMeta) {
    finish("replaced");
    const id = newId();
    const at = wall();
    const consent = meta.consent ?? { given: false };
    open = {
      id,
      stimulationMs: 0,
      maxCurrentUa: 0,
      frames: 0,
      endCause: null,
      summary: createSummaryAccumulator(),
      telemetry: { samples: 0, contact: 0, impSum: 0, impN: 0, maxUa: 0, minBat: null, faults: new Set() },
    };
    const recorded = guard(() =>
      store.startSession({
        id,
        routine: event.routine,
        startedAt: at,
        // The comfort the engine runs at: the person's ceiling holds it.
        comfort: Math.min(event.comfort, event.maxComfort ?? 10),
        operatorCapUa: event.operatorCapUa ?? null,
        profileId: meta.profileId ?? null,
      })
    );
    const screened = guard(() =>
      store.recordScreening({
        sessionId: id,
        recordedAt: at,
        answers: event.screening,
        contraindicated: Object.values(event.screening).some((v) => v === true),
        consent: consent.given,
        consentBy: consent.by ?? null,
        reusedFrom: meta.screeningReusedFrom ?? null,
      })
    );
    // No session runs without its record (the runner applies what this submits after the start is told).
    if (!recorded || !screened) options.onStartNotRecorded?.(id);
    if (event.operatorCapUa !== undefined) {
      audit({
        at,
        action: "cap",
        actor: meta.source,
        sessionId: id,
        detail: { operatorCapUa: event.operatorCapUa },
      });
    }
  }

  return {
    get sessionId() {
      return open?.id ?? null;
    },
    event(event, meta) {
      if (event.type === "start") return onStart(event, meta);
      // Accepted observations: they place the output of the frames that follow on the coverage map.
      if (event.type === "probe") return void open?.summary.probe(event.points);
      const source = meta.source;
      const at = wall();
      const sessionId = open?.id ?? null;
      if (event.type === "estop" && meta.repeat) {
        repeatedEstops++; // counted into the reset's row: the first estop of the latch is the record
      } else if (event.type === "estop" && meta.reason !== undefined) {
        audit({ at, action: "estop", actor: source, sessionId, detail: { reason: meta.reason } });
      } else if (event.type === "estop") {
        audit({ at, action: "estop", actor: source, sessionId });
      } else if (event.type === "reset") {
        const detail = repeatedEstops > 0 ? { estopsWhileLatched: repeatedEstops } : undefined;
        repeatedEstops = 0;
        audit({ at, action: "reset", actor: source, sessionId, ...(detail ? { detail } : {}) });
      } else if (event.type === "fault") {
        audit({
          at,
          action: "fault",
          actor: source,
          sessionId,
          detail: { source: event.source, reason: event.reason },
        });
      } else if (event.type === "cap") {
        audit({
          at,
          action: "cap",
          actor: source,
          sessionId,
          detail: { operatorCapUa: event.operatorCapUa },
        });
      } else if (event.type === "end" && open) {
        open.endCause = source === "operator" ? "operator-end" : "user-end";
      }
    },
    frame(frame: EngineFrame, info: FrameInfo) {
      const s = open;
      if (!s) return;
      // The engine's own count (the one rule 7 ends the session on), never a second reckoning from the frames.
      s.stimulationMs = info.stimulationMs;
      s.maxCurrentUa = Math.max(s.maxCurrentUa, frame.currentUa);
      s.summary.frame(frame, info.stimulationMs);
      if (ENDED.has(frame.state)) {
        const cause = s.endCause ?? frame.limit;
        return finish(frame.state === "aborted" ? `aborted:${cause}` : cause);
      }
      if (++s.frames % every === 0) {
        const at = wall();
        guard(() =>
          store.updateSession(s.id, { stimulationMs: s.stimulationMs, maxCurrentUa: s.maxCurrentUa, at })
        );
        writeTelemetry(s);
        writeUnwritten();
      }
      if (s.frames % summaryEvery === 0) writeSummary(s, null);
    },
    report(report) {
      if (report.kind !== "telemetry" || !open) return;
      noteTelemetry(open, report.telemetry);
    },
    close(reason) {
      finish(reason);
    },
    summary() {
      return open && { sessionId: open.id, summary: open.summary.snapshot() };
    },
  };
}

function noteTelemetry(s: OpenSession, t: Telemetry) {
  const tm = s.telemetry;
  tm.samples++;
  if (t.contact) tm.contact++;
  if (Number.isFinite(t.impedanceOhm) && t.impedanceOhm >= 0) {
    tm.impSum += t.impedanceOhm;
    tm.impN++;
  }
  if (Number.isFinite(t.measuredUa)) tm.maxUa = Math.max(tm.maxUa, t.measuredUa);
  if (t.batteryPct !== null && Number.isFinite(t.batteryPct)) {
    tm.minBat = Math.min(tm.minBat ?? 100, t.batteryPct);
  }
  for (const f of t.faults) tm.faults.add(String(f).slice(0, 64));
}
