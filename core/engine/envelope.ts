/** The safety envelope's constants and its pure per-frame bound (DESIGN §3). */

/** Rule 1: absolute ceiling in µA, whatever the device, operator or zone say. */
export const HARD_CEILING_UA = 500;
/** Rule 4: the most the output may rise per second, in µA. */
const MAX_SLEW_UA_PER_S = 100;
/** Rule 5: the longest gap between probe observations before output stops, in ms. */
export const STALE_TRACKING_MS = 150;
/** Rule 2: the lowest tracking confidence at which a probe point counts as located. */
export const MIN_CONFIDENCE = 0.6;
/** Rule 7: total stimulation time per session, in ms. */
export const MAX_STIMULATION_MS = 20 * 60 * 1000;
/** Engine frame period (50 Hz) and how long the device may keep one frame, in ms. */
export const FRAME_MS = 20;
export const FRAME_VALID_MS = 100;

/** Rule 8: screening questions; a true answer to any of these (or to any other question) contraindicates. */
export const CONTRAINDICATIONS = [
  "implantedElectronicDevice",
  "pacemaker",
  "pregnancy",
  "epilepsy",
  "activeCancer",
  "under18",
  "brokenSkinOrRecentSurgeryOrFiller",
  "metalImplantsInFace",
] as const;

/** A named upper bound on the output. */
export interface Bound {
  ua: number;
  limit: "ceiling" | "device-max" | "operator-cap" | "zone" | "step";
}

/** Rule 1: the tightest of the named bounds (first listed wins a tie). */
export function tightestBound(bounds: readonly Bound[]): Bound {
  let best: Bound = { ua: HARD_CEILING_UA, limit: "ceiling" };
  for (const b of bounds) if (b.ua < best.ua) best = b;
  return best;
}

/** Rule 4: the next output given the previous one, the target and the elapsed time; decreases are immediate. */
export function slewLimited(
  previousUa: number,
  targetUa: number,
  elapsedMs: number,
): { ua: number; slewed: boolean } {
  if (targetUa <= previousUa) return { ua: targetUa, slewed: false };
  // Never more than one frame's worth of rise, even after a late frame.
  const rise = (MAX_SLEW_UA_PER_S * Math.min(Math.max(elapsedMs, 0), FRAME_MS)) / 1000;
  const allowed = previousUa + rise;
  if (targetUa <= allowed) return { ua: targetUa, slewed: false };
  return { ua: Math.floor(allowed * 1000) / 1000, slewed: true };
}

/** Rule 8: true when any screening answer is positive. */
export function isContraindicated(answers: Readonly<Record<string, boolean>>): boolean {
  return Object.values(answers).some((a) => a === true);
}
