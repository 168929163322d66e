/** Schema migrations for the kiosk store, applied in order on open (PRAGMA user_version tracks them). */
import type { DatabaseSync } from "node:sqlite";
import { OUTBOX_MIGRATION } from "./_outbox_sql.ts";

/** Each entry moves the schema from version i to i + 1. Never edit a shipped entry; append. */
const migrations: readonly string[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    routine TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    end_reason TEXT,
    comfort INTEGER,
    operator_cap_ua REAL,
    stimulation_ms INTEGER NOT NULL DEFAULT 0,
    max_current_ua REAL NOT NULL DEFAULT 0
  );
  CREATE TABLE screenings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    recorded_at INTEGER NOT NULL,
    answers TEXT NOT NULL,
    contraindicated INTEGER NOT NULL,
    consent INTEGER NOT NULL,
    consent_by TEXT
  );
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    session_id TEXT,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE telemetry_summaries (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    samples INTEGER NOT NULL,
    contact_samples INTEGER NOT NULL,
    mean_impedance_ohm REAL,
    max_measured_ua REAL NOT NULL,
    min_battery_pct REAL,
    faults TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX sessions_started ON sessions(started_at);
  CREATE INDEX audit_at ON audit_log(at);
  `,
  // When the running totals were last checkpointed: the end time of a session a crash left open.
  `ALTER TABLE sessions ADD COLUMN checkpoint_at INTEGER;`,
  // Profiles (home: a person at the mirror; walk-in: a salon client by code), whose session it was, and the
  // session summary (time per zone, passes, current over time, coverage) written when it ends.
  `
  CREATE TABLE profiles (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('home', 'walk-in')),
    name TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
    exclusions TEXT NOT NULL DEFAULT '[]',
    max_comfort INTEGER CHECK (max_comfort IS NULL OR max_comfort BETWEEN 1 AND 10),
    onboarded_at INTEGER,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
  );
  CREATE UNIQUE INDEX profiles_name ON profiles(kind, name) WHERE deleted_at IS NULL;
  ALTER TABLE sessions ADD COLUMN profile_id TEXT REFERENCES profiles(id);
  CREATE INDEX sessions_profile ON sessions(profile_id, started_at);
  CREATE TABLE session_summaries (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id),
    summary TEXT NOT NULL
  );
  `,
  // A salon visit asks the screening once: a later session of the same visit records the same answers, marked
  // with the session they were first given for.
  `ALTER TABLE screenings ADD COLUMN reused_from TEXT;`,
  // The outbox (issue 10): each record write also queues the record for a central store, in the same transaction.
  OUTBOX_MIGRATION,
  // A walk-in's sessions at the salon's other stations, pulled from the central store on client-code entry and
  // kept per local profile, so "My history" shows them while the central store is unreachable. Never queued for
  // the central store (it is its copy).
  `
  CREATE TABLE central_history (
    profile_id TEXT PRIMARY KEY REFERENCES profiles(id),
    station_id TEXT NOT NULL,
    pulled_at INTEGER NOT NULL,
    sessions TEXT NOT NULL
  );
  `,
];

/** Brings the schema up to date, one transaction per step; refuses a database from a newer build. */
export function migrate(db: DatabaseSync): void {
  const row = db.prepare("PRAGMA user_version").get() as { user_version: number };
  const from = row.user_version;
  if (from > migrations.length) {
    throw new RangeError(
      `Cannot open store: schema version ${from} is newer than this build (${migrations.length})`,
    );
  }
  for (let v = from; v < migrations.length; v++) {
    db.exec("BEGIN");
    try {
      db.exec(migrations[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}
