/** The session record as a safety input: recorder and event log on a runner, a failed write latches a fault. */
import type { Store } from "../store/mod.ts";
import { createEventLog, type EventLog } from "./event_log.ts";
import { createRecorder, type Recorder } from "./recorder.ts";
import type { SessionRunner } from "./runner.ts";

/** Options for attachRecords. */
export interface RecordsOptions {
  /** Folder of the per-session event logs. Required. */
  logDir: string;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
  /** Wall clock (epoch ms) for records and health. Default Date.now. */
  wallClock?: () => number;
  /** New session ids. Default crypto.randomUUID. */
  newId?: () => string;
  /** Checkpoint and event-log flush period in frames. Default 5 (100 ms; docs/decisions.md). */
  everyFrames?: number;
}

/** Whether records are being written; `since` is the first failure of the spell (ISO time). */
export type RecordsHealth = { state: "ok" } | { state: "failing"; reason: string; since: string };

/** The attached records. */
export interface Records {
  readonly recorder: Recorder;
  readonly eventLog: EventLog;
  /** The store's and the event log's state, the store first (for /api/health). */
  health(): RecordsHealth;
  /** Finishes the open session record and its log (shutdown). */
  close(reason: string): void;
}

/**
 * Closes what a crash left open, then records every session on `runner`. A record write that fails (store or
 * event log) submits a fault `{source: "store" | "event-log", reason}` through the runner, so the engine,
 * owner of the fault latch, holds output at 0 from the next frame until an operator reset. One fault per
 * failing spell: after a reset the first write (the reset's own audit entry and log line) tries again.
 */
export function attachRecords(runner: SessionRunner, store: Store, options: RecordsOptions): Records {
  const log = options.log ?? ((line: string) => console.log(line));
  const wall = options.wallClock ?? Date.now;
  const every = options.everyFrames ?? 5;
  // A fault for a failed write is latched in the engine and no reset has come since.
  let latched = false;

  function failed(source: "store" | "event-log", error: unknown) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 200);
    if (latched) return;
    latched = true;
    log(`records: ${source} write failed (${reason}); output 0 until an operator reset`);
    try {
      runner.submit({ type: "fault", source, reason }, "runner");
    } catch (submitError) {
      // Only after the runner is disposed (shutdown), when output is already 0.
      log(`records: fault not applied: ${submitError instanceof Error ? submitError.message : submitError}`);
    }
  }

  // Before the recorder and the log, so a reset's own writes are the first tries of the new spell.
  runner.observe({ event: (e) => void (e.type === "reset" && (latched = false)) });
  try {
    for (const s of store.closeCrashed(wall())) {
      log(
        `records: session ${s.id} was left open by a crash; closed as crashed (${s.stimulationMs} ms of output)`,
      );
    }
  } catch (error) {
    failed("store", error);
  }

  const recorder = createRecorder(store, {
    wallClock: wall,
    newId: options.newId,
    checkpointFrames: every,
    onError: () => {},
    onRecordFailed: (reason) => failed("store", reason),
    onStartNotRecorded: (id) => {
      log(`session ${id}: its screening/consent record could not be written; ending it`);
      runner.submit({ type: "end" }, "runner");
    },
  });
  runner.observe(recorder);
  // After the recorder, so a start already has its session id when the log names its file.
  const eventLog = createEventLog(options.logDir, {
    sessionId: () => recorder.sessionId,
    flushFrames: every,
    wallClock: wall,
    onError: (error) => failed("event-log", error),
  });
  runner.observe(eventLog);

  return {
    recorder,
    eventLog,
    health() {
      for (const [name, h] of [["store", store.health], ["event log", eventLog.health]] as const) {
        if (h.state === "failing") {
          return { state: "failing", reason: `${name}: ${h.reason}`, since: new Date(h.since).toISOString() };
        }
      }
      return { state: "ok" };
    },
    close(reason) {
      recorder.close(reason);
      eventLog.close();
    },
  };
}
