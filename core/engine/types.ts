/** Engine vocabulary: the events it takes, the frames it emits, and the session states (DESIGN §4). */
import type { Polarity } from "../sdk/driver.ts";

/** A point in canonical face UV coordinates (DESIGN §2). */
export interface UvPoint {
  u: number;
  v: number;
}

/** Screening answers: any true answer contraindicates the session (DESIGN §3 rule 8). */
export type ScreeningAnswers = Record<string, boolean>;

/** Events the engine consumes. `t` is milliseconds on the engine clock, non-decreasing. */
export type EngineEvent =
  | {
    t: number;
    type: "start";
    routine: string;
    /** Comfort 1..10; the zone level is scaled by comfort / 10. */
    comfort: number;
    screening: ScreeningAnswers;
    /** Operator cap in µA (optional; default: hard ceiling). */
    operatorCapUa?: number;
    /** Operator enables net-DC output (honoured only when the device declares it). */
    netDc?: boolean;
    /**
     * Treatment zone ids this person must skip (a profile's personal keep-outs): 0 µA there, limit
     * `excluded:<zone>`; guided steps that would need them are left out of the routine.
     */
    exclusions?: string[];
    /** This person's level ceiling 1..10: the start's comfort and every comfort event are clamped to it. */
    maxComfort?: number;
  }
  | { t: number; type: "contact"; on: boolean; impedanceOhm?: number }
  | { t: number; type: "probe"; points: UvPoint[]; confidence: number }
  | { t: number; type: "comfort"; level: number }
  /** Operator changes the cap mid-session (µA, never above the hard ceiling); raising it still ramps. */
  | { t: number; type: "cap"; operatorCapUa: number }
  | { t: number; type: "device"; maxCurrentUa: number; netDc: boolean }
  | { t: number; type: "fault"; source: string; reason: string }
  /** The kiosk opened the screening form: state `screening` until `start` brings the answers. */
  | { t: number; type: "begin" }
  | { t: number; type: "estop" }
  | { t: number; type: "reset" }
  | { t: number; type: "pause" }
  | { t: number; type: "resume" }
  | { t: number; type: "end" };

/**
 * Session states: idle → screening → ready → running ⇄ paused → ended | aborted. A live session shows
 * `stopped` while an emergency stop or device fault is latched; the operator's reset turns it into `paused`.
 */
export type SessionState =
  | "idle"
  | "screening"
  | "ready"
  | "running"
  | "paused"
  | "stopped"
  | "ended"
  | "aborted";

/** What bounds the current on a frame (DESIGN §4 `limit`). */
export type LimitReason =
  | "slew"
  | "zone"
  | "step"
  | "operator-cap"
  | "device-max"
  | "ceiling"
  | `keep-out:${string}`
  | `excluded:${string}`
  | "off-face"
  | "off-zone"
  | "off-target"
  | "not-located"
  | "low-confidence"
  | "no-contact"
  | "stale-tracking"
  | "estop"
  | "device-fault"
  | "screening"
  | "session-time"
  | "paused"
  | "idle"
  | "ended";

/** Per-frame guidance for a guided routine. */
export interface Guidance {
  /** Index of the current step (0-based) and how many steps the routine has. */
  stepIndex: number;
  stepCount: number;
  stepId: string;
  /** Target zone of the current step. */
  targetZone: string;
  /** Stroke of the current step in UV. */
  stroke: { from: UvPoint; to: UvPoint };
  /** 0..1 progress of the probe along the stroke of the current pass. */
  strokeProgress: number;
  /** Seconds of hold left at the stroke end (0 when not holding). */
  holdRemainingS: number;
  /** Passes completed for this step, and how many the step wants. */
  passesDone: number;
  passes: number;
}

/** One output frame; the device keeps it for validForMs and then stops by itself. */
export interface EngineFrame {
  t: number;
  currentUa: number;
  freqHz: number;
  polarity: Polarity;
  /** Zone the probes are in (most restrictive point), or null when not located. */
  zone: string | null;
  state: SessionState;
  limit: LimitReason;
  validForMs: number;
  /** Present while a guided routine runs. */
  guidance?: Guidance;
}
