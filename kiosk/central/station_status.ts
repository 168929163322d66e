/**
 * What a station reports about itself with each central contact (stations.status, shown on the staff dashboard):
 * runner state, the engine's latch, the device's kind, connection and fault, and its outbox. Built small and bounded
 * on the station; read back field by field on the dashboard, where the row is outside input.
 */

/** Longest text kept in a status field (a fault message: FAULT_MAX); longer is cut, never refused. */
const TEXT_MAX = 40;
const FAULT_MAX = 160;
/** The JSON of a status stays under this many bytes, whatever the sink reports (property-tested). */
export const STATUS_MAX_BYTES = 2048;

/** A station's reported state. */
export type StationStatus = {
  /** The session runner's state ("idle", "running", "stopped"...). */
  state: string | null;
  /** What bounds the output on the last frame ("estop", "stale-tracking"...). */
  limit: string | null;
  /** The engine's latch: an emergency stop or device fault held until an operator reset. */
  latched: "estop" | "device-fault" | null;
  device: {
    /** "device-host" (USB or simulated hardware through a driver), or the sink's own kind. */
    kind: string | null;
    /** null when the sink does not say. */
    connected: boolean | null;
    /** The device host's state: connected, connecting, disconnected, fault. */
    state: string | null;
    model: string | null;
    /** The device side's latched fault, else its last fault. */
    fault: string | null;
    /** Whether `fault` holds the device's output off until an operator reset. */
    faultLatched: boolean | null;
  };
  /** Local record store: "ok" or "failing". */
  store: string | null;
  /** Records waiting to ship and the oldest one's age, as of the contact (null when not reported). */
  outbox: { pending: number; lagMs: number; parked: number } | null;
  /** How often the station contacts the central store when idle, ms (online = within 2× this). */
  heartbeatMs: number | null;
};

// Control characters would cost 6 bytes each in JSON; a cut surrogate pair is made whole (U+FFFD).
const text = (v: unknown, max = TEXT_MAX): string | null =>
  // deno-lint-ignore no-control-regex -- control characters are exactly what is replaced
  typeof v === "string" ? v.slice(0, max).replace(/[\u0000-\u001f\u007f]/g, " ").toWellFormed() : null;
const count = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.min(Math.round(v), 1e12) : null;
const record = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {};

/** What describeStation is built from: the runner, the sink's status, the records' and the outbox's health. */
export interface StationParts {
  state: string;
  /** The last frame's limit (every frame says estop or device-fault while the engine holds a latch). */
  limit: string | null;
  /** OutputSink.status(): its shape is the sink's own. */
  device: Record<string, unknown>;
  store: { state: string };
  outbox: { pending: number; lagMs: number; parked: number } | null;
  heartbeatMs: number;
}

/** Builds a station's status from its parts (station side); bounded whatever the sink reports. */
export function describeStation(parts: StationParts): StationStatus {
  return readStationStatus({
    state: parts.state,
    limit: parts.limit,
    latched: parts.limit === "estop" || parts.limit === "device-fault" ? parts.limit : null,
    device: deviceOf(parts.device),
    store: parts.store.state,
    outbox: parts.outbox,
    heartbeatMs: parts.heartbeatMs,
  });
}

function deviceOf(s: Record<string, unknown>): StationStatus["device"] {
  const state = text(s.state);
  const latched = text(s.latchedFault, FAULT_MAX);
  return {
    kind: text(s.kind),
    connected: typeof s.connected === "boolean" ? s.connected : state === null ? null : state === "connected",
    state,
    model: text(s.model),
    fault: latched ?? text(record(s.lastFault).reason, FAULT_MAX),
    faultLatched: "latchedFault" in s ? latched !== null : null,
  };
}

/**
 * Reads a status as stored centrally (dashboard side): each field checked and kept only when it has its type; an
 * old station's status, or `{}` from a station that has not reported, reads as nulls.
 */
export function readStationStatus(raw: unknown): StationStatus {
  const s = record(raw);
  const d = record(s.device);
  const o = record(s.outbox);
  const pending = count(o.pending), lagMs = count(o.lagMs), parked = count(o.parked);
  const heartbeat = count(s.heartbeatMs);
  return {
    state: text(s.state),
    limit: text(s.limit),
    latched: s.latched === "estop" || s.latched === "device-fault" ? s.latched : null,
    device: {
      kind: text(d.kind),
      connected: typeof d.connected === "boolean" ? d.connected : null,
      state: text(d.state),
      model: text(d.model),
      fault: text(d.fault, FAULT_MAX),
      faultLatched: typeof d.faultLatched === "boolean" ? d.faultLatched : null,
    },
    store: text(record(s.store).state ?? s.store),
    outbox: pending !== null && lagMs !== null ? { pending, lagMs, parked: parked ?? 0 } : null,
    heartbeatMs: heartbeat !== null && heartbeat >= 100 && heartbeat <= 3_600_000 ? heartbeat : null,
  };
}
