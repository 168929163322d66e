/** Telemetry timing: when trusted telemetry last came, what a frame can describe, and when silence is a fault. */

// Telemetry frames closer together than this arrived as one backlog, not one by one.
const BURST_MS = 10;

/** What the watchdog should do now. */
export type WatchVerdict =
  | { kind: "ok"; ageMs: number; checkInMs: number }
  | { kind: "timeout"; ageMs: number; checkInMs: number }
  | { kind: "drop"; ageMs: number };

/** Tracks telemetry arrivals for one host (across connections). */
export class TelemetryWatch {
  /** When trusted telemetry last arrived (null before any). */
  lastAt: number | null = null;
  /** True between a timeout and the next telemetry. */
  stale = false;
  #connectedAt = 0;
  #from = 0;

  constructor(readonly timeoutMs: number, readonly dropMs: number) {}

  /** A connection became ready at now: it gets the full timeout before its first telemetry is missing. */
  connected(now: number): void {
    this.#connectedAt = now;
    this.stale = false;
  }

  /**
   * Records a trusted telemetry arrival and returns the earliest time that frame can describe. Frames
   * come in order, so it was measured after the previous one arrived; frames arriving together are a
   * backlog (after a stall or latency) and share the earlier frame's bound.
   */
  arrived(now: number): number {
    const prev = this.lastAt;
    const from = prev === null || prev < this.#connectedAt
      ? this.#connectedAt
      : now - prev < BURST_MS
      ? this.#from
      : prev;
    this.#from = from;
    this.lastAt = now;
    return from;
  }

  /** Checks silence at now; a timeout verdict is given once per silence (stale stays set until telemetry). */
  check(now: number): WatchVerdict {
    const since = Math.max(this.lastAt ?? 0, this.#connectedAt);
    const ageMs = now - since;
    if (ageMs > this.dropMs) return { kind: "drop", ageMs };
    const timedOut = ageMs > this.timeoutMs && !this.stale;
    if (timedOut) this.stale = true;
    const due = since + (this.stale ? this.dropMs : this.timeoutMs) + 1;
    return { kind: timedOut ? "timeout" : "ok", ageMs, checkInMs: Math.max(1, due - now) };
  }
}
