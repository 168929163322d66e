/** The operator PIN: where it comes from, and the check that elevates a page socket (with a lockout). */
import { timingSafeEqual } from "node:crypto";

/** Options for createOperatorAuth. */
export interface OperatorAuthOptions {
  /** Monotonic clock in ms. Default performance.now. */
  now?: () => number;
  /** Wrong PINs in a row (from any socket) before the lockout. Default 5. */
  maxTries?: number;
  /** How long every PIN is refused after too many wrong ones, in ms. Default 30 000. */
  lockoutMs?: number;
}

/** The outcome of one PIN check. */
export type PinCheck =
  | { ok: true }
  | { ok: false; reason: "wrong"; triesLeft: number }
  | { ok: false; reason: "locked"; retryInMs: number };

/** Checks operator PINs. */
export interface OperatorAuth {
  /** Checks a PIN; counts wrong ones; refuses all while locked out. */
  check(pin: unknown): PinCheck;
}

const PIN = /^[0-9]{4,12}$/;

/** Throws a TypeError naming OPERATOR_PIN unless `pin` is 4 to 12 digits. */
export function validatePin(pin: string, where = "OPERATOR_PIN"): string {
  if (!PIN.test(pin)) throw new TypeError(`${where} must be 4 to 12 digits, got ${pin.length} characters`);
  return pin;
}

/** A random 6-digit PIN (crypto random, leading zeros kept). */
export function generatePin(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
  return String(n).padStart(6, "0");
}

/** Creates the check for one PIN. Wrong tries count across sockets, so reconnecting does not reset them. */
export function createOperatorAuth(pin: string, options: OperatorAuthOptions = {}): OperatorAuth {
  const expected = new TextEncoder().encode(validatePin(pin, "operator PIN"));
  const now = options.now ?? (() => performance.now());
  const maxTries = options.maxTries ?? 5;
  const lockoutMs = options.lockoutMs ?? 30_000;
  let wrong = 0;
  let lockedUntil = -Infinity;
  return {
    check(candidate) {
      const t = now();
      if (t < lockedUntil) return { ok: false, reason: "locked", retryInMs: Math.ceil(lockedUntil - t) };
      const given = new TextEncoder().encode(typeof candidate === "string" ? candidate : "");
      const same = given.length === expected.length && timingSafeEqual(given, expected);
      if (same) {
        wrong = 0;
        return { ok: true };
      }
      if (++wrong >= maxTries) {
        wrong = 0;
        lockedUntil = t + lockoutMs;
        return { ok: false, reason: "locked", retryInMs: lockoutMs };
      }
      return { ok: false, reason: "wrong", triesLeft: maxTries - wrong };
    },
  };
}
