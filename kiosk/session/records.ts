/** The session record as a safety input: recorder and event log on a runner, a failed write latches a fault. */
import type { EngineEvent } from "../../core/engine/types.ts";
import { join } from "node:path";
import { ownerOnlyDir, ownerOnlyFiles, type Store } from "../store/mod.ts";
import { createRecorder, type Recorder } from "./recorder.ts";
import type { RunnerObserver, SessionRunner } from "./runner.ts";

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

// The event log: per-session JSON Lines logs that `deno task replay` can run again (on its 20 ms grid; see
// docs/kiosk.md).

/** Options for createEventLog. */
export interface EventLogOptions {
  /** Names the file of a session that starts now (e.g. the recorder's session id). Default: a timestamp. */
  sessionId?: () => string | null;
  /** Buffered lines are written every this many frames (and at once on a reset). Default 5 (100 ms). */
  flushFrames?: number;
  /** Where open and write failures go, at once (attachRecords turns them into a fault). Default console.error. */
  onError?: (error: unknown) => void;
  /** Wall clock (epoch ms) for the health's `since`. Default Date.now. */
  wallClock?: () => number;
}

/** Whether the last log write succeeded (the same shape as the store's health). */
export type EventLogHealth = { state: "ok" } | { state: "failing"; reason: string; since: number };

/** An event-log observer; pass it to runner.observe() after the recorder. */
export interface EventLog extends RunnerObserver {
  /** Path of the open log, or null between sessions. */
  readonly path: string | null;
  /** Whether the last open or write of a log succeeded. */
  readonly health: EventLogHealth;
  /** Writes what is buffered and closes the open log. */
  close(): void;
}

const SAFE = /^[A-Za-z0-9_.-]{1,80}$/;
/** A probe older than this before the start is not logged (it is stale long before; output is 0 either way). */
const PRIOR_PROBE_MS = 1000;

/**
 * Writes every event of a session to `<dir>/<session id>.jsonl`, times relative to the last frame before
 * the start (so the start itself is at a fraction of a ms after 0).
 * The last contact and device events before the start are written first (at t 0), and the last probe
 * observation of the second before it at its own time, so a replay starts from the same device and tracking
 * state. Probe events are included; frames are not (replay recomputes them).
 */
export function createEventLog(dir: string, options: EventLogOptions = {}): EventLog {
  const every = options.flushFrames ?? 5;
  const onError = options.onError ?? ((error) => console.error("event log:", error));
  const wall = options.wallClock ?? Date.now;
  let health: EventLogHealth = { state: "ok" };
  const encoder = new TextEncoder();
  let file: Deno.FsFile | null = null;
  let path: string | null = null;
  let t0 = 0;
  let buffer: string[] = [];
  let frames = 0;
  let ending = false;
  let lastContact: EngineEvent | null = null;
  let lastDevice: EngineEvent | null = null;
  let lastFrameT: number | null = null;
  // The estop and the fault latched in the engine since the last reset: a session started under them is
  // logged under them, so its replay stays at 0 as the live session did.
  let latched: { estop: EngineEvent | null; fault: EngineEvent | null } = { estop: null, fault: null };
  // Bytes of lines not yet on disk after a failed write, the rest of a line cut short first: written before
  // anything newer, so a short write never leaves a torn line that would stop the replay.
  let pending: Uint8Array = new Uint8Array(0);
  // The file ends inside a line (a write stopped part-way): its rest must come before anything else.
  let cutShort = false;
  // The last probe before a start, and the frame time at or before it (a replay's grid must fall on live frames).
  let lastProbe: { event: EngineEvent; frameT: number | null } | null = null;

  const guard = (fn: () => void) => {
    try {
      fn();
      health = { state: "ok" };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      health = { state: "failing", reason, since: health.state === "failing" ? health.since : wall() };
      onError(error);
    }
  };
  // Session logs hold what the person did and their screening answers' consequences: owner-only, also those
  // an older build wrote wider.
  ownerOnlyDir(dir);
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.isFile && entry.name.endsWith(".jsonl")) ownerOnlyFiles(join(dir, entry.name));
  }
  const push = (event: EngineEvent) => {
    const t = Math.round((event.t - t0) * 1000) / 1000;
    buffer.push(JSON.stringify({ ...event, t }));
  };
  function flush() {
    if (!file || (buffer.length === 0 && pending.length === 0)) return;
    if (buffer.length > 0) {
      pending = concat(pending, encoder.encode(buffer.join("\n") + "\n"));
      buffer = [];
    }
    const f = file;
    let written = 0;
    guard(() => {
      while (written < pending.length) written += f.writeSync(pending.subarray(written));
    });
    pending = pending.subarray(written);
    if (pending.length > MAX_PENDING_BYTES) pending = keepCutLine(pending, written > 0 || cutShort);
    cutShort = pending.length > 0 && written > 0;
  }
  function close() {
    flush();
    guard(() => file?.close());
    file = null;
    path = null;
    ending = false;
  }
  function open(start: EngineEvent) {
    close();
    const id = options.sessionId?.() ?? new Date().toISOString().replace(/[:]/g, "-");
    if (!SAFE.test(id)) {
      return onError(new TypeError(`Cannot open event log: unsafe session id ${JSON.stringify(id)}`));
    }
    guard(() => {
      ownerOnlyDir(dir);
      path = join(dir, `${id}.jsonl`);
      file = Deno.openSync(path, { create: true, append: true, mode: 0o600 });
      ownerOnlyFiles(path);
    });
    // Times count from the last frame before the start, so the replay's 20 ms grid falls on the live frames.
    // A probe seen within PRIOR_PROBE_MS before the start is logged at its own time (t0 moves back to the
    // frame before it), so tracking at the start, fresh or going stale, replays as it was live.
    t0 = lastFrameT ?? start.t;
    const probe = lastProbe && start.t - lastProbe.event.t <= PRIOR_PROBE_MS ? lastProbe : null;
    if (probe) t0 = Math.min(t0, probe.frameT ?? probe.event.t);
    for (const e of [lastDevice, lastContact, latched.fault, latched.estop]) if (e) push({ ...e, t: t0 });
    if (probe) push(probe.event);
    push(start);
  }

  return {
    get path() {
      return path;
    },
    get health() {
      return health;
    },
    event(event, meta) {
      if (event.type === "contact") lastContact = event;
      if (event.type === "device") lastDevice = event;
      if (event.type === "estop") latched = { ...latched, estop: event };
      if (event.type === "fault") latched = { ...latched, fault: event };
      if (event.type === "reset") latched = { estop: null, fault: null };
      if (event.type === "probe" && !file) lastProbe = { event, frameT: lastFrameT };
      if (event.type === "start") return open(event);
      // A repeated estop changes nothing in the engine: leaving it out keeps the replay the same, the log small.
      if (file && !meta.repeat) push(event);
      // A reset clears a fault that a failed write may have raised: the log is tried again at once.
      if (event.type === "reset") flush();
    },
    frame(frame) {
      lastFrameT = frame.t;
      if (!file) return;
      // Keep the log open one more second after the end so the replay's tail matches.
      if ((frame.state === "ended" || frame.state === "aborted") && !ending) {
        ending = true;
        frames = 0;
      }
      if (++frames % every === 0) {
        if (ending) close();
        else flush();
      }
    },
    close,
  };
}

/** Lines held back at most (about a minute of a busy session); older whole lines go first, with a gap. */
const MAX_PENDING_BYTES = 1 << 20;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Over the bound: keeps only the rest of a line the file already holds the start of, else nothing. */
function keepCutLine(bytes: Uint8Array, fileEndsMidLine: boolean): Uint8Array {
  if (!fileEndsMidLine) return new Uint8Array(0);
  const end = bytes.indexOf(0x0a);
  return end < 0 ? bytes : bytes.subarray(0, end + 1);
}
