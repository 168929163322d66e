/** The record types the store keeps and returns. */
/** A session row. Times are epoch milliseconds. */
export interface SessionRecord {
  id: string;
  routine: string;
  startedAt: number;
  endedAt: number | null;
  endReason: string | null;
  comfort: number | null;
  operatorCapUa: number | null;
  stimulationMs: number;
  maxCurrentUa: number;
}

/** A screening answer set with the consent that went with it. */
export interface ScreeningRecord {
  sessionId: string;
  recordedAt: number;
  answers: Record<string, boolean>;
  contraindicated: boolean;
  consent: boolean;
  consentBy: string | null;
}

/** One operator-audit entry (estop, reset, cap change, session start/end by an operator). */
export interface AuditEntry {
  at: number;
  action: string;
  actor: string;
  sessionId: string | null;
  detail: Record<string, unknown>;
}

/** Telemetry summarised over one session. */
export interface TelemetrySummary {
  sessionId: string;
  samples: number;
  contactSamples: number;
  meanImpedanceOhm: number | null;
  maxMeasuredUa: number;
  minBatteryPct: number | null;
  faults: string[];
}

/** Whether the last write reached the database; `since` (epoch ms) is the first failure of a failing spell. */
export type StoreHealth = { state: "ok" } | { state: "failing"; reason: string; since: number };

/** A session that a crash left open, as closed at the next start. */
export interface CrashedSession {
  id: string;
  /** The last checkpoint's time (or the start, if there was none): the record's end. */
  endedAt: number;
  stimulationMs: number;
  maxCurrentUa: number;
}

/** A session as the staff view lists it: the row plus whose it was (the profile's kind and name), if anyone's. */
export interface StationSession extends SessionRecord {
  profile: { id: string; kind: "home" | "walk-in"; name: string } | null;
}

/** An audit entry with its row id, the cursor for paging the log backwards. */
export interface NumberedAuditEntry extends AuditEntry {
  id: number;
}
