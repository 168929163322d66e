/** The record types the store keeps and returns. */
import type { SessionRow } from "../../core/session/mod.ts";

/** A session row: what every view of a session reads, and the start's settings. Times are epoch milliseconds. */
export interface SessionRecord extends SessionRow {
  comfort: number | null;
  operatorCapUa: number | null;
  /** Whose session it was (the profile selected at start), or null. Always present in what the store returns. */
  profileId?: string | null;
}

/** A screening answer set with the consent that went with it. */
export interface ScreeningRecord {
  sessionId: string;
  recordedAt: number;
  answers: Record<string, boolean>;
  contraindicated: boolean;
  consent: boolean;
  consentBy: string | null;
  /**
   * The session whose answers these are when a salon visit reused its screening (asked once per visit), or
   * null when they were asked for this session. Always present in what the store returns.
   */
  reusedFrom?: string | null;
}

/** Profile kinds: a person at a home mirror, or a salon client known by a walk-in code. */
export type ProfileKind = "home" | "walk-in";

/** One profile row. Times are epoch milliseconds. */
export interface ProfileRecord {
  id: string;
  kind: ProfileKind;
  /** Trimmed, 1..40 characters, unique per kind among profiles not deleted. A walk-in's name is its code. */
  name: string;
  language: "en" | "es";
  /** Treatment zone ids this person skips (never keep-outs: those are 0 µA for everyone). */
  exclusions: string[];
  /** The person's level ceiling 1..10, or null for none. */
  maxComfort: number | null;
  onboardedAt: number | null;
  createdAt: number;
  deletedAt: number | null;
}

/** What a profile is created with. */
export interface ProfileInput {
  id: string;
  kind: ProfileKind;
  name: string;
  language: "en" | "es";
  exclusions?: string[];
  maxComfort?: number | null;
  createdAt: number;
}

/** What a profile update may change (absent fields stay). */
export interface ProfilePatch {
  name?: string;
  language?: "en" | "es";
  exclusions?: string[];
  maxComfort?: number | null;
  onboardedAt?: number | null;
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
