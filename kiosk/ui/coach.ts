/** Live coaching, the pure part: time and steps left in plain words, and which cue (move or hold) a new frame calls for. */
import type { Guidance } from "../../core/engine/types.ts";
import { type Language, messagesFor } from "./i18n.ts";
import { GUIDANCE } from "./i18n/guidance.ts";
import { zoneName } from "./i18n/zones.ts";

const t = messagesFor(GUIDANCE);

/** Seconds as plain minutes:seconds ("0:04", "12:30"), rounded up so a countdown shows 0:00 only at the end. */
export function formatMinSec(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    throw new RangeError(`Cannot format time: seconds must be finite, got ${seconds}`);
  }
  const whole = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

/**
 * What is left of the routine, from the frame's guidance alone: it carries no step durations, so passes and
 * steps, not a time ("2 passes left on this step, then 3 more steps").
 */
export function routineLeft(g: Guidance, lang?: Language): string {
  const passes = Math.max(0, g.passes - g.passesDone);
  const after = Math.max(0, g.stepCount - g.stepIndex - 1);
  return t("left.value", {
    passes: passes === 1 ? t("left.passes.one", undefined, lang) : t("left.passes.many", { n: passes }, lang),
    steps: after === 0
      ? t("left.steps.last", undefined, lang)
      : after === 1
      ? t("left.steps.one", undefined, lang)
      : t("left.steps.many", { n: after }, lang),
  }, lang);
}

/** Which way a stroke goes, in the person's words. */
export type Glide = "up" | "down" | "outward" | "inward";

/** A coaching cue, in no language yet: the banner and the voice put it in the page's language when they show it. */
export type Cue = { kind: "move"; glide: Glide; zone: string } | { kind: "hold" };

/** Which way a stroke goes: up/down when mostly vertical, else outward/inward from the midline. */
export function glideOf(g: Guidance): Glide {
  const { from, to } = g.stroke;
  const du = to.u - from.u, dv = to.v - from.v;
  // Face UV grows downward (v) and is split by the midline at u = 0.5.
  if (Math.abs(dv) >= Math.abs(du)) return dv < 0 ? "up" : "down";
  return Math.abs(to.u - 0.5) > Math.abs(from.u - 0.5) ? "outward" : "inward";
}

/** A cue's words: "Glide up: forehead", "Hold" (or the Spanish). */
export function cueText(cue: Cue, lang?: Language): string {
  if (cue.kind === "hold") return t("cue.hold", undefined, lang);
  return t("cue.move", {
    glide: t(`cue.glide-${cue.glide}`, undefined, lang),
    zone: zoneName(cue.zone, lang),
  }, lang);
}

/** The move cue of a step's guidance, in words. */
export function moveText(g: Guidance, lang?: Language): string {
  return cueText({ kind: "move", glide: glideOf(g), zone: g.targetZone }, lang);
}

/**
 * The cue a new guidance snapshot calls for, given the one before: a move at a new step and at each new pass of
 * the same step, a hold when a hold starts; null otherwise (and when no guided routine runs).
 */
export function deriveCue(prev: Guidance | null | undefined, next: Guidance | null | undefined): Cue | null {
  if (!next) return null;
  const move = (): Cue => ({ kind: "move", glide: glideOf(next), zone: next.targetZone });
  if (!prev || prev.stepIndex !== next.stepIndex || prev.stepId !== next.stepId) return move();
  if (prev.holdRemainingS <= 0 && next.holdRemainingS > 0) return { kind: "hold" };
  if (next.passesDone > prev.passesDone && next.passesDone < next.passes) return move();
  return null;
}
