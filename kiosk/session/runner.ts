/** The session runner: owns the engine, ticks it at 50 Hz, feeds the device sink and the listeners. */
import type { EngineEvent, EngineFrame, SessionState } from "../../core/engine/types.ts";
import type { OutputSink, SinkReport } from "./output_sink.ts";
import { type Clock, systemClock } from "../../core/sdk/mod.ts";
import { createScheduler, type JitterStats, type Scheduler } from "./scheduler.ts";

/** The engine surface the runner needs (core/engine's Engine satisfies it). */
export interface EngineLike {
  apply(event: EngineEvent): void;
  frame(t: number): EngineFrame;
  readonly state: SessionState;
  /** Milliseconds of output delivered in the current session, as the engine counts them for rule 7. */
  readonly stimulationMs: number;
  /** The session-time limit in ms (rule 7); absent on an engine that does not say (FrameInfo then has none). */
  readonly maxStimulationMs?: number;
  /** True when an event must cut flowing output now (core Engine); the runner then emits a frame at once. */
  readonly cutPending?: boolean;
  /** The latch in force (core Engine): an estop while one is latched changes nothing and is told as a repeat. */
  readonly latched?: "estop" | "device-fault" | null;
  /** The operator cap in force (core Engine), which the sink's device limits follow. */
  readonly operatorCapUa?: number;
}

/** An event without its time: the runner stamps `t` from its own clock. */
export type EventInput = EngineEvent extends infer E ? E extends { t: number } ? Omit<E, "t"> : never : never;

/** Who sent an event; kept with it for the record and the audit log. */
export type EventSource = "page" | "operator" | "device" | "demo" | "runner";

/** Consent given with a start request (the page's screening form, or the demo's own start). */
export interface Consent {
  given: boolean;
  by?: string;
}

/**
 * What travels with an event besides the engine's fields: who sent it and, for the record, what came with it.
 * Observers get it with the event, so nothing reaches the record from the side.
 */
export interface EventMeta {
  source: EventSource;
  /** Consent that came with a start (recorded with its screening answers). Default: not given. */
  consent?: Consent;
  /** Why the kiosk itself raised an estop (e.g. "page disconnected"), for its audit entry. */
  reason?: string;
  /** Whose session a start begins: the profile the page socket had selected (recorded as sessions.profile_id). */
  profileId?: string;
  /**
   * A start whose screening answers are a salon visit's, asked once for an earlier session of the visit: that
   * session's id (the screening row is written again for this session, marked reused from it).
   */
  screeningReusedFrom?: string;
  /**
   * Set by the runner: an estop that came while an estop was already latched (it changed nothing). Observers
   * need not record each one: a page pressing stop again and again, or a flood, costs no disk.
   */
  repeat?: boolean;
}

/** What the engine says about its session along with a frame (the record takes it from here, not recomputed). */
export interface FrameInfo {
  /** Milliseconds of output delivered in the session so far (the engine's rule-7 count). */
  stimulationMs: number;
  /** The engine's limit on that count (rule 7), when the engine tells it: what is left is the page's "time left". */
  stimulationLimitMs?: number;
}

/** Observes accepted events and emitted frames (the recorder, the WS broadcaster, the event log). */
export interface RunnerObserver {
  event?(event: EngineEvent, meta: EventMeta): void;
  frame?(frame: EngineFrame, info: FrameInfo): void;
  report?(report: SinkReport): void;
}

/** Options for createSessionRunner. */
export interface SessionRunnerOptions {
  /** Device side. Default: none (frames go nowhere). */
  sink?: OutputSink;
  /** Clock and timers for both ticking and stamping. Default: the real clock. */
  clock?: Clock;
  /** Tick period in ms. Default 20. */
  periodMs?: number;
  /** Busy-wait before each tick for lower jitter (see SchedulerOptions.spinMs). Default 2 (bench/scheduler_jitter.ts). */
  spinMs?: number;
  /** Where failures inside ticks and observers go. Default console.error. */
  onError?: (error: unknown, where: string) => void;
}

/** A running session runner. */
export interface SessionRunner {
  /**
   * Stamps `t` with the runner clock and applies the event; throws TypeError naming a bad field. `meta` (or
   * just its source; default "page") goes to the observers with the event. Called by an observer while it is
   * being told of another event, it applies right after every observer has that one.
   */
  submit(event: EventInput, meta?: EventSource | EventMeta): EngineEvent;
  /** Adds an observer; returns the function that removes it. */
  observe(observer: RunnerObserver): () => void;
  /** The latest frame, or null before the first tick. */
  readonly lastFrame: EngineFrame | null;
  /** The engine's session state now. */
  readonly state: SessionState;
  /** Milliseconds on the engine clock now. */
  now(): number;
  /** Starts ticking (idempotent). */
  start(): void;
  /** Produces one frame now, as a tick would (tests and manual stepping). */
  tick(): EngineFrame;
  /** Tick lateness figures. */
  jitter(): JitterStats;
  /** Forgets the recorded tick lateness (start a fresh measurement window). */
  resetJitter(): void;
  /** Stops ticking, sends a zero frame, releases the sink. */
  dispose(): Promise<void>;
}

/** A frame that commands no output; sent when the engine itself cannot produce a frame. */
function zeroFrame(t: number, state: SessionState): EngineFrame {
  return {
    t,
    currentUa: 0,
    freqHz: 0,
    polarity: "alternating",
    zone: null,
    state,
    limit: "device-fault",
    validForMs: 100,
  };
}

/**
 * Creates a runner around an engine. Event times are the runner clock since creation, never
 * the sender's; they never go backwards, so the engine sees a monotonic stream.
 */
export function createSessionRunner(engine: EngineLike, options: SessionRunnerOptions = {}): SessionRunner {
  const clock = options.clock ?? systemClock;
  const sink = options.sink;
  const onError = options.onError ??
    ((error, where) => console.error(`session runner: ${where} failed:`, error));
  const origin = clock.now();
  const observers = new Set<RunnerObserver>();
  let lastT = 0;
  let lastFrame: EngineFrame | null = null;
  let disposed = false;

  const now = () => {
    lastT = Math.max(lastT, clock.now() - origin);
    return lastT;
  };

  function notify(fn: (o: RunnerObserver) => void, where: string) {
    for (const o of observers) {
      try {
        fn(o);
      } catch (error) {
        onError(error, where);
      }
    }
  }

  let ticking = false;
  /** > 0 while observers are being told of an event; events submitted meanwhile wait in `queued`. */
  let telling = 0;
  const queued: { event: EngineEvent; meta: EventMeta }[] = [];

  function tick(): EngineFrame {
    ticking = true;
    try {
      return tickOnce();
    } finally {
      ticking = false;
    }
  }

  function tickOnce(): EngineFrame {
    const t = now();
    let frame: EngineFrame;
    try {
      frame = engine.frame(t);
    } catch (error) {
      onError(error, "engine.frame");
      frame = zeroFrame(t, engine.state);
    }
    lastFrame = frame;
    if (sink) {
      try {
        sink.send(frame);
      } catch (error) {
        onError(error, "sink.send");
        applyGuarded({ type: "fault", source: "device-host", reason: errorText(error) }, {
          source: "runner",
        });
      }
    }
    const limitMs = engine.maxStimulationMs;
    const info: FrameInfo = limitMs === undefined
      ? { stimulationMs: engine.stimulationMs }
      : { stimulationMs: engine.stimulationMs, stimulationLimitMs: limitMs };
    notify((o) => o.frame?.(frame, info), "frame observer");
    return frame;
  }

  function applyGuarded(input: EventInput, meta: EventMeta) {
    try {
      submit(input, meta);
    } catch (error) {
      onError(error, `${input.type} event from ${meta.source}`);
    }
  }

  function submit(input: EventInput, given: EventSource | EventMeta = "page"): EngineEvent {
    if (disposed) throw new TypeError(`Cannot submit "${input.type}": the session runner is disposed`);
    // A copy: what observers hear is what was submitted, whatever the sender does with its object later.
    const meta: EventMeta = typeof given === "string" ? { source: given } : { ...given };
    // An event that arrives after the frame at the same instant is seen by the next frame: stamping it just
    // past that frame keeps replay (which applies events before a frame at the same t) identical.
    let t = now();
    if (lastFrame && t <= lastFrame.t) lastT = t = lastFrame.t + 0.001;
    // t first (as in replay files), and the sender's own t, if any, overwritten.
    const event = Object.assign({ t }, input, { t }) as EngineEvent;
    if (telling > 0) {
      // An observer answering an event (the recorder after a failed write) is heard once every observer has
      // that event, so all of them see events in the order the engine applied them; a throw goes to onError.
      queued.push({ event, meta });
      return event;
    }
    applyNow(event, meta);
    while (queued.length > 0) {
      const next = queued.shift()!;
      try {
        applyNow(next.event, next.meta);
      } catch (error) {
        onError(error, `${next.event.type} event from ${next.meta.source}`);
      }
    }
    // Keep-out, contact loss, estop, fault, end: the zero frame goes out now, not at the next 20 ms slot.
    // (Not from inside a tick's observers, e.g. a checkpoint write that failed: no nested frames.)
    if (engine.cutPending && scheduler.running && !ticking) tick();
    return event;
  }

  function applyNow(event: EngineEvent, given: EventMeta) {
    const meta = event.type === "estop" && engine.latched === "estop" ? { ...given, repeat: true } : given;
    engine.apply(event);
    // From here on, an event the sink or an observer raises (the device host's contact-off on a halt, the
    // recorder's fault) is queued behind this one, so everyone sees events in the engine's order.
    telling++;
    try {
      reactAndTell(event, meta);
    } finally {
      telling--;
    }
  }

  function reactAndTell(event: EngineEvent, meta: EventMeta) {
    // An emergency stop or a fault stops the device at once (STOP), whatever the engine's frame says next.
    if ((event.type === "estop" || event.type === "fault") && sink?.stop) {
      try {
        sink.stop();
      } catch (error) {
        onError(error, "sink.stop");
      }
    }
    // Only an operator reset lets the device side write again (the engine's latch clears with the same event).
    if (event.type === "reset" && sink?.clearFault) {
      try {
        sink.clearFault();
      } catch (error) {
        onError(error, "sink.clearFault");
      }
    }
    // The device's limits follow the operator cap, which the engine owns: after a start or a cap the sink gets
    // the engine's cap (a start without one: the hard ceiling; the sink skips a cap it already has). Deferred:
    // a limits write is a device exchange, which neither the event nor its observers wait for.
    if ((event.type === "start" || event.type === "cap") && sink?.setOperatorCap) {
      const capUa = engine.operatorCapUa;
      if (capUa !== undefined) {
        Promise.resolve().then(() => sink.setOperatorCap!(capUa)).catch((error) =>
          onError(error, `sink.setOperatorCap(${capUa})`)
        );
      }
    }
    notify((o) => o.event?.(event, meta), "event observer");
  }

  const scheduler: Scheduler = createScheduler(() => tick(), {
    clock,
    periodMs: options.periodMs ?? 20,
    spinMs: options.spinMs ?? 2,
    onError: (error) => onError(error, "tick"),
  });

  const unsubscribeSink = sink?.subscribe?.((report) => {
    if (report.kind === "event") applyGuarded(report.event, { source: "device" });
    notify((o) => o.report?.(report), "report observer");
  });

  return {
    submit,
    observe(observer) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    get lastFrame() {
      return lastFrame;
    },
    get state() {
      return engine.state;
    },
    now,
    start() {
      if (disposed) throw new TypeError("Cannot start the session runner: it is disposed");
      scheduler.start();
    },
    tick,
    jitter: () => scheduler.stats(),
    resetJitter: () => scheduler.resetStats(),
    async dispose() {
      if (disposed) return;
      disposed = true;
      scheduler.dispose();
      unsubscribeSink?.();
      const stop = zeroFrame(now(), engine.state);
      stop.limit = "ended";
      try {
        sink?.send(stop);
        await sink?.dispose?.();
      } catch (error) {
        onError(error, "sink shutdown");
      }
      observers.clear();
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
