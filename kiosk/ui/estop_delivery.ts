/** Tracks whether an emergency stop reached the kiosk: not delivered → sent → confirmed by a frame; resent after a reconnect. */

/** Where the last emergency-stop press stands. */
export type EstopStatus =
  /** No press pending. */
  | "idle"
  /** Pressed, but the socket was down: it is sent as soon as the socket reopens. */
  | "undelivered"
  /** Sent; waiting for a frame that shows the stop (limit "estop"). */
  | "sent"
  /** A frame after the send showed limit "estop"; lasts until a frame shows the latch lifted. */
  | "delivered";

/** The frame fields the tracker reads. */
export interface EstopFrameView {
  currentUa: number;
  limit: string;
}

/** An estop tracker; `send` returns false when the message could not be written to an open socket. */
export interface EstopTracker {
  /** Current status. */
  readonly status: EstopStatus;
  /** The button was pressed: send now, or mark undelivered. */
  press(): void;
  /** The socket (re)opened: send a pending stop. */
  opened(): void;
  /** The socket closed: a stop not yet confirmed counts as undelivered and is resent on reconnect. */
  closed(): void;
  /** A frame arrived: confirms a sent stop when it shows it; a delivered one ends when the latch is lifted. */
  frame(frame: EstopFrameView): void;
  /** Forget the press (after an operator reset). */
  clear(): void;
}

/** Options for createEstopTracker. */
export interface EstopTrackerOptions {
  /** Called with the new status on every change. Default: nothing. */
  onChange?: (status: EstopStatus) => void;
}

/** Creates a tracker around `send` (writes `{type:"estop"}`, returns false when it could not). */
export function createEstopTracker(
  send: (message: Record<string, unknown>) => boolean,
  options: EstopTrackerOptions = {},
): EstopTracker {
  let status: EstopStatus = "idle";
  const set = (next: EstopStatus) => {
    if (next === status) return;
    status = next;
    options.onChange?.(next);
  };
  const trySend = () => set(send({ type: "estop" }) ? "sent" : "undelivered");
  return {
    get status() {
      return status;
    },
    press: trySend,
    opened() {
      if (status === "undelivered") trySend();
    },
    closed() {
      if (status === "sent") set("undelivered");
    },
    frame(f) {
      // The engine names the latch on every frame until a reset, so only limit "estop" confirms the stop (a
      // 0 µA frame may have left before it arrived), and a frame without it means someone reset it.
      if (status === "sent" && f.limit === "estop") set("delivered");
      else if (status === "delivered" && f.limit !== "estop") set("idle");
    },
    clear() {
      set("idle");
    },
  };
}

/** Reconnect delay after `attempt` failed tries: 250 ms doubling to 5 s; at most 500 ms while a stop waits to go out. */
export function reconnectDelayMs(attempt: number, estopWaiting: boolean): number {
  const delay = Math.min(5000, 250 * 2 ** Math.max(0, attempt));
  return estopWaiting ? Math.min(500, delay) : delay;
}
