/** Live coaching, the pure part: time and steps left in plain words, and which cue (move or hold) a new frame calls for. */
import type { Guidance } from "../../core/engine/types.ts";

/** Seconds as plain minutes:seconds ("0:04", "12:30"), rounded up so a countdown shows 0:00 only at the end. */
export function formatMinSec(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    throw new RangeError(`Cannot format time: seconds must be finite, got ${seconds}`);
  }
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * What is left of the routine, from the frame's guidance alone: it carries no step durations, so passes and
 * steps, not a time ("2 passes left on this step, then 3 more steps").
 */
export function routineLeft(g: Guidance): string {
  const passes = Math.max(0, g.passes - g.passesDone);
  const after = Math.max(0, g.stepCount - g.stepIndex - 1);
  const rest = after === 0 ? "last step" : `then ${plural(after, "more step", "more steps")}`;
  return `${plural(passes, "pass", "passes")} left on this step, ${rest}`;
}

/** A coaching cue: what the banner shows and the voice says. */
export interface Cue {
  kind: "move" | "hold";
  text: string;
}

/** Which way a stroke goes, in the person's words: up/down when mostly vertical, else outward/inward from the midline. */
function direction(g: Guidance): string {
  const { from, to } = g.stroke;
  const du = to.u - from.u, dv = to.v - from.v;
  // Face UV grows downward (v) and is split by the midline at u = 0.5.
  if (Math.abs(dv) >= Math.abs(du)) return dv < 0 ? "up" : "down";
  return Math.abs(to.u - 0.5) > Math.abs(from.u - 0.5) ? "outward" : "inward";
}

/** The move cue of a step: "Glide up: forehead". */
export function moveText(g: Guidance): string {
  return `Glide ${direction(g)}: ${g.targetZone.replaceAll("-", " ")}`;
}

/**
 * The cue a new guidance snapshot calls for, given the one before: a move at a new step and at each new pass of
 * the same step, a hold when a hold starts; null otherwise (and when no guided routine runs).
 */
export function deriveCue(prev: Guidance | null | undefined, next: Guidance | null | undefined): Cue | null {
  if (!next) return null;
  if (!prev || prev.stepIndex !== next.stepIndex || prev.stepId !== next.stepId) {
    return { kind: "move", text: moveText(next) };
  }
  if (prev.holdRemainingS <= 0 && next.holdRemainingS > 0) return { kind: "hold", text: "Hold" };
  if (next.passesDone > prev.passesDone && next.passesDone < next.passes) {
    return { kind: "move", text: moveText(next) };
  }
  return null;
}
