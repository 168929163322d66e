/** A virtual probe that follows a guided routine's strokes, for the demo without camera or hardware. */
import type { EngineFrame, Guidance, UvPoint } from "../../core/engine/types.ts";

/** Options for createDemoProbe. */
export interface DemoProbeOptions {
  /** How long one glide from stroke start to end takes, in ms. Default 3000. */
  glideMs?: number;
  /** How long the probe rests at the stroke start before gliding, in ms. Default 400. */
  settleMs?: number;
  /** Extra hold after the engine's hold countdown, before re-placing the probe anyway, in ms. Default 1500. */
  holdGraceMs?: number;
  /** Confidence reported with each observation. Default 0.95. */
  confidence?: number;
  /** Where the probe rests when there is no guidance. Default: left cheek (0.277, 0.532). */
  rest?: UvPoint;
}

/** One observation the demo probe makes. */
export interface DemoObservation {
  points: UvPoint[];
  confidence: number;
}

/** What the probe is doing now. */
export type DemoPhase = "rest" | "settle" | "glide" | "hold";

/** The virtual probe; call step() once per frame. */
export interface DemoProbe {
  /** Advances by the frame and returns the observation to feed the engine. */
  step(frame: EngineFrame): DemoObservation;
  readonly phase: DemoPhase;
  readonly position: UvPoint;
}

const lerp = (a: UvPoint, b: UvPoint, p: number): UvPoint => ({
  u: a.u + (b.u - a.u) * p,
  v: a.v + (b.v - a.v) * p,
});

/**
 * Creates a virtual probe. It places itself at the stroke start, glides to the end, holds while the
 * engine counts the hold down, and starts again whenever the engine moves to the next pass or step.
 */
export function createDemoProbe(options: DemoProbeOptions = {}): DemoProbe {
  const glideMs = options.glideMs ?? 3000;
  const settleMs = options.settleMs ?? 400;
  const graceMs = options.holdGraceMs ?? 1500;
  const confidence = options.confidence ?? 0.95;
  const rest = options.rest ?? { u: 0.277, v: 0.532 };
  let phase: DemoPhase = "rest";
  let position: UvPoint = rest;
  let phaseStart = 0;
  let key = "";
  let holdSeen = false;

  function begin(g: Guidance, t: number) {
    key = `${g.stepIndex}:${g.passesDone}`;
    phase = "settle";
    phaseStart = t;
    holdSeen = false;
    position = g.stroke.from;
  }

  return {
    get phase() {
      return phase;
    },
    get position() {
      return position;
    },
    step(frame) {
      const g = frame.guidance;
      const t = frame.t;
      if (!g || frame.state !== "running") {
        if (!g) phase = "rest";
        if (!g) position = rest;
        return { points: [position], confidence };
      }
      const k = `${g.stepIndex}:${g.passesDone}`;
      if (phase === "rest" || k !== key) begin(g, t);
      const elapsed = t - phaseStart;
      if (phase === "settle") {
        position = g.stroke.from;
        if (elapsed >= settleMs) {
          phase = "glide";
          phaseStart = t;
        }
      } else if (phase === "glide") {
        const p = Math.min(1, elapsed / glideMs);
        position = lerp(g.stroke.from, g.stroke.to, p);
        if (p >= 1) {
          phase = "hold";
          phaseStart = t;
        }
      } else if (phase === "hold") {
        position = g.stroke.to;
        if (g.holdRemainingS > 0) holdSeen = true;
        // The engine normally advances the pass when the hold ends; restart anyway if it did not.
        const holdDone = holdSeen ? g.holdRemainingS === 0 : true;
        if (holdDone && elapsed >= graceMs) begin(g, t);
      }
      return { points: [position], confidence };
    },
  };
}
