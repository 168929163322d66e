/**
 * Staff sign-in state kept by the dashboard process: sessions (random bearer tokens in an HttpOnly cookie, each with
 * its own CSRF token, expiring when idle and at a fixed age) and the rate limits on login attempts. In memory: a
 * restart signs everyone out, which is the safe direction.
 */
import { constantTimeEqualText } from "./password.ts";

/** A signed-in staff member. */
export interface StaffSession {
  login: string;
  /** The staff member's salon; null for chain staff. */
  salon: string | null;
  /** Sent back in X-CSRF-Token with every state-changing request. */
  csrf: string;
  createdAt: number;
  lastAt: number;
}

/** Options for createSessions. */
export interface SessionOptions {
  /** A session unused this long ends, ms. Default 30 min. */
  idleMs?: number;
  /** A session ends this long after sign-in whatever its use, ms. Default 12 h. */
  maxAgeMs?: number;
  /** Most sessions held at once (the oldest goes first). Default 10,000. */
  max?: number;
  /** Wall clock, epoch ms. Default Date.now. */
  now?: () => number;
}

/** The dashboard's sessions. */
export interface Sessions {
  /** Opens a session and returns its token (for the cookie) and the session. */
  open(login: string, salon: string | null): { token: string; session: StaffSession };
  /**
   * The live session of `token`, or null when unknown or expired. Its idle time restarts unless `touch` is false
   * (the page's own background polling must not keep an unattended session alive).
   */
  get(token: string | undefined, touch?: boolean): StaffSession | null;
  /** Ends the session of `token`. */
  close(token: string | undefined): void;
  /** Ends every session of `login` (a disabled account). */
  closeLogin(login: string): void;
  /** Whether `token` is `session`'s CSRF token (constant time). */
  csrfOk(session: StaffSession, token: string | undefined): boolean;
  readonly size: number;
  /** Session lifetime in seconds (the cookie's Max-Age). */
  readonly maxAgeS: number;
}

/** 32 random bytes, base64url. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Creates the session table. */
export function createSessions(options: SessionOptions = {}): Sessions {
  const idleMs = options.idleMs ?? 30 * 60_000;
  const maxAgeMs = options.maxAgeMs ?? 12 * 3_600_000;
  const max = options.max ?? 10_000;
  const now = options.now ?? Date.now;
  // Keyed by the token itself: lookups are a hash-map probe, not a comparison an attacker could time.
  const table = new Map<string, StaffSession>();
  const live = (s: StaffSession, t: number) => t - s.lastAt < idleMs && t - s.createdAt < maxAgeMs;

  return {
    open(login, salon) {
      const t = now();
      for (const [k, s] of table) if (!live(s, t)) table.delete(k);
      while (table.size >= max) table.delete(table.keys().next().value!);
      const token = randomToken();
      const session = { login, salon, csrf: randomToken(), createdAt: t, lastAt: t };
      table.set(token, session);
      return { token, session };
    },
    get(token, touch = true) {
      if (!token) return null;
      const s = table.get(token);
      if (!s) return null;
      const t = now();
      if (!live(s, t)) {
        table.delete(token);
        return null;
      }
      if (touch) s.lastAt = t;
      return s;
    },
    close(token) {
      if (token) table.delete(token);
    },
    closeLogin(login) {
      for (const [k, s] of table) if (s.login === login) table.delete(k);
    },
    csrfOk(session, token) {
      return typeof token === "string" && constantTimeEqualText(token, session.csrf);
    },
    get size() {
      return table.size;
    },
    maxAgeS: Math.floor(maxAgeMs / 1000),
  };
}

/** Options for createRateLimit. */
export interface RateLimitOptions {
  /** Attempts allowed per window. */
  max: number;
  /** Window length, ms. */
  windowMs: number;
  /** Keys remembered at most (the least recently hit key that is not held is forgotten first). Default 10,000. */
  keys?: number;
  now?: () => number;
}

/** A sliding-window counter per key (a login, an address). */
export interface RateLimit {
  /** 0 when `key` may try again now, else the ms until it may. */
  retryAfterMs(key: string): number;
  /** Counts one attempt by `key`. */
  hit(key: string): void;
  /** Forgets `key`'s attempts (a successful sign-in). */
  clear(key: string): void;
}

/** Creates a rate limit. */
export function createRateLimit(options: RateLimitOptions): RateLimit {
  const now = options.now ?? Date.now;
  const keys = options.keys ?? 10_000;
  const hits = new Map<string, number[]>();
  const recent = (key: string, t: number) => (hits.get(key) ?? []).filter((at) => t - at < options.windowMs);
  return {
    retryAfterMs(key) {
      const t = now();
      const list = recent(key, t);
      return list.length < options.max ? 0 : Math.max(1, options.windowMs - (t - list[0]!));
    },
    hit(key) {
      const t = now();
      const list = recent(key, t);
      list.push(t);
      hits.delete(key);
      hits.set(key, list.slice(-options.max));
      // Over the bound, a key that is not held goes first (the least recently hit, never the one just hit):
      // otherwise a flood of made-up logins would push a held login out of the table and give its guesser a fresh
      // window. Only a table of held keys drops its oldest one.
      while (hits.size > keys) {
        let drop = hits.keys().next().value!;
        for (const [k, at] of hits) {
          if (k !== key && at.filter((a) => t - a < options.windowMs).length < options.max) {
            drop = k;
            break;
          }
        }
        hits.delete(drop);
      }
    },
    clear(key) {
      hits.delete(key);
    },
  };
}
