/** The fault matrix's stand-in for the kiosk page: a real WebSocket that starts a session and sends probe observations. */
import { CONTRAINDICATIONS } from "../../core/engine/mod.ts";

/** A cheek point inside the cheek-left treatment zone. */
export const CHEEK = { u: 0.277, v: 0.532 };

/** Screening answers with every contraindication answered "no". */
export const NO_CONTRAINDICATIONS: Record<string, boolean> = Object.fromEntries(
  CONTRAINDICATIONS.map((k) => [k, false]),
);

/** A connected page. */
export interface Page {
  /** Sends one page message. */
  send(message: unknown): void;
  /** Sends a located cheek probe every 40 ms (25 Hz, as the camera loop does) until stopProbes(). */
  startProbes(): void;
  /** The camera loop stops: no more probe messages. */
  stopProbes(): void;
  /** From now on every probe says "not located" (no point, confidence 0). */
  loseProbe(): void;
  /** Messages received of this type so far. */
  received(type: string): Record<string, unknown>[];
  /** Closes the socket and waits until it is closed. */
  close(): Promise<void>;
}

/** Opens a page socket to a kiosk at `url` (http://host:port/), with the kiosk page's own origin. */
export async function openPage(
  url: string,
  onFrame?: (frame: { currentUa: number; limit: string; state: string }) => void,
): Promise<Page> {
  const origin = url.replace(/\/$/, "");
  const ws = new WebSocket(origin.replace(/^http/, "ws") + "/ws", {
    headers: { origin },
  } as unknown as string[]);
  const inbox: Record<string, unknown>[] = [];
  ws.onmessage = (e) => {
    try {
      const m = JSON.parse(String(e.data));
      if (m.type === "frame") onFrame?.(m.frame);
      else inbox.push(m);
    } catch { /* not JSON: not ours to judge here */ }
  };
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`Cannot open a page socket to ${url}`));
  });
  const closed = new Promise((resolve) => (ws.onclose = resolve));
  let timer: ReturnType<typeof setInterval> | undefined;
  let located = true;
  const send = (m: unknown) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
  };
  const probe = () =>
    send(
      located
        ? { type: "probe", points: [CHEEK], confidence: 0.95 }
        : { type: "probe", points: [], confidence: 0 },
    );
  return {
    send,
    startProbes() {
      clearInterval(timer);
      probe();
      timer = setInterval(probe, 40);
    },
    stopProbes: () => clearInterval(timer),
    loseProbe: () => void (located = false),
    received: (type) => inbox.filter((m) => m.type === type),
    async close() {
      clearInterval(timer);
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
}
