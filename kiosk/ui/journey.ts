/** Where the person is in the journey (attract → profile → onboarding → session → summary → history) and who they are. */
import { computed, signal } from "@preact/signals";
import { initialScreen } from "./idle.ts";
import { isLiveSession, sessionState } from "./state.ts";

/** The page's screens. "session" is the live mirror with its controls; a live session always shows it. */
export type Screen =
  | "attract"
  | "profiles"
  | "onboarding"
  | "session"
  | "summary"
  | "history"
  | "staff";

/** The screen the journey asked for; `shownScreen` is the one on view. A page opens on idle.ts's initialScreen. */
export const screen = signal<Screen>(initialScreen());

/** The screen on view: a live session (including one under a latched stop) always shows the mirror and its stop. */
export const shownScreen = computed<Screen>(() =>
  isLiveSession(sessionState.value) ? "session" : screen.value
);
