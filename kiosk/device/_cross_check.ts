/** Telemetry cross-check: is the measured current above what was commanded, beyond a tolerance? */

/** Options for CrossCheck. */
export interface CrossCheckOptions {
  /** Commands this much older than the previous telemetry still count (telemetry latency). Default 150 ms. */
  windowMs?: number;
  /** Absolute tolerance in µA. Default 10. */
  minToleranceUa?: number;
  /** Relative tolerance. Default 0.1 (10 %). */
  fraction?: number;
}

interface Command {
  t: number;
  ua: number;
  until: number;
}

/**
 * Remembers commands; a measurement above the highest command that may be behind it, plus tolerance, is a
 * fault. Telemetry arrives in order, so a frame received now was measured after the previous one was
 * received (minus latency): every command since then, and the window before it, may explain it.
 */
export class CrossCheck {
  readonly #windowMs: number;
  readonly #minTol: number;
  readonly #fraction: number;
  #commands: Command[] = [];

  constructor(options: CrossCheckOptions = {}) {
    this.#windowMs = options.windowMs ?? 150;
    this.#minTol = options.minToleranceUa ?? 10;
    this.#fraction = options.fraction ?? 0.1;
  }

  /** Records a command sent at t (µA, valid for validForMs). */
  commanded(t: number, ua: number, validForMs: number): void {
    this.#commands.push({ t, ua, until: t + validForMs });
    if (this.#commands.length > 2000) this.#commands.splice(0, 1000);
  }

  /** Highest current the device may have delivered between `from` (minus the window) and now. */
  bound(from: number): number {
    const start = from - this.#windowMs;
    let bound = 0;
    let before: Command | undefined;
    for (const c of this.#commands) {
      if (c.t >= start) bound = Math.max(bound, c.ua);
      else before = c;
    }
    if (before && before.until >= start) bound = Math.max(bound, before.ua);
    return bound;
  }

  /**
   * A reason when measuredUa exceeds the bound plus tolerance, else null. `from` is when the previous
   * telemetry arrived (the earliest moment this measurement can describe).
   */
  check(from: number, measuredUa: number): string | null {
    const bound = this.bound(from);
    const tolerance = Math.max(this.#minTol, bound * this.#fraction);
    if (measuredUa <= bound + tolerance) return null;
    return `overcurrent: measured ${measuredUa.toFixed(1)} µA, commanded at most ${bound.toFixed(1)} µA ` +
      `(tolerance ${tolerance.toFixed(1)} µA)`;
  }

  /** Drops commands older than `from` minus the window, keeping the one in effect then. */
  forget(from: number): void {
    const start = from - this.#windowMs;
    let i = 0;
    while (i + 1 < this.#commands.length && this.#commands[i + 1]!.t < start) i++;
    if (i > 0) this.#commands.splice(0, i);
  }

  /** Forgets every command (new connection). */
  reset(): void {
    this.#commands = [];
  }
}
