/** The page's WebSocket to the kiosk: receives frames into signals, sends page messages, reconnects. */
import { connected, frame, type Hello, hello, lastError, probe, pushHistory } from "./state.ts";

let socket: WebSocket | null = null;

/** Sends one message to the kiosk; returns false when not connected. */
export function send(message: Record<string, unknown>): boolean {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  socket.send(JSON.stringify(message));
  return true;
}

/** Opens the socket to /ws on this page's host and keeps it open (retry every second). */
export function connect(
  url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`,
): void {
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => (connected.value = true);
  ws.onclose = () => {
    connected.value = false;
    setTimeout(() => connect(url), 1000);
  };
  ws.onmessage = (event) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(String(event.data));
    } catch {
      return;
    }
    switch (msg.type) {
      case "frame": {
        const f = msg.frame as typeof frame.value;
        if (f) pushHistory(f.currentUa);
        frame.value = f;
        probe.value = (msg.probe as typeof probe.value) ?? null;
        break;
      }
      case "hello":
        hello.value = msg as unknown as Hello;
        break;
      case "error":
        lastError.value = `${String(msg.field)}: ${String(msg.message)}`;
        break;
      case "ack":
        lastError.value = null;
        break;
    }
  };
}
