/** Test helpers: run an engine over events on a virtual 50 Hz clock, as the replay tool does; engine frames to feed others. */
import {
  createEngine,
  type EngineEvent,
  type EngineFrame,
  type EngineOptions,
  FRAME_MS,
  type Guidance,
} from "../../core/engine/mod.ts";

/** A running engine frame with plain defaults (t 0, 0 µA, 3 Hz, alternating, no zone, limit "zone", valid 100 ms) and `over` applied. */
export function engineFrame(over: Partial<EngineFrame> = {}): EngineFrame {
  return {
    t: 0,
    currentUa: 0,
    freqHz: 3,
    polarity: "alternating",
    zone: null,
    state: "running",
    limit: "zone",
    validForMs: 100,
    ...over,
  };
}

/** Guidance for the first step of a one-step guided routine on cheek-left (stroke from (0.3, 0.6) to (0.2, 0.5), nothing done yet, one pass), with `over` applied. */
export function engineGuidance(over: Partial<Guidance> = {}): Guidance {
  return {
    stepIndex: 0,
    stepCount: 1,
    stepId: "s",
    targetZone: "cheek-left",
    stroke: { from: { u: 0.3, v: 0.6 }, to: { u: 0.2, v: 0.5 } },
    strokeProgress: 0,
    holdRemainingS: 0,
    passesDone: 0,
    passes: 1,
    ...over,
  };
}

/** Applies events in order and returns frames every 20 ms from 0 to `untilMs` (default: last event + 200 ms). */
export function runFrames(
  events: EngineEvent[],
  options: EngineOptions & { untilMs?: number } = {},
): EngineFrame[] {
  const engine = createEngine(options);
  const frames: EngineFrame[] = [];
  const until = options.untilMs ?? (events.at(-1)?.t ?? 0) + 200;
  let i = 0;
  for (let t = 0; t <= until; t += FRAME_MS) {
    while (i < events.length && events[i]!.t <= t) engine.apply(events[i++]!);
    frames.push(engine.frame(t));
  }
  return frames;
}

/** Probe observations at `point` every `everyMs` from `from` to `to` inclusive. */
export function probes(
  from: number,
  to: number,
  point: { u: number; v: number },
  everyMs = 33,
  confidence = 0.95,
): EngineEvent[] {
  const out: EngineEvent[] = [];
  for (let t = from; t <= to; t += everyMs) out.push({ t, type: "probe", points: [point], confidence });
  return out;
}

/** Sorts events by time, keeping the given order among equal times. */
export function byTime(events: EngineEvent[]): EngineEvent[] {
  return events.map((e, i) => [e, i] as const).sort((a, b) => a[0].t - b[0].t || a[1] - b[1]).map(([e]) => e);
}

export const CHEEK = { u: 0.277, v: 0.532 };
export const EYE = { u: 0.343, v: 0.355 };
export const START: EngineEvent = { t: 0, type: "start", routine: "free", comfort: 10, screening: {} };
export const CONTACT: EngineEvent = { t: 0, type: "contact", on: true, impedanceOhm: 4000 };
