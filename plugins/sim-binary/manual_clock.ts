/** A manual clock with timers for simulations and tests: time moves only when told to. */
import type { Clock } from "@glidepath/sdk";

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Options for ManualClock. */
export interface ManualClockOptions {
  /** Start time in ms. Default 0. */
  startMs?: number;
}

// Lets promise chains woken by a timer run before the next timer fires: one message-channel turn
// (a macrotask not clamped like setTimeout(0)), then a burst of microtask turns, because once Node
// compatibility is active (e.g. after loading a native addon) Deno delivers channel messages
// before the microtask queue is drained.
async function flushTasks(): Promise<void> {
  if (typeof MessageChannel === "function") {
    await new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  } else await new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < 256; i++) await null;
}

/** Manual time: `advance` fires due timers synchronously; `run` also lets async work settle between them. */
export class ManualClock implements Clock {
  #now: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(options: ManualClockOptions = {}) {
    this.#now = options.startMs ?? 0;
  }

  /** Current time in ms. */
  now(): number {
    return this.#now;
  }

  /** Schedules fn after ms (≥ 0) of manual time. */
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  /** Cancels a timer; unknown ids are ignored. */
  clearTimeout(id: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== id);
  }

  /** Timers still waiting. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by ms, firing due timers in order (synchronously). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (let timer = this.#due(end); timer; timer = this.#due(end)) {
      this.#now = timer.at;
      timer.fn();
    }
    this.#now = end;
  }

  /** Moves time forward by ms, letting promise chains settle after every timer. */
  async run(ms: number): Promise<void> {
    const end = this.#now + ms;
    await flushTasks();
    for (let timer = this.#due(end); timer; timer = this.#due(end)) {
      this.#now = timer.at;
      timer.fn();
      await flushTasks();
    }
    this.#now = end;
    await flushTasks();
  }

  #due(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers) if (t.at <= end && (!best || t.at < best.at)) best = t;
    if (best) this.#timers = this.#timers.filter((t) => t !== best);
    return best;
  }
}
