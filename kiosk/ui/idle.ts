/** When the station goes back to its attract screen and forgets the person, as a pure step: screen and event in, screen out. */
import type { Screen } from "./journey.ts";

/** Quiet time (no tap, key or scroll) at a screen with no live session before the station returns to attract. */
export const IDLE_RETURN_MS = 180_000;

/** Where the journey stands: the screen it asked for, and whether a session is live (then the mirror shows). */
export interface JourneyAt {
  screen: Screen;
  live: boolean;
}

/** What happened at the station. */
export type IdleEvent =
  /** A tap, click or key on the attract screen; `registered` are the screens the page has (App.tsx SCREENS). */
  | { type: "touch"; registered: readonly Screen[] }
  /** `ms` without any input (a live session counts as input until it ends). */
  | { type: "quiet"; ms: number }
  /** The person closed their summary (or whatever screen ends their visit): the visit is over. */
  | { type: "visit-over" }
  /** A live session ended. */
  | { type: "session-ended" };

/** The screen to ask for, and whether to forget the person (profile, answers, chart, errors, summary). */
export interface IdleStep {
  screen: Screen;
  forget: boolean;
}

/** Options for idleStep. */
export interface IdleOptions {
  /** Quiet time before returning to attract. Default IDLE_RETURN_MS. */
  idleMs?: number;
}

/** The screen a freshly loaded page asks for: attract (a live session shows the mirror anyway, journey.ts). */
export function initialScreen(): Screen {
  return "attract";
}

/** Where a touch on the attract screen leads: choosing a profile where the page has that screen, else the session. */
export function screenAfterAttract(registered: readonly Screen[]): Screen {
  return registered.includes("profiles") ? "profiles" : "session";
}

/**
 * One step of the station's idle rules. A live session is never interrupted and nothing is forgotten while one
 * runs; every return to attract forgets the person. A session that ends while the journey is on attract (the page
 * was loaded mid-session) forgets too: its person must not be left for the next one.
 */
export function idleStep(at: JourneyAt, event: IdleEvent, options: IdleOptions = {}): IdleStep {
  const idleMs = options.idleMs ?? IDLE_RETURN_MS;
  const stay: IdleStep = { screen: at.screen, forget: false };
  const attract: IdleStep = { screen: "attract", forget: true };
  if (at.live) return stay;
  switch (event.type) {
    case "touch":
      return at.screen === "attract" ? { screen: screenAfterAttract(event.registered), forget: false } : stay;
    case "quiet":
      return at.screen !== "attract" && event.ms >= idleMs ? attract : stay;
    case "visit-over":
      return attract;
    case "session-ended":
      return at.screen === "attract" ? attract : stay;
  }
}
