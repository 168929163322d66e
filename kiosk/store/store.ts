/** The kiosk's persistent record (node:sqlite, WAL): sessions, screening and consent, audit log, telemetry. */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { join } from "node:path";
import { migrate } from "./_migrations.ts";
import { ownerOnlyDir, ownerOnlyFiles } from "./modes.ts";
import { closeCrashed } from "./_recover.ts";
import { createProfileStore, type ProfileStore } from "./_profiles.ts";
import { defaultZoneMap, type ZoneMap } from "../../core/zones/mod.ts";
import { type StoredSummary, summaryRecords } from "./_summaries.ts";
import type { SessionSummary } from "../../core/session/mod.ts";
import type {
  AuditEntry,
  CrashedSession,
  NumberedAuditEntry,
  ScreeningRecord,
  SessionRecord,
  StationSession,
  StoreHealth,
  TelemetrySummary,
} from "./records.ts";
import { auditPage, staffSessions } from "./_staff.ts";
import { type CachedHistory, centralCache } from "./_central_cache.ts";
import {
  clampLimit,
  ID,
  isNonNeg,
  isNullable,
  isTime,
  KEY,
  NAME,
  need,
  toAudit,
  toScreening,
  toSession,
  toTelemetry,
} from "./_check.ts";

/** Options for openStore. */
export interface StoreOptions {
  /** Database file name inside the data folder. Default "glidepath.sqlite". */
  file?: string;
  /**
   * Largest the database may grow, in bytes (SQLite `max_page_count`): past it a write that needs space fails
   * as on a full disk (a kiosk whose data folder shares the system disk can stop short of filling it).
   * Default: no limit but the disk.
   */
  maxBytes?: number;
  /** Wall clock (epoch ms) for the health's `since`. Default Date.now. */
  wallClock?: () => number;
  /** Zone map that profile exclusions are checked against (treatment zones only). Default: the shipped one. */
  zoneMap?: ZoneMap;
}

/** The open store. Every write validates its input first and runs in its own statement/transaction. */
export interface Store {
  /** Absolute path of the database file. */
  readonly path: string;
  startSession(session: Pick<SessionRecord, "id" | "routine" | "startedAt"> & Partial<SessionRecord>): void;
  /** Updates running totals (checkpoints) of an open session; `at` (epoch ms) ends it if the kiosk crashes. */
  updateSession(id: string, totals: { stimulationMs: number; maxCurrentUa: number; at?: number }): void;
  endSession(
    id: string,
    end: { endedAt: number; endReason: string; stimulationMs: number; maxCurrentUa: number },
  ): void;
  recordScreening(record: ScreeningRecord): void;
  audit(entry: Omit<AuditEntry, "detail" | "sessionId"> & Partial<AuditEntry>): void;
  recordTelemetry(summary: TelemetrySummary): void;
  session(id: string): SessionRecord | null;
  /** Most recent sessions first. */
  sessions(options?: { limit?: number }): SessionRecord[];
  screenings(sessionId: string): ScreeningRecord[];
  /** Most recent entries first. */
  auditLog(options?: { limit?: number }): AuditEntry[];
  telemetry(sessionId: string): TelemetrySummary | null;
  /** Sessions started in [from, to) (epoch ms), newest first, with whose they were; at most `limit` (≤ 1000, default 1000). */
  staffSessions(range: { from: number; to: number; limit?: number }): StationSession[];
  /** One page of the audit log, newest first: entries with an id below `before` (default: the newest); limit ≤ 200, default 25. */
  auditPage(options?: { before?: number; limit?: number }): NumberedAuditEntry[];
  /** Profiles: home people and salon walk-ins (schema v3). */
  readonly profiles: ProfileStore;
  /** Writes (or replaces) the summary of a recorded session (kiosk/store/_summaries.ts). */
  saveSummary(sessionId: string, summary: SessionSummary): void;
  /** A session with its profile and its checked summary, or null when there is no such session. */
  summary(sessionId: string): StoredSummary | null;
  /** A profile's sessions with their summaries, most recent first. */
  profileSessions(profileId: string, options?: { limit?: number }): StoredSummary[];
  /** Replaces a walk-in's cached sessions from the salon's other stations (kiosk/store/_central_cache.ts). */
  saveCentralHistory(profileId: string, history: CachedHistory): void;
  /** A walk-in's cached central history, or null when none was pulled. */
  centralHistory(profileId: string): CachedHistory | null;
  /**
   * Closes every session left open (a crash: no end written) as `crashed` at its last checkpoint, with an
   * audit entry each, in one transaction. Only the kiosk that owns the data folder calls this, at start.
   */
  closeCrashed(at: number): CrashedSession[];
  /** Whether writes reach the database now (see StoreHealth). */
  readonly health: StoreHealth;
  /** Closes the database. */
  dispose(): void;
}

/** Opens (creating and migrating as needed) the store in `dir`. */
export function openStore(dir: string, options: StoreOptions = {}): Store {
  const file = options.file ?? "glidepath.sqlite";
  const wall = options.wallClock ?? Date.now;
  if (options.maxBytes !== undefined && !(Number.isSafeInteger(options.maxBytes) && options.maxBytes > 0)) {
    throw new RangeError(`Cannot open store: maxBytes must be a positive integer, got ${options.maxBytes}`);
  }
  ownerOnlyDir(dir);
  const path = join(dir, file);
  const companions = [path, `${path}-wal`, `${path}-shm`];
  // SQLite gives the -wal and -shm files the database file's mode, so it is created 0600 before SQLite opens it.
  Deno.openSync(path, { create: true, write: true, mode: 0o600 }).close();
  ownerOnlyFiles(...companions);
  const db = new DatabaseSync(path);
  // No busy timeout: a locked database fails the write at once instead of stalling the 50 Hz tick.
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  migrate(db);
  ownerOnlyFiles(...companions);
  if (options.maxBytes !== undefined) {
    const { page_size } = db.prepare("PRAGMA page_size").get() as { page_size: number };
    db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(options.maxBytes / page_size))}`);
  }

  let health: StoreHealth = { state: "ok" };
  // Every write goes through here, so the health says whether the last one reached the database.
  const run = (sql: string, ...params: SQLInputValue[]) => {
    try {
      const result = db.prepare(sql).run(...params);
      health = { state: "ok" };
      return result;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      health = { state: "failing", reason, since: health.state === "failing" ? health.since : wall() };
      throw error;
    }
  };
  const all = (sql: string, ...params: SQLInputValue[]) =>
    db.prepare(sql).all(...params) as Record<string, SQLInputValue>[];

  function checkSessionId(id: unknown, what: string) {
    need(typeof id === "string" && ID.test(id), what, "session id", id);
  }
  function requireOpen(id: string, what: string) {
    const row = all("SELECT ended_at FROM sessions WHERE id = ?", id)[0];
    if (!row) throw new TypeError(`Cannot ${what}: no session "${id}"`);
    if (row.ended_at !== null) throw new TypeError(`Cannot ${what}: session "${id}" has already ended`);
  }

  const profiles = createProfileStore(db, run, options.zoneMap ?? defaultZoneMap);

  return {
    path,
    profiles,
    ...summaryRecords(db, run),
    ...centralCache(db, run),
    startSession(s) {
      const what = "start session";
      checkSessionId(s.id, what);
      need(typeof s.routine === "string" && NAME.test(s.routine), what, "routine", s.routine);
      need(isTime(s.startedAt), what, "startedAt", s.startedAt);
      need(
        isNullable(s.comfort, (x) => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 10),
        what,
        "comfort",
        s.comfort,
      );
      need(isNullable(s.operatorCapUa, isNonNeg), what, "operatorCapUa", s.operatorCapUa);
      need(
        isNullable(s.profileId, (x) => typeof x === "string" && ID.test(x)),
        what,
        "profileId",
        s.profileId,
      );
      if (all("SELECT 1 FROM sessions WHERE id = ?", s.id).length) {
        throw new TypeError(`Cannot start session "${s.id}": the id is already recorded`);
      }
      run(
        "INSERT INTO sessions (id, routine, started_at, comfort, operator_cap_ua, profile_id) VALUES (?, ?, ?, ?, ?, ?)",
        s.id,
        s.routine,
        s.startedAt,
        s.comfort ?? null,
        s.operatorCapUa ?? null,
        s.profileId ?? null,
      );
    },
    updateSession(id, totals) {
      const what = "update session";
      checkSessionId(id, what);
      need(isTime(Math.round(totals.stimulationMs)), what, "stimulationMs", totals.stimulationMs);
      need(isNonNeg(totals.maxCurrentUa), what, "maxCurrentUa", totals.maxCurrentUa);
      need(isNullable(totals.at, isTime), what, "at", totals.at);
      requireOpen(id, what);
      run(
        "UPDATE sessions SET stimulation_ms = ?, max_current_ua = ?, checkpoint_at = COALESCE(?, checkpoint_at) WHERE id = ?",
        Math.round(totals.stimulationMs),
        totals.maxCurrentUa,
        totals.at ?? null,
        id,
      );
    },
    endSession(id, end) {
      const what = "end session";
      checkSessionId(id, what);
      need(isTime(end.endedAt), what, "endedAt", end.endedAt);
      need(
        typeof end.endReason === "string" && end.endReason.length > 0 && end.endReason.length <= 64,
        what,
        "endReason",
        end.endReason,
      );
      need(isTime(Math.round(end.stimulationMs)), what, "stimulationMs", end.stimulationMs);
      need(isNonNeg(end.maxCurrentUa), what, "maxCurrentUa", end.maxCurrentUa);
      requireOpen(id, what);
      run(
        "UPDATE sessions SET ended_at = ?, end_reason = ?, stimulation_ms = ?, max_current_ua = ? WHERE id = ?",
        end.endedAt,
        end.endReason,
        Math.round(end.stimulationMs),
        end.maxCurrentUa,
        id,
      );
    },
    recordScreening(r) {
      const what = "record screening";
      checkSessionId(r.sessionId, what);
      need(isTime(r.recordedAt), what, "recordedAt", r.recordedAt);
      need(
        typeof r.answers === "object" && r.answers !== null && !Array.isArray(r.answers) &&
          Object.entries(r.answers).every(([k, v]) => KEY.test(k) && typeof v === "boolean"),
        what,
        "answers",
        r.answers,
      );
      need(typeof r.contraindicated === "boolean", what, "contraindicated", r.contraindicated);
      need(typeof r.consent === "boolean", what, "consent", r.consent);
      need(
        isNullable(r.consentBy, (x) => typeof x === "string" && x.length <= 128),
        what,
        "consentBy",
        r.consentBy,
      );
      need(
        isNullable(r.reusedFrom, (x) => typeof x === "string" && ID.test(x)),
        what,
        "reusedFrom",
        r.reusedFrom,
      );
      run(
        "INSERT INTO screenings (session_id, recorded_at, answers, contraindicated, consent, consent_by, reused_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
        r.sessionId,
        r.recordedAt,
        JSON.stringify(r.answers),
        r.contraindicated ? 1 : 0,
        r.consent ? 1 : 0,
        r.consentBy ?? null,
        r.reusedFrom ?? null,
      );
    },
    audit(e) {
      const what = "write audit entry";
      need(isTime(e.at), what, "at", e.at);
      need(typeof e.action === "string" && NAME.test(e.action), what, "action", e.action);
      need(typeof e.actor === "string" && e.actor.length > 0 && e.actor.length <= 64, what, "actor", e.actor);
      if (e.sessionId !== null && e.sessionId !== undefined) checkSessionId(e.sessionId, what);
      const detail = e.detail ?? {};
      need(typeof detail === "object" && detail !== null && !Array.isArray(detail), what, "detail", detail);
      run(
        "INSERT INTO audit_log (at, action, actor, session_id, detail) VALUES (?, ?, ?, ?, ?)",
        e.at,
        e.action,
        e.actor,
        e.sessionId ?? null,
        JSON.stringify(detail),
      );
    },
    recordTelemetry(s) {
      const what = "record telemetry";
      checkSessionId(s.sessionId, what);
      need(Number.isSafeInteger(s.samples) && s.samples >= 0, what, "samples", s.samples);
      need(
        Number.isSafeInteger(s.contactSamples) && s.contactSamples >= 0 && s.contactSamples <= s.samples,
        what,
        "contactSamples",
        s.contactSamples,
      );
      need(isNullable(s.meanImpedanceOhm, isNonNeg), what, "meanImpedanceOhm", s.meanImpedanceOhm);
      need(isNonNeg(s.maxMeasuredUa), what, "maxMeasuredUa", s.maxMeasuredUa);
      need(isNullable(s.minBatteryPct, isNonNeg), what, "minBatteryPct", s.minBatteryPct);
      need(Array.isArray(s.faults) && s.faults.every((f) => typeof f === "string"), what, "faults", s.faults);
      run(
        `INSERT INTO telemetry_summaries (session_id, samples, contact_samples, mean_impedance_ohm, max_measured_ua, min_battery_pct, faults)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(session_id) DO UPDATE SET samples = excluded.samples, contact_samples = excluded.contact_samples,
           mean_impedance_ohm = excluded.mean_impedance_ohm, max_measured_ua = excluded.max_measured_ua,
           min_battery_pct = excluded.min_battery_pct, faults = excluded.faults`,
        s.sessionId,
        s.samples,
        s.contactSamples,
        s.meanImpedanceOhm ?? null,
        s.maxMeasuredUa,
        s.minBatteryPct ?? null,
        JSON.stringify(s.faults),
      );
    },
    session(id) {
      const row = all("SELECT * FROM sessions WHERE id = ?", id)[0];
      return row ? toSession(row) : null;
    },
    sessions(o = {}) {
      return all("SELECT * FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT ?", clampLimit(o.limit))
        .map(toSession);
    },
    screenings(sessionId) {
      return all("SELECT * FROM screenings WHERE session_id = ? ORDER BY id", sessionId).map(toScreening);
    },
    auditLog(o = {}) {
      return all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", clampLimit(o.limit)).map(toAudit);
    },
    telemetry(sessionId) {
      const r = all("SELECT * FROM telemetry_summaries WHERE session_id = ?", sessionId)[0];
      return r ? toTelemetry(r) : null;
    },
    staffSessions: (range) => staffSessions(all, range),
    auditPage: (o = {}) => auditPage(all, o),
    closeCrashed(at) {
      need(isTime(at), "close crashed sessions", "at", at);
      return closeCrashed(db, run, at);
    },
    get health() {
      return health;
    },
    dispose() {
      if (db.isOpen) db.close();
    },
  };
}
