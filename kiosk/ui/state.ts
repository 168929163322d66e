/** Page state: signals fed by the kiosk WebSocket, plus the current history ring for the chart. */
import { computed, signal } from "@preact/signals";
import { HARD_CEILING_UA } from "../../core/engine/envelope.ts";
import type { EngineFrame, UvPoint } from "../../core/engine/types.ts";
import type { EstopStatus } from "./estop_delivery.ts";

/** What the server says on connect. */
export interface Hello {
  version: string;
  /** The kiosk runs its demo (virtual probe, face photo). */
  demo: boolean;
  /** The device is simulated: the only case in which the demo scene may be used. */
  simulated: boolean;
  routines: { id: string; name: string; steps: number }[];
  /** A home mirror (profiles by name) or a salon station (walk-ins by client code); "home" unless the hello says salon. */
  station?: "home" | "salon";
}

/** True while the WebSocket is open. */
export const connected = signal(false);
/** Latest engine frame (updated at up to 50 Hz). */
export const frame = signal<EngineFrame | null>(null);
/** The session's state alone: changes rarely, so what shows it re-renders rarely. */
export const sessionState = computed(() => frame.value?.state ?? "idle");

/** A session is live (not idle, ended or aborted): `stopped` is a live session under a latched stop. */
export function isLiveSession(state: string | undefined): boolean {
  return state === "running" || state === "ready" || state === "paused" || state === "stopped";
}
/**
 * What holds output at 0 until an operator reset ("estop" or "device-fault"), or null. Read from the engine's
 * frame, whose limit names the latch on every frame while it is on, whatever the session state.
 */
export const latch = computed(() => {
  const limit = frame.value?.limit;
  return limit === "estop" || limit === "device-fault" ? limit : null;
});

/** Most updates a second of `displayFrame`. */
export const DISPLAY_HZ = 10;
/**
 * The engine frame for numbers and text on screen (current, zone, guidance): follows `frame` at most
 * DISPLAY_HZ times a second, the last frame always shown, and at once when the state, zone or limit changes. The page's thread also runs the face mesh, and 50
 * re-renders a second are more than anyone can read. Safety prompts and the test hook read `frame` itself.
 */
export const displayFrame = signal<EngineFrame | null>(null);
let displayedAt = -Infinity;
let displayTimer: ReturnType<typeof setTimeout> | undefined;
frame.subscribe((f) => {
  const now = performance.now(), gap = 1000 / DISPLAY_HZ;
  const shown = displayFrame.peek();
  // What bounds the output (estop, keep-out, no contact...) and the session state show at once; only the
  // numbers in between are held to DISPLAY_HZ.
  const changed = f?.limit !== shown?.limit || f?.state !== shown?.state || f?.zone !== shown?.zone;
  if (changed || now - displayedAt >= gap) {
    displayedAt = now;
    displayFrame.value = f;
  } else if (displayTimer === undefined) {
    displayTimer = setTimeout(() => {
      displayTimer = undefined;
      displayedAt = performance.now();
      displayFrame.value = frame.value;
    }, gap - (now - displayedAt));
  }
});
/** Latest probe points the engine accepted. */
export const probe = signal<UvPoint[] | null>(null);
/** The mirror found a face in its latest camera frame: the calibration's "face found" (set by the mirror). */
export const faceSeen = signal(false);
/**
 * The calibration's "probe seen": the engine has probe points while this page's mirror sees a face. The kiosk
 * keeps its last points until new ones come, so points alone may be old; with the mirror running they are fresh.
 */
export const probeSeen = computed(() => faceSeen.value && (probe.value?.length ?? 0) > 0);
/** Skin contact as the kiosk last heard it (frame message `contact`): on/off and the impedance in ohms. */
export const contact = signal<{ on: boolean; impedanceOhm: number | null } | null>(null);
/** The session's stimulation time and its limit in ms (frame message), for "time left"; null until known. */
export const stimulation = signal<{ ms: number; limitMs: number } | null>(null);
/** Server greeting. */
export const hello = signal<Hello | null>(null);
/** Last error the server replied with, shown to the operator. */
export const lastError = signal<string | null>(null);
/** Whether the demo scene may be used (only with a simulated device, as the hello says); null before the hello. */
export const demoAllowed = computed(() => hello.value === null ? null : hello.value.simulated);
/** Where the last emergency-stop press stands (see estop_delivery.ts). */
export const estopStatus = signal<EstopStatus>("idle");
/** Operator elevation of this page's socket: locked until the server accepts the PIN. */
export const operator = signal<{ unlocked: boolean; error: string | null }>({ unlocked: false, error: null });
/** Page clock minus server clock in ms, from the last clock ping (null before the first answer). */
export const clockOffsetMs = signal<number | null>(null);

/** The connected device's maximum current in µA (/api/health `device.maxCurrentUa`); null while unknown. */
export const deviceMaxUa = signal<number | null>(null);

/**
 * Full scale of the current gauges: the device's maximum, never above the hard ceiling (no output can exceed
 * either); the hard ceiling while the device is unknown or reports nonsense.
 */
export function gaugeScaleUa(deviceMax: number | null): number {
  return deviceMax !== null && Number.isFinite(deviceMax) && deviceMax > 0
    ? Math.min(HARD_CEILING_UA, deviceMax)
    : HARD_CEILING_UA;
}

/** gaugeScaleUa of the connected device, for the gauges. */
export const gaugeMaxUa = computed(() => gaugeScaleUa(deviceMaxUa.value));

/** Seconds of current history the chart shows. */
export const HISTORY_S = 20;
const SIZE = HISTORY_S * 50;

/** Ring buffer of recent frame currents (µA) for the chart; not a signal, the chart polls it per animation frame. */
export const history = { values: new Float32Array(SIZE), next: 0, count: 0 };

/** Empties the history ring: the chart starts blank for the next person. */
export function clearHistory(): void {
  history.values.fill(0);
  history.next = 0;
  history.count = 0;
}

/** Appends a frame's current to the history ring. */
export function pushHistory(ua: number): void {
  history.values[history.next] = ua;
  history.next = (history.next + 1) % SIZE;
  history.count = Math.min(SIZE, history.count + 1);
}
