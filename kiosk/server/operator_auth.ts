/** The operator PIN: where it comes from, and the policy that elevates a page socket (backoff, global cap, recovery, audit). */
import { createHash, timingSafeEqual } from "node:crypto";

/** One audit row the policy asks for; the caller adds the time and the session. Never holds a PIN or code. */
export interface OperatorAuditEntry {
  action: "operator-pin-wrong" | "operator-lockout" | "operator-elevated" | "operator-pin-refused";
  actor: "page" | "operator";
  detail: Record<string, unknown>;
}

/** Options for createOperatorAuth; defaults are argued in docs/decisions.md ("Operator PIN (issue 7.3)"). */
export interface OperatorAuthOptions {
  /** Monotonic clock in ms. Default performance.now. */
  now?: () => number;
  /** Wrong PINs a socket may send before it has to wait (a tired operator's slips). Default 2. */
  freeTries?: number;
  /** The first wait of a socket, in ms; each further wrong PIN on it doubles it. Default 1 000. */
  socketWaitMs?: number;
  /** The longest wait of one socket, in ms. Default 300 000 (5 min). */
  socketMaxWaitMs?: number;
  /** Wrong PINs from all sockets together within `globalLockMs` that lock the PIN for everyone. Default 10. */
  globalMaxWrong?: number;
  /** How long the global lock lasts, fixed when it starts (attempts during it never extend it). Default 1 h. */
  globalLockMs?: number;
  /** Where audit rows go. Default none. A failed write of an elevation refuses the elevation. */
  audit?: (entry: OperatorAuditEntry) => void;
  /** Gets the recovery code minted at each global lock (for the kiosk's terminal and owner-only file). */
  onRecoveryCode?: (code: string) => void;
  /** Makes a recovery code (12 digits). Default crypto random. */
  newRecoveryCode?: () => string;
  /** Summary rows of refused attempts are written at most this often, in ms. Default 60 000. */
  summaryEveryMs?: number;
}

/** The outcome of one PIN check. `wrong` and the two locks get the same reply: no oracle. */
export type PinCheck =
  | { ok: true; via: "pin" | "recovery" }
  | { ok: false; reason: "invalid"; message: string }
  | { ok: false; reason: "wrong" | "socket-locked" | "global-locked" | "unrecorded" };

/** Checks operator PINs for page sockets. */
export interface OperatorAuth {
  /** Checks the `pin` a socket sent; `socket` is any object that stays the same for one connection. */
  check(pin: unknown, socket: object): PinCheck;
}

const PIN = /^[0-9]{4,12}$/;

/** Throws a TypeError naming OPERATOR_PIN unless `pin` is 4 to 12 digits. */
export function validatePin(pin: string, where = "OPERATOR_PIN"): string {
  if (!PIN.test(pin)) throw new TypeError(`${where} must be 4 to 12 digits, got ${pin.length} characters`);
  return pin;
}

/** `digits` random decimal digits (crypto random, leading zeros kept). */
function randomDigits(digits: number): string {
  const bytes = crypto.getRandomValues(new Uint32Array(digits));
  // 2^32 mod 10 = 6: the bias toward 0..5 is below 2e-9 per digit.
  return Array.from(bytes, (b) => String(b % 10)).join("");
}

/** A random 6-digit PIN (crypto random, leading zeros kept). */
export function generatePin(): string {
  return randomDigits(6);
}

/** Why a `pin` value is not a PIN at all (refused, not counted), or null when it is 4..12 digits. */
export function pinValueError(pin: unknown): string | null {
  if (typeof pin === "string" && PIN.test(pin)) return null;
  // The value itself is never echoed: it may be a PIN typed into the wrong place.
  const got = typeof pin === "string" ? `${pin.length} characters` : pin === null ? "null" : typeof pin;
  return `field "pin" must be a string of 4 to 12 digits, got ${got}`;
}

interface SocketState {
  id: number;
  wrong: number;
  lockedUntil: number;
}

// Digests of equal length, so the comparison's time tells nothing, not even the PIN's length.
const digest = (text: string) => createHash("sha256").update(text).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Creates the check for one PIN. Each socket gets `freeTries` wrong PINs, then waits `socketWaitMs`, doubling.
 * All sockets together get `globalMaxWrong` wrong PINs per `globalLockMs`; the last one locks the PIN for
 * everyone for `globalLockMs`, fixed. During that lock only the recovery code minted for it elevates.
 */
export function createOperatorAuth(pin: string, options: OperatorAuthOptions = {}): OperatorAuth {
  const expected = validatePin(pin, "operator PIN");
  const now = options.now ?? (() => performance.now());
  const freeTries = options.freeTries ?? 2;
  const waitMs = options.socketWaitMs ?? 1_000;
  const maxWaitMs = options.socketMaxWaitMs ?? 300_000;
  const globalMax = options.globalMaxWrong ?? 10;
  const globalLockMs = options.globalLockMs ?? 3_600_000;
  const summaryEveryMs = options.summaryEveryMs ?? 60_000;
  const newCode = options.newRecoveryCode ?? (() => randomDigits(12));
  const sockets = new WeakMap<object, SocketState>();
  let nextId = 1;
  /** Times of the wrong PINs that count toward the global cap (at most globalMax). */
  let recentWrong: number[] = [];
  let globalUntil = -Infinity;
  let recovery: string | null = null;
  let refused = 0;
  let summarisedAt = -Infinity;

  const audit = (entry: OperatorAuditEntry) => {
    if (refused > 0) {
      entry.detail = { ...entry.detail, refusedSinceLastRow: refused };
      refused = 0;
    }
    options.audit?.(entry);
  };
  /** Writes the row; false when the store refused it. */
  const tryAudit = (entry: OperatorAuditEntry): boolean => {
    try {
      audit(entry);
      return true;
    } catch (error) {
      console.error("operator auth: audit row not written:", error);
      return false;
    }
  };
  /** Attempts refused by a lock are counted, not written one by one: a flood must not fill the disk. */
  const refuse = (t: number, reason: "socket-locked" | "global-locked"): PinCheck => {
    refused++;
    if (t - summarisedAt >= summaryEveryMs) {
      summarisedAt = t;
      tryAudit({ action: "operator-pin-refused", actor: "page", detail: { while: reason } });
    }
    return { ok: false, reason };
  };
  const stateOf = (socket: object) => {
    let s = sockets.get(socket);
    if (!s) sockets.set(socket, s = { id: nextId++, wrong: 0, lockedUntil: -Infinity });
    return s;
  };
  /** After a wrong guess on a socket: from the (freeTries+1)th on, the socket waits, longer each time. */
  const socketWait = (s: SocketState, t: number, logged: boolean) => {
    if (s.wrong <= freeTries) return;
    const ms = Math.min(maxWaitMs, waitMs * 2 ** (s.wrong - freeTries - 1));
    s.lockedUntil = t + ms;
    if (logged) {
      tryAudit({ action: "operator-lockout", actor: "page", detail: { scope: "socket", socket: s.id, ms } });
    }
  };

  const elevate = (s: SocketState, via: "pin" | "recovery"): PinCheck => {
    try {
      audit({ action: "operator-elevated", actor: "operator", detail: { socket: s.id, via } });
    } catch (error) {
      // No elevation without its record. A wrong PIN whose row fails gets the same reply (no oracle).
      console.error("operator auth: elevation refused, its audit row was not written:", error);
      return { ok: false, reason: "unrecorded" };
    }
    s.wrong = 0;
    return { ok: true, via };
  };

  return {
    check(candidate, socket) {
      const invalid = pinValueError(candidate);
      if (invalid !== null) return { ok: false, reason: "invalid", message: invalid };
      const given = candidate as string;
      const t = now();
      const s = stateOf(socket);
      if (t < s.lockedUntil) return refuse(t, "socket-locked");
      if (t < globalUntil) {
        // Only the recovery code opens a global lock; the PIN is not even compared (no oracle).
        if (recovery !== null && same(given, recovery)) return elevate(s, "recovery");
        s.wrong++;
        socketWait(s, t, false);
        return refuse(t, "global-locked");
      }
      if (same(given, expected)) return elevate(s, "pin");
      s.wrong++;
      recentWrong = recentWrong.filter((at) => t - at < globalLockMs);
      recentWrong.push(t);
      const recorded = tryAudit({
        action: "operator-pin-wrong",
        actor: "page",
        detail: { socket: s.id, wrongOnSocket: s.wrong, wrongInWindow: recentWrong.length },
      });
      socketWait(s, t, true);
      if (recentWrong.length >= globalMax) {
        recentWrong = [];
        globalUntil = t + globalLockMs;
        recovery = newCode();
        tryAudit({
          action: "operator-lockout",
          actor: "page",
          detail: { scope: "global", ms: globalLockMs },
        });
        try {
          options.onRecoveryCode?.(recovery);
        } catch (error) {
          console.error("operator auth: recovery code not delivered:", error);
        }
      }
      // While records cannot be written, right and wrong PINs read alike: the operator is told why.
      return { ok: false, reason: recorded ? "wrong" : "unrecorded" };
    },
  };
}
