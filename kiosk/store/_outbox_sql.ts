/**
 * The outbox's SQL (private to kiosk/store): which record kinds are queued, the JSON each row becomes, the triggers
 * that queue them in the writing statement's own transaction, and the backfill that queues what exists.
 */

/** One replicated table: the outbox kind, its table, the record id and the JSON body built from a row `r`. */
interface Source {
  kind: string;
  table: string;
  /** SQL for the record id from row alias `r` (integer ids are made unique per database with its uid). */
  id: (r: string) => string;
  /** [json key, column] pairs; every value goes in as stored (JSON columns as text: the write path never parses). */
  fields: ReadonlyArray<readonly [string, string]>;
  /** Whether a delete is queued (as a tombstone). */
  deletes?: boolean;
}

const uid = "(SELECT store_uid FROM outbox_state)";

/** What is replicated, in the backfill's order (profiles before the sessions that name them). */
export const OUTBOX_SOURCES: readonly Source[] = [
  {
    kind: "profile",
    table: "profiles",
    id: (r) => `${r}.id`,
    deletes: true,
    fields: [
      ["id", "id"],
      ["kind", "kind"],
      ["name", "name"],
      ["language", "language"],
      ["exclusions", "exclusions"],
      ["maxComfort", "max_comfort"],
      ["onboardedAt", "onboarded_at"],
      ["createdAt", "created_at"],
      ["deletedAt", "deleted_at"],
    ],
  },
  {
    kind: "session",
    table: "sessions",
    id: (r) => `${r}.id`,
    fields: [
      ["id", "id"],
      ["routine", "routine"],
      ["startedAt", "started_at"],
      ["endedAt", "ended_at"],
      ["endReason", "end_reason"],
      ["comfort", "comfort"],
      ["operatorCapUa", "operator_cap_ua"],
      ["stimulationMs", "stimulation_ms"],
      ["maxCurrentUa", "max_current_ua"],
      ["checkpointAt", "checkpoint_at"],
      ["profileId", "profile_id"],
    ],
  },
  {
    kind: "screening",
    table: "screenings",
    id: (r) => `${uid} || ':' || ${r}.id`,
    fields: [
      ["sessionId", "session_id"],
      ["recordedAt", "recorded_at"],
      ["answers", "answers"],
      ["contraindicated", "contraindicated"],
      ["consent", "consent"],
      ["consentBy", "consent_by"],
      ["reusedFrom", "reused_from"],
    ],
  },
  {
    kind: "telemetry",
    table: "telemetry_summaries",
    id: (r) => `${r}.session_id`,
    fields: [
      ["sessionId", "session_id"],
      ["samples", "samples"],
      ["contactSamples", "contact_samples"],
      ["meanImpedanceOhm", "mean_impedance_ohm"],
      ["maxMeasuredUa", "max_measured_ua"],
      ["minBatteryPct", "min_battery_pct"],
      ["faults", "faults"],
    ],
  },
  {
    kind: "session_summary",
    table: "session_summaries",
    id: (r) => `${r}.session_id`,
    fields: [["sessionId", "session_id"], ["summary", "summary"]],
  },
  {
    kind: "audit",
    table: "audit_log",
    id: (r) => `${uid} || ':' || ${r}.id`,
    fields: [
      ["at", "at"],
      ["action", "action"],
      ["actor", "actor"],
      ["sessionId", "session_id"],
      ["detail", "detail"],
    ],
  },
];

const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";
const ON = "(SELECT enabled FROM outbox_state) = 1";

function body(s: Source, r: string): string {
  return `json_object(${s.fields.map(([k, c]) => `'${k}', ${r}.${c}`).join(", ")})`;
}

// The kinds whose rows describe one session (record id = session id): a checkpoint writes both, one after the
// other, so they fold together.
const SESSION_GROUP = "('session', 'telemetry')";

// This record's newest queued row, if it is not yet handed to the replicator and nothing was queued after it but
// rows of the same group (the record itself; for a session, its telemetry summary and vice versa): a change is
// folded into it (a session's checkpoint every 100 ms would otherwise queue 20 rows a second). Any other row
// queued after it keeps the order: the change becomes a new row.
function tail(s: Source): string {
  const id = s.id("NEW");
  const group = s.kind === "session" || s.kind === "telemetry"
    ? `x.kind IN ${SESSION_GROUP} AND x.record_id = ${id}`
    : `x.kind = '${s.kind}' AND x.record_id = ${id}`;
  return `SELECT o.seq FROM outbox AS o WHERE o.kind = '${s.kind}' AND o.record_id = ${id}
      AND o.seq = (SELECT max(seq) FROM outbox WHERE kind = '${s.kind}' AND record_id = ${id})
      AND o.op = 'upsert' AND o.error IS NULL AND o.seq > (SELECT sending_upto FROM outbox_state)
      AND NOT EXISTS (SELECT 1 FROM outbox AS x WHERE x.seq > o.seq AND NOT (${group}))`;
}

function triggers(s: Source): string {
  const ins = `INSERT INTO outbox (kind, record_id, op, body, queued_at)`;
  const out = [
    `CREATE TRIGGER outbox_${s.table}_insert AFTER INSERT ON ${s.table} WHEN ${ON} BEGIN
      ${ins} VALUES ('${s.kind}', ${s.id("NEW")}, 'upsert', ${body(s, "NEW")}, ${NOW_MS});
    END;`,
    `CREATE TRIGGER outbox_${s.table}_update AFTER UPDATE ON ${s.table} WHEN ${ON} BEGIN
      UPDATE outbox SET body = ${body(s, "NEW")}, queued_at = ${NOW_MS} WHERE seq IN (${tail(s)});
      ${ins} SELECT '${s.kind}', ${s.id("NEW")}, 'upsert', ${body(s, "NEW")}, ${NOW_MS}
        WHERE NOT EXISTS (${tail(s)});
    END;`,
  ];
  if (s.deletes) {
    out.push(`CREATE TRIGGER outbox_${s.table}_delete AFTER DELETE ON ${s.table} WHEN ${ON} BEGIN
      ${ins} VALUES ('${s.kind}', ${s.id("OLD")}, 'delete', '{}', ${NOW_MS});
    END;`);
  }
  return out.join("\n");
}

/**
 * Schema step 4: the outbox. Frozen once shipped (a change goes in a new migration). Queuing is off until a
 * central store is configured (`outbox_state.enabled`), so a station without one writes exactly what it did.
 */
export const OUTBOX_MIGRATION = `
  CREATE TABLE outbox_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    store_uid TEXT NOT NULL,
    sending_upto INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO outbox_state (id, store_uid) VALUES (1, lower(hex(randomblob(8))));
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    body TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    error TEXT
  );
  CREATE INDEX outbox_record ON outbox(kind, record_id, seq);
  ${OUTBOX_SOURCES.map(triggers).join("\n")}
`;

/** Queues every existing record (in OUTBOX_SOURCES order): run when queuing is switched on. */
export const OUTBOX_BACKFILL: readonly string[] = OUTBOX_SOURCES.map((s) =>
  `INSERT INTO outbox (kind, record_id, op, body, queued_at)
   SELECT '${s.kind}', ${s.id("r")}, 'upsert', ${
    body(s, "r")
  }, ${NOW_MS} FROM ${s.table} AS r ORDER BY r.rowid`
);
