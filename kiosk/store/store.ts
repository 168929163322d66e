/** The kiosk's persistent record (node:sqlite, WAL): sessions, screening and consent, audit log, telemetry. */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { migrate } from "./_migrations.ts";
import { clampLimit, ID, isNonNeg, isNullable, isTime, KEY, NAME, need, toSession } from "./_check.ts";

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

/** Options for openStore. */
export interface StoreOptions {
  /** Database file name inside the data folder. Default "glidepath.sqlite". */
  file?: string;
}

/** The open store. Every write validates its input first and runs in its own statement/transaction. */
export interface Store {
  /** Absolute path of the database file. */
  readonly path: string;
  startSession(session: Pick<SessionRecord, "id" | "routine" | "startedAt"> & Partial<SessionRecord>): void;
  /** Updates running totals (checkpoints) of an open session. */
  updateSession(id: string, totals: { stimulationMs: number; maxCurrentUa: number }): void;
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
  /** Closes the database. */
  dispose(): void;
}

/** Opens (creating and migrating as needed) the store in `dir`. */
export function openStore(dir: string, options: StoreOptions = {}): Store {
  const file = options.file ?? "glidepath.sqlite";
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
  migrate(db);

  const run = (sql: string, ...params: SQLInputValue[]) => db.prepare(sql).run(...params);
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

  return {
    path,
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
      if (all("SELECT 1 FROM sessions WHERE id = ?", s.id).length) {
        throw new TypeError(`Cannot start session "${s.id}": the id is already recorded`);
      }
      run(
        "INSERT INTO sessions (id, routine, started_at, comfort, operator_cap_ua) VALUES (?, ?, ?, ?, ?)",
        s.id,
        s.routine,
        s.startedAt,
        s.comfort ?? null,
        s.operatorCapUa ?? null,
      );
    },
    updateSession(id, totals) {
      const what = "update session";
      checkSessionId(id, what);
      need(isTime(Math.round(totals.stimulationMs)), what, "stimulationMs", totals.stimulationMs);
      need(isNonNeg(totals.maxCurrentUa), what, "maxCurrentUa", totals.maxCurrentUa);
      requireOpen(id, what);
      run(
        "UPDATE sessions SET stimulation_ms = ?, max_current_ua = ? WHERE id = ?",
        Math.round(totals.stimulationMs),
        totals.maxCurrentUa,
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
      run(
        "INSERT INTO screenings (session_id, recorded_at, answers, contraindicated, consent, consent_by) VALUES (?, ?, ?, ?, ?, ?)",
        r.sessionId,
        r.recordedAt,
        JSON.stringify(r.answers),
        r.contraindicated ? 1 : 0,
        r.consent ? 1 : 0,
        r.consentBy ?? null,
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
      return all("SELECT * FROM screenings WHERE session_id = ? ORDER BY id", sessionId).map((r) => ({
        sessionId: String(r.session_id),
        recordedAt: Number(r.recorded_at),
        answers: JSON.parse(String(r.answers)),
        contraindicated: r.contraindicated === 1,
        consent: r.consent === 1,
        consentBy: r.consent_by === null ? null : String(r.consent_by),
      }));
    },
    auditLog(o = {}) {
      return all("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", clampLimit(o.limit)).map((r) => ({
        at: Number(r.at),
        action: String(r.action),
        actor: String(r.actor),
        sessionId: r.session_id === null ? null : String(r.session_id),
        detail: JSON.parse(String(r.detail)),
      }));
    },
    telemetry(sessionId) {
      const r = all("SELECT * FROM telemetry_summaries WHERE session_id = ?", sessionId)[0];
      if (!r) return null;
      return {
        sessionId: String(r.session_id),
        samples: Number(r.samples),
        contactSamples: Number(r.contact_samples),
        meanImpedanceOhm: r.mean_impedance_ohm === null ? null : Number(r.mean_impedance_ohm),
        maxMeasuredUa: Number(r.max_measured_ua),
        minBatteryPct: r.min_battery_pct === null ? null : Number(r.min_battery_pct),
        faults: JSON.parse(String(r.faults)),
      };
    },
    dispose() {
      if (db.isOpen) db.close();
    },
  };
}
