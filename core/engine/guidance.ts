/** Guided-routine progress: which step, where along the stroke, the hold countdown and passes done. */
import type { Routine, RoutineStep } from "../routines/mod.ts";
import type { Guidance, UvPoint } from "./types.ts";

/** Progress at or below this counts as "at the stroke start"; at or above END_AT as "at the end". */
const START_AT = 0.2;
const END_AT = 0.9;

type Phase = "to-start" | "glide" | "hold";

/** Tracks one routine's progress frame by frame. Only stimulated time (output above 0) advances holds. */
export class GuidanceTracker {
  #routine: Routine;
  #stepIndex = 0;
  #passesDone = 0;
  #phase: Phase = "to-start";
  #progress = 0;
  #holdLeftMs = 0;

  constructor(routine: Routine) {
    this.#routine = routine;
    this.#holdLeftMs = (routine.steps[0]?.holdS ?? 0) * 1000;
  }

  /** The current step, or undefined when the routine is complete. */
  get step(): RoutineStep | undefined {
    return this.#routine.steps[this.#stepIndex];
  }

  /** True once every step's passes are done. */
  get complete(): boolean {
    return this.#stepIndex >= this.#routine.steps.length;
  }

  /**
   * Advances with the probe's position (midpoint of its points) for one frame.
   * `stimulating` is true when this frame delivers output in the target zone.
   */
  advance(position: UvPoint | null, stimulating: boolean, elapsedMs: number): void {
    const step = this.step;
    if (!step || !position) return;
    this.#progress = strokeProgress(step, position);
    switch (this.#phase) {
      case "to-start":
        if (this.#progress <= START_AT) this.#phase = "glide";
        break;
      case "glide":
        if (this.#progress >= END_AT && stimulating) this.#phase = "hold";
        break;
      case "hold":
        if (this.#progress < END_AT) {
          // Left the end before the hold finished: glide again from where the probe is.
          this.#phase = "glide";
          this.#holdLeftMs = step.holdS * 1000;
        } else if (stimulating) {
          this.#holdLeftMs -= elapsedMs;
          if (this.#holdLeftMs <= 0) this.#passDone(step);
        }
        break;
    }
  }

  #passDone(step: RoutineStep): void {
    this.#passesDone++;
    this.#phase = "to-start";
    if (this.#passesDone >= step.passes) {
      this.#stepIndex++;
      this.#passesDone = 0;
    }
    this.#holdLeftMs = (this.step?.holdS ?? 0) * 1000;
  }

  /** The guidance block for a frame, or undefined when the routine is complete. */
  snapshot(): Guidance | undefined {
    const step = this.step;
    if (!step) return undefined;
    return {
      stepIndex: this.#stepIndex,
      stepCount: this.#routine.steps.length,
      stepId: step.id,
      targetZone: step.zone,
      stroke: step.stroke,
      strokeProgress: Math.round(this.#progress * 1000) / 1000,
      holdRemainingS: this.#phase === "hold" ? Math.max(0, Math.round(this.#holdLeftMs) / 1000) : 0,
      passesDone: this.#passesDone,
      passes: step.passes,
    };
  }
}

/** Projection of a point onto the step's stroke, clamped to 0..1. */
export function strokeProgress(step: RoutineStep, p: UvPoint): number {
  const { from, to } = step.stroke;
  const du = to.u - from.u, dv = to.v - from.v;
  const s = ((p.u - from.u) * du + (p.v - from.v) * dv) / (du * du + dv * dv);
  return Math.max(0, Math.min(1, s));
}
