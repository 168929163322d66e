/** The station's idle rules on the page (idle.ts decides): inputs and session ends in, the journey's screen out, and the person forgotten on every return to attract. */
import { batch } from "@preact/signals";
import { resetControls } from "./Controls.tsx";
import { lockOperator, send } from "./connection.ts";
import { cue } from "./cues.ts";
import { language } from "./i18n.ts";
import { IDLE_RETURN_MS, type IdleEvent, idleStep } from "./idle.ts";
import { type Screen, screen } from "./journey.ts";
import { clearStaff } from "./staff.ts";
import { clearHistory, hello, isLiveSession, lastError, operator, sessionState } from "./state.ts";

const forgetters = new Set<() => void>();

/**
 * Adds what an area must clear when the station forgets the person (its summary, its chart, its choices); returns
 * a function that removes it. Each area clears what it owns.
 */
export function onForget(clear: () => void): () => void {
  forgetters.add(clear);
  return () => void forgetters.delete(clear);
}

/**
 * Forgets the person at the station: the selected profile (`profile-leave`), screening answers and choices, the
 * chart, the last error, the coaching cue, the operator's rights and whatever areas added with onForget. The
 * latched stop is not the person's and stays (only an operator reset lifts it).
 */
export function forgetPerson(): void {
  batch(() => {
    // A kiosk that knows profiles says its station kind in the hello; an older one would refuse the message.
    if (hello.peek()?.station !== undefined) send({ type: "profile-leave" });
    resetControls();
    clearHistory();
    lastError.value = null;
    cue.value = null;
    clearStaff();
    language.value = "en";
    for (const clear of forgetters) {
      try {
        clear();
      } catch (error) {
        // One area failing to clear must not keep the others' data on screen.
        console.error("forgetting the person:", error);
      }
    }
  });
  if (operator.peek().unlocked) lockOperator();
}

let registered: readonly Screen[] = [];
let idleMs = IDLE_RETURN_MS;

function apply(event: IdleEvent): void {
  const step = idleStep({ screen: screen.peek(), live: isLiveSession(sessionState.peek()) }, event, {
    idleMs,
  });
  if (step.forget) forgetPerson();
  screen.value = step.screen;
}

/** A tap or key on the attract screen: on to choosing a profile (or the session, where the page has no chooser). */
export function leaveAttract(): void {
  apply({ type: "touch", registered });
}

/** The person's visit is over (they closed their summary): back to attract, forgetting them. */
export function visitOver(): void {
  apply({ type: "visit-over" });
}

/** Options for watchIdle. */
export interface WatchIdleOptions {
  /** The screens the page has (App.tsx SCREENS), for where a touch on attract leads. */
  registered: readonly Screen[];
  /** Quiet time before the return to attract. Default IDLE_RETURN_MS. */
  idleMs?: number;
}

const INPUTS = ["pointerdown", "keydown", "input", "wheel", "touchstart"] as const;

/**
 * Starts watching (once, at page start): any input, and a session's live time, keep the station awake; after
 * `idleMs` of quiet at a screen with no live session it returns to attract and forgets the person. Returns a
 * function that stops watching.
 */
export function watchIdle(options: WatchIdleOptions): () => void {
  registered = options.registered;
  idleMs = options.idleMs ?? IDLE_RETURN_MS;
  let lastInput = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const noteInput = () => void (lastInput = performance.now());
  // One timer, woken at most once per idleMs: inputs only move lastInput, the wake-up counts from there.
  const check = () => {
    const quiet = performance.now() - lastInput;
    if (quiet >= idleMs) apply({ type: "quiet", ms: quiet });
    timer = setTimeout(check, quiet >= idleMs ? idleMs : idleMs - quiet);
  };
  timer = setTimeout(check, idleMs);
  for (const type of INPUTS) document.addEventListener(type, noteInput, { capture: true, passive: true });
  let wasLive = isLiveSession(sessionState.peek());
  const stopState = sessionState.subscribe((state) => {
    const live = isLiveSession(state);
    // A session is activity: the quiet time starts when it ends, not when the person last touched the screen.
    if (live || wasLive) noteInput();
    if (wasLive && !live) apply({ type: "session-ended" });
    wasLive = live;
  });
  return () => {
    clearTimeout(timer);
    stopState();
    for (const type of INPUTS) document.removeEventListener(type, noteInput, { capture: true });
  };
}
