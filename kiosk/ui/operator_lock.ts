/** The operator panel locks itself: when a session ends, and after OPERATOR_IDLE_MS without an operator action. */
import { lockOperator } from "./connection.ts";
import { isLiveSession, operator, sessionState } from "./state.ts";

/** An unlocked panel with no operator action for this long locks itself (the operator walked away). */
export const OPERATOR_IDLE_MS = 120_000;

let idleTimer: ReturnType<typeof setTimeout> | undefined;

function lockIfUnlocked(): void {
  clearTimeout(idleTimer);
  idleTimer = undefined;
  if (operator.peek().unlocked) lockOperator();
}

/**
 * Notes an operator action (a key, a tap or an edit inside the operator panel): the idle time starts over. Only the
 * panel counts: the next person tapping the session controls must not keep the operator's rights alive.
 */
export function operatorActed(): void {
  if (!operator.peek().unlocked) return;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(lockIfUnlocked, OPERATOR_IDLE_MS);
}

/** What an operator area spreads on its root (`<details {...OPERATOR_ACTIONS}>`): a tap, a key or an edit in it. */
export const OPERATOR_ACTIONS = {
  onPointerDown: operatorActed,
  onKeyDown: operatorActed,
  onInput: operatorActed,
} as const;

/** Starts watching (once, at page start): unlock starts the idle time; a session that ends locks the panel. */
export function watchOperatorLock(): void {
  let wasUnlocked = false;
  operator.subscribe(({ unlocked }) => {
    if (unlocked && !wasUnlocked) operatorActed();
    if (!unlocked) clearTimeout(idleTimer);
    wasUnlocked = unlocked;
  });
  let wasActive = false;
  sessionState.subscribe((state) => {
    // An estopped session is still live (`stopped`): the operator who came to reset it keeps the panel.
    const active = isLiveSession(state);
    // Ended by End, the engine, an abort or the time limit: the next person must not find the panel open.
    if (wasActive && !active) lockIfUnlocked();
    wasActive = active;
  });
}
