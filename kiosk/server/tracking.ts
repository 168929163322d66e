/** The page's tracking reports ({type:"tracking"}) and observation ages, for /api/health `tracking`. */
import { FieldError } from "../../core/engine/mod.ts";

/** What /api/health shows under `tracking` while a page reports. */
export interface TrackingHealth {
  faceSeen: boolean;
  probeSeen: boolean;
  /** Camera frames the page processed per second. */
  fps: number;
  /** Milliseconds since the last probe observation reached the engine; null before the first. */
  lastObservationAgeMs: number | null;
}

/** Collects tracking reports and observation times. */
export interface TrackingMonitor {
  /** Handles a message if it is a tracking report: returns true (consumed) or throws FieldError naming the field. */
  offer(text: string): boolean;
  /** offer() for a message already parsed. */
  offerMessage(raw: Record<string, unknown>): boolean;
  /** Notes that a probe observation reached the engine. */
  observed(): void;
  /** Current tracking health; null when no page reported within `staleMs`. */
  snapshot(): TrackingHealth | null;
}

/** Options for createTrackingMonitor. */
export interface TrackingMonitorOptions {
  /** Monotonic clock in ms. Default performance.now. */
  now?: () => number;
  /** A report older than this no longer counts as a connected page. Default 3000. */
  staleMs?: number;
}

/** Creates a monitor. */
export function createTrackingMonitor(options: TrackingMonitorOptions = {}): TrackingMonitor {
  const now = options.now ?? (() => performance.now());
  const staleMs = options.staleMs ?? 3000;
  let last: { faceSeen: boolean; probeSeen: boolean; fps: number; at: number } | null = null;
  let observedAt: number | null = null;
  return {
    offer(text) {
      // Cheap test first: probe observations arrive at camera rate and must not be parsed twice.
      if (!text.includes('"tracking"')) return false;
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(text);
      } catch {
        return false;
      }
      return this.offerMessage(raw);
    },
    offerMessage(raw) {
      if (raw?.type !== "tracking") return false;
      for (const key of ["faceSeen", "probeSeen"] as const) {
        if (typeof raw[key] !== "boolean") {
          throw new FieldError(key, `field "${key}" must be a boolean, got ${JSON.stringify(raw[key])}`);
        }
      }
      const fps = raw.fps;
      if (typeof fps !== "number" || !Number.isFinite(fps) || fps < 0 || fps > 1000) {
        throw new FieldError("fps", `field "fps" must be a number 0..1000, got ${JSON.stringify(fps)}`);
      }
      last = { faceSeen: raw.faceSeen as boolean, probeSeen: raw.probeSeen as boolean, fps, at: now() };
      return true;
    },
    observed() {
      observedAt = now();
    },
    snapshot() {
      const t = now();
      if (!last || t - last.at > staleMs) return null;
      return {
        faceSeen: last.faceSeen,
        probeSeen: last.probeSeen,
        fps: last.fps,
        lastObservationAgeMs: observedAt === null ? null : Math.round(t - observedAt),
      };
    },
  };
}
