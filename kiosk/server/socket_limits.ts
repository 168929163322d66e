/** Per-socket limits of the kiosk's WebSocket: message size, message rate, and the send backlog. */

/**
 * Largest message a page socket may send, in bytes on the wire. The socket server refuses a frame (or the sum
 * of a fragmented message's frames) over this from the frame header, before reading the payload, and closes
 * the socket with 1009 (kiosk/server/serve.ts).
 */
export const MAX_MESSAGE_BYTES = 16_384;

/** Default messages per second per socket (token bucket with a burst of the same size). */
export const DEFAULT_MESSAGES_PER_S = 240;

/** Default send backlog (bytes queued, not yet sent) above which nothing more is queued for a socket. */
export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024;

/** What a rate limit decides for one message. */
export interface Admission {
  /** The message may be handled. */
  ok: boolean;
  /** Refused, and the socket has not been told in the last second: send it one error now. */
  notify: boolean;
}

/** A token bucket for one socket's messages. */
export interface MessageBudget {
  /** Takes one message's token at time `t` (ms). */
  take(t: number): Admission;
}

/** A bucket of `perS` tokens refilled at `perS` per second; refusals are reported at most once per second. */
export function createMessageBudget(perS: number, t0: number): MessageBudget {
  if (!Number.isFinite(perS) || perS <= 0) {
    throw new RangeError(`Cannot limit messages: perS must be a number > 0, got ${perS}`);
  }
  let tokens = perS;
  let refilledAt = t0;
  let notifiedAt = -Infinity;
  return {
    take(t) {
      tokens = Math.min(perS, tokens + ((t - refilledAt) / 1000) * perS);
      refilledAt = t;
      if (tokens >= 1) {
        tokens -= 1;
        return { ok: true, notify: false };
      }
      if (t - notifiedAt < 1000) return { ok: false, notify: false };
      notifiedAt = t;
      return { ok: false, notify: true };
    },
  };
}

/** True when `bufferedAmount` says the peer is not reading: queue nothing more for it (frames, replies). */
export function isBacklogged(bufferedAmount: number | undefined, maxBufferedBytes: number): boolean {
  return (bufferedAmount ?? 0) > maxBufferedBytes;
}
