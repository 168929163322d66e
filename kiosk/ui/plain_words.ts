/** The engine's states and limits in the person's words ("Lift away from the eyes"), in the page's language; the raw values stay in data attributes and the operator view. */
import type { LimitReason, SessionState } from "../../core/engine/types.ts";
import { type Language, messagesFor } from "./i18n.ts";
import { SESSION } from "./i18n/session.ts";
import { zoneName } from "./i18n/zones.ts";

const t = messagesFor(SESSION);

const STATES: readonly SessionState[] = [
  "idle",
  "screening",
  "ready",
  "running",
  "paused",
  "stopped",
  "ended",
  "aborted",
];

/** A session state in plain words ("Running", "Finished"); an unknown one reads as not started. */
export function stateText(state: string | undefined, lang?: Language): string {
  const known = STATES.includes(state as SessionState) ? state as SessionState : "idle";
  return t(`state.${known}`, undefined, lang);
}

/** A limit that reads the same whatever follows it (no zone in the id). */
export type PlainLimit = Exclude<LimitReason, `${string}:${string}`>;

// Typed on the engine's LimitReason, and each read as `limit.<id>` from the catalogue: a new limit without words
// (or words without their catalogue key) fails `deno check`.
const PLAIN: Readonly<Record<PlainLimit, true>> = {
  "slew": true,
  "zone": true,
  "step": true,
  "operator-cap": true,
  "device-max": true,
  "ceiling": true,
  "off-face": true,
  "off-zone": true,
  "off-target": true,
  "not-located": true,
  "low-confidence": true,
  "no-contact": true,
  "stale-tracking": true,
  "estop": true,
  "device-fault": true,
  "screening": true,
  "session-time": true,
  "paused": true,
  "idle": true,
  "ended": true,
};

/** Every limit that reads the same whatever follows it. */
export const PLAIN_LIMITS = Object.keys(PLAIN) as readonly PlainLimit[];

/**
 * What bounds the output, as a reason the person can act on: a keep-out says what to move away from (both eyes
 * as "the eyes": which one hardly matters to someone lifting the probe), a personal exclusion names the area.
 */
export function limitText(limit: string | undefined, lang?: Language): string {
  if (limit === undefined) return t("limit.idle", undefined, lang);
  if (Object.hasOwn(PLAIN, limit)) return t(`limit.${limit as PlainLimit}`, undefined, lang);
  if (limit.startsWith("keep-out:")) {
    const zone = limit.slice("keep-out:".length);
    if (zone.startsWith("eye")) return t("limit.keep-out.eye", undefined, lang);
    if (zone === "lips") return t("limit.keep-out.lips", undefined, lang);
    if (zone === "neck-front") return t("limit.keep-out.neck-front", undefined, lang);
    return t("limit.keep-out", undefined, lang);
  }
  if (limit.startsWith("excluded:")) {
    return t("limit.excluded", { zone: zoneName(limit.slice("excluded:".length), lang) }, lang);
  }
  return t("limit.other", undefined, lang);
}
