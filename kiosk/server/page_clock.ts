/** Estimates a page's clock offset from its clock pings, so probe observations are aged from their capture. */

/** One page socket's clock estimate. */
export interface PageClock {
  /** Notes a ping: the page's clock read `pageMs` when it sent it, the server's read `serverMs` on arrival. */
  sync(pageMs: number, serverMs: number): void;
  /** True once at least one ping arrived. */
  readonly synced: boolean;
  /** A page time on the server clock, or null before the first ping. */
  toServer(pageMs: number): number | null;
}

/** Options for createPageClock. */
export interface PageClockOptions {
  /** How many recent pings the estimate uses. Default 16. */
  window?: number;
}

/**
 * Creates an estimate. offset = min over recent pings of (arrival − page send time): the true offset plus the
 * smallest one-way delay seen, so a capture is never made to look older than it is by more than that delay
 * (sub-millisecond on loopback), and a slow ping cannot skew it. Recent pings only, so clock drift is followed.
 */
export function createPageClock(options: PageClockOptions = {}): PageClock {
  const window = options.window ?? 16;
  const samples: number[] = [];
  let offset: number | null = null;
  return {
    sync(pageMs, serverMs) {
      samples.push(serverMs - pageMs);
      if (samples.length > window) samples.shift();
      offset = Math.min(...samples);
    },
    get synced() {
      return offset !== null;
    },
    toServer(pageMs) {
      return offset === null ? null : pageMs + offset;
    },
  };
}
