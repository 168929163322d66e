/** Input checks and row mapping for the store (private to kiosk/store). */
import type { SQLInputValue } from "node:sqlite";
import type { AuditEntry, ScreeningRecord, SessionRecord, TelemetrySummary } from "./records.ts";

/** Session ids: short, URL- and log-safe. */
export const ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** Routine ids and audit actions: lowercase names. */
export const NAME = /^[a-z0-9][a-z0-9_.:-]{0,63}$/;
/** Screening answer keys (camelCase question ids such as "implantedElectronicDevice"). */
export const KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Throws a TypeError naming the bad field and value unless ok. */
export function need(ok: boolean, what: string, field: string, value: unknown): void {
  if (!ok) throw new TypeError(`Cannot ${what}: invalid ${field} ${JSON.stringify(value) ?? String(value)}`);
}
/** A non-negative integer millisecond time. */
export const isTime = (x: unknown) => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;
/** A finite number ≥ 0. */
export const isNonNeg = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x >= 0;
/** Null/undefined, or passes ok. */
export const isNullable = (x: unknown, ok: (x: unknown) => boolean) => x === null || x === undefined || ok(x);

/** A listing limit, 1..1000 (default 50). */
export function clampLimit(limit: number | undefined): number {
  const n = limit ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new RangeError(`Cannot list records: limit must be 1..1000, got ${n}`);
  }
  return n;
}

// A nullable column (one a migration added reads undefined on rows that predate it) as null or a value.
const numOrNull = (v: SQLInputValue | undefined) => v === null || v === undefined ? null : Number(v);
const textOrNull = (v: SQLInputValue | undefined) => v === null || v === undefined ? null : String(v);

/** A sessions row as a SessionRecord. */
export function toSession(r: Record<string, SQLInputValue>): SessionRecord {
  return {
    id: String(r.id),
    routine: String(r.routine),
    startedAt: Number(r.started_at),
    endedAt: numOrNull(r.ended_at),
    endReason: textOrNull(r.end_reason),
    comfort: numOrNull(r.comfort),
    operatorCapUa: numOrNull(r.operator_cap_ua),
    stimulationMs: Number(r.stimulation_ms),
    maxCurrentUa: Number(r.max_current_ua),
    profileId: textOrNull(r.profile_id),
  };
}

/** A screenings row as a ScreeningRecord. */
export function toScreening(r: Record<string, SQLInputValue>): ScreeningRecord {
  return {
    sessionId: String(r.session_id),
    recordedAt: Number(r.recorded_at),
    answers: JSON.parse(String(r.answers)),
    contraindicated: r.contraindicated === 1,
    consent: r.consent === 1,
    consentBy: textOrNull(r.consent_by),
    reusedFrom: textOrNull(r.reused_from),
  };
}

/** An audit_log row as an AuditEntry. */
export function toAudit(r: Record<string, SQLInputValue>): AuditEntry {
  return {
    at: Number(r.at),
    action: String(r.action),
    actor: String(r.actor),
    sessionId: textOrNull(r.session_id),
    detail: JSON.parse(String(r.detail)),
  };
}

/** A telemetry_summaries row as a TelemetrySummary. */
export function toTelemetry(r: Record<string, SQLInputValue>): TelemetrySummary {
  return {
    sessionId: String(r.session_id),
    samples: Number(r.samples),
    contactSamples: Number(r.contact_samples),
    meanImpedanceOhm: numOrNull(r.mean_impedance_ohm),
    maxMeasuredUa: Number(r.max_measured_ua),
    minBatteryPct: numOrNull(r.min_battery_pct),
    faults: JSON.parse(String(r.faults)),
  };
}
