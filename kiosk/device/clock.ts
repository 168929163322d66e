/** The clock and timers the device host runs on; tests inject a manual one. */

/** Milliseconds and timers (the kiosk scheduler's clock and ManualClock both fit). */
export interface HostClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Wall clock: performance.now() and the runtime's timers. */
export const systemClock: HostClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as number),
};
