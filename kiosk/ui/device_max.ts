/** The connected device's maximum current, for the gauges' full scale: read from /api/health at every hello. */
import { deviceMaxUa, hello } from "./state.ts";

/** `device.maxCurrentUa` of an /api/health answer, or null when it names none. */
export function readDeviceMax(health: unknown): number | null {
  const device = (health as { device?: { maxCurrentUa?: unknown } } | null)?.device;
  const max = device?.maxCurrentUa;
  return typeof max === "number" && Number.isFinite(max) && max > 0 ? max : null;
}

/**
 * Asks /api/health for the device's maximum whenever a hello arrives (each connect: the kiosk may have
 * restarted with another device). Returns a function that stops watching.
 */
export function watchDeviceMax(
  getHealth: () => Promise<unknown> = () => fetch("/api/health").then((r) => r.json()),
): () => void {
  return hello.subscribe((h) => {
    if (!h) return;
    getHealth().then((health) => (deviceMaxUa.value = readDeviceMax(health)), () => {});
  });
}
