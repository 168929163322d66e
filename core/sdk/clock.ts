/** The one clock interface: monotonic time and one-shot timers, injected so tests and simulations move time by hand. */

/**
 * Milliseconds and timers. The kiosk scheduler and runner, the device host, the plugin host and the
 * simulated devices all run on one; tests pass a manual clock instead of sleeping.
 */
export interface Clock {
  /** Monotonic milliseconds (only differences mean anything). */
  now(): number;
  /** Runs `fn` once after `ms`; the id is only for clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer; an unknown or fired id is ignored. */
  clearTimeout(id: unknown): void;
}

// performance.now() and the global timers exist in every host the code runs in (Deno, browsers, workers),
// so the real clock needs no platform branch.
/** The real clock: performance.now() and the host's timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as number),
};
