/** The hub's own control messages, answered without the engine: clock pings and operator elevation. */
import type { OperatorAuth } from "./operator_auth.ts";
import type { PageClock } from "./sockets.ts";

/** A reply to send, and whether it refused the message. */
export interface ControlReply {
  body: Record<string, unknown>;
  refused: boolean;
}

/** `{type:"clock", pageMs}` → notes the ping on the socket's page clock and answers with the server time. */
export function answerClock(raw: Record<string, unknown>, clock: PageClock, serverMs: number): ControlReply {
  const pageMs = raw.pageMs;
  if (typeof pageMs !== "number" || !Number.isFinite(pageMs) || pageMs < 0) {
    const message = `field "pageMs" must be a finite number ≥ 0, got ${JSON.stringify(pageMs)}`;
    return { refused: true, body: { type: "error", field: "pageMs", message, of: "clock" } };
  }
  clock.sync(pageMs, serverMs);
  return { refused: false, body: { type: "clock", pageMs, serverMs } };
}

/** The one reply to every refused PIN: wrong, or refused by a lock, read the same (no oracle). */
export const PIN_REFUSED =
  "operator PIN not accepted. After several wrong PINs the kiosk stops checking for a while; the recovery code is on the kiosk's terminal";

/** The reply while the kiosk cannot write its audit log: sign-in waits for records (no elevation unrecorded). */
export const PIN_UNRECORDED =
  "operator sign-in is unavailable: the kiosk cannot write its records now (see /api/health, store); free the disk or fix the store, then try again";

/**
 * `{type:"operator", pin}` → the ack that elevates the socket, or an error naming "pin". `key` is the socket's
 * own object (per-socket backoff). A value that is not 4..12 digits is refused as a field error, not a guess.
 */
export function answerOperator(
  raw: Record<string, unknown>,
  auth: OperatorAuth | undefined,
  state: string,
  key: object,
): ControlReply {
  const check = auth?.check(raw.pin, key);
  if (check?.ok) return { refused: false, body: { type: "ack", of: "operator", role: "operator", state } };
  const message = !check
    ? "no operator PIN is configured on this kiosk"
    : check.reason === "invalid"
    ? check.message
    : check.reason === "unrecorded"
    ? PIN_UNRECORDED
    : PIN_REFUSED;
  return { refused: true, body: { type: "error", field: "pin", message, of: "operator" } };
}
