/** A fake monotonic clock with timers, for scheduler and runner tests (time never sleeps). */
import type { Clock } from "../../core/sdk/mod.ts";

/** A Clock whose time moves only when the test advances it. */
export interface FakeClock extends Clock {
  /** Moves time forward by ms, firing due timers in order (each at its due time plus `lateMs`). */
  advance(ms: number): void;
  /** Extra lateness applied when a timer fires (simulates a busy event loop). */
  lateMs: number;
  /** Moves time forward without firing timers (a blocked event loop). */
  block(ms: number): void;
  readonly pending: number;
}

/** Creates a fake clock starting at `start` ms. */
export function createFakeClock(start = 1000): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: FakeClock = {
    lateMs: 0,
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let firstId = -1;
        let first: { at: number; fn: () => void } | undefined;
        for (const [id, t] of timers) if (!first || t.at < first.at) [firstId, first] = [id, t];
        if (!first || first.at + clock.lateMs > end) break;
        timers.delete(firstId);
        now = Math.max(now, first.at + clock.lateMs);
        first.fn();
      }
      now = end;
    },
    block(ms) {
      now += ms;
    },
    get pending() {
      return timers.size;
    },
  };
  return clock;
}
