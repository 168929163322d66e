/**
 * Outbox rows checked and turned into central rows (private to kiosk/central): per record kind, the central table,
 * its conflict key and each column's type and check. A row that fails names its field and is parked, not shipped.
 */
import type { OutboxRow } from "../store/mod.ts";

type Parse = (v: unknown) => unknown;
/** [central column, PostgreSQL type, body key, check-and-convert (throws a TypeError with no message to fill)]. */
type Column = readonly [string, string, string, Parse];

class Bad extends Error {}
const bad = (): never => {
  throw new Bad();
};
const text = (max: number): Parse => (v) =>
  typeof v === "string" && v.length > 0 && v.length <= max ? v : bad();
const orNull = (p: Parse): Parse => (v) => v === null ? null : p(v);
const time: Parse = (v) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? new Date(v).toISOString() : bad();
const int = (min: number, max: number): Parse => (v) =>
  typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max ? v : bad();
const num: Parse = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : bad();
const bool01: Parse = (v) => v === 0 || v === 1 ? v === 1 : bad();
const json = (shape: "object" | "array", maxChars = 256 * 1024): Parse => (v) => {
  if (typeof v !== "string" || v.length > maxChars) return bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return bad();
  }
  const ok = shape === "array"
    ? Array.isArray(parsed)
    : typeof parsed === "object" && parsed !== null && !Array.isArray(parsed);
  return ok ? parsed : bad();
};
const ID = text(64);
const MAX_INT = Number.MAX_SAFE_INTEGER;

/** A central table fed by one outbox kind. */
export interface Kind {
  kind: string;
  table: string;
  /** The conflict key (station_id and salon_id are filled by the server from the connected role). */
  key: readonly string[];
  /** The column the record id goes into, when the body does not carry it (integer-id records). */
  idColumn?: string;
  columns: readonly Column[];
  /** Rows from another station may replace this one's (a salon's profile): last writer wins. */
  shared?: boolean;
  /** A delete is applied (profiles: erasure). */
  deletes?: boolean;
}

/** The record kinds the station replicates, in the order a batch applies them. */
export const KINDS: readonly Kind[] = [
  {
    kind: "profile",
    table: "profiles",
    key: ["salon_id", "id"],
    shared: true,
    deletes: true,
    columns: [
      ["id", "text", "id", ID],
      ["kind", "text", "kind", (v) => v === "home" || v === "walk-in" ? v : bad()],
      ["name", "text", "name", text(128)],
      ["language", "text", "language", text(16)],
      ["exclusions", "jsonb", "exclusions", json("array")],
      ["max_comfort", "smallint", "maxComfort", orNull(int(1, 10))],
      ["onboarded_at", "timestamptz", "onboardedAt", orNull(time)],
      ["created_at", "timestamptz", "createdAt", time],
      ["deleted_at", "timestamptz", "deletedAt", orNull(time)],
    ],
  },
  {
    kind: "session",
    table: "sessions",
    key: ["station_id", "id"],
    columns: [
      ["id", "text", "id", ID],
      ["routine", "text", "routine", text(64)],
      ["started_at", "timestamptz", "startedAt", time],
      ["ended_at", "timestamptz", "endedAt", orNull(time)],
      ["end_reason", "text", "endReason", orNull(text(64))],
      ["comfort", "smallint", "comfort", orNull(int(1, 10))],
      ["operator_cap_ua", "real", "operatorCapUa", orNull(num)],
      ["stimulation_ms", "bigint", "stimulationMs", int(0, MAX_INT)],
      ["max_current_ua", "real", "maxCurrentUa", num],
      ["checkpoint_at", "timestamptz", "checkpointAt", orNull(time)],
      ["profile_id", "text", "profileId", orNull(ID)],
    ],
  },
  {
    kind: "screening",
    table: "screenings",
    key: ["station_id", "id"],
    idColumn: "id",
    columns: [
      ["session_id", "text", "sessionId", ID],
      ["recorded_at", "timestamptz", "recordedAt", time],
      ["answers", "jsonb", "answers", json("object")],
      ["contraindicated", "boolean", "contraindicated", bool01],
      ["consent", "boolean", "consent", bool01],
      ["consent_by", "text", "consentBy", orNull(text(128))],
      ["reused_from", "text", "reusedFrom", orNull(ID)],
    ],
  },
  {
    kind: "telemetry",
    table: "telemetry_summaries",
    key: ["station_id", "session_id"],
    columns: [
      ["session_id", "text", "sessionId", ID],
      ["samples", "integer", "samples", int(0, 2 ** 31 - 1)],
      ["contact_samples", "integer", "contactSamples", int(0, 2 ** 31 - 1)],
      ["mean_impedance_ohm", "real", "meanImpedanceOhm", orNull(num)],
      ["max_measured_ua", "real", "maxMeasuredUa", num],
      ["min_battery_pct", "real", "minBatteryPct", orNull(num)],
      ["faults", "jsonb", "faults", json("array")],
    ],
  },
  {
    kind: "session_summary",
    table: "session_summaries",
    key: ["station_id", "session_id"],
    columns: [
      ["session_id", "text", "sessionId", ID],
      ["summary", "jsonb", "summary", json("object", 1024 * 1024)],
    ],
  },
  {
    kind: "audit",
    table: "audit_log",
    key: ["station_id", "id"],
    idColumn: "id",
    columns: [
      ["at", "timestamptz", "at", time],
      ["action", "text", "action", text(64)],
      ["actor", "text", "actor", text(64)],
      ["session_id", "text", "sessionId", orNull(ID)],
      ["detail", "jsonb", "detail", json("object")],
    ],
  },
];

const BY_KIND = new Map(KINDS.map((k) => [k.kind, k]));
const RECORD_ID = /^[A-Za-z0-9_.:-]{1,96}$/;

/** A checked outbox row: its kind and the central row (null for a delete). */
export interface CentralRow {
  kind: Kind;
  recordId: string;
  seq: number;
  row: Record<string, unknown> | null;
}

/** Checks one outbox row; throws a TypeError naming the row and the field. */
export function toCentralRow(r: OutboxRow): CentralRow {
  const where = `Cannot ship outbox row ${r.seq}`;
  const kind = BY_KIND.get(r.kind);
  if (!kind) throw new TypeError(`${where}: invalid kind ${JSON.stringify(r.kind)}`);
  if (!RECORD_ID.test(r.recordId)) {
    throw new TypeError(`${where}: invalid record id ${JSON.stringify(r.recordId)}`);
  }
  if (r.op === "delete") {
    if (!kind.deletes) throw new TypeError(`${where}: invalid op "delete" for ${kind.kind}`);
    return { kind, recordId: r.recordId, seq: r.seq, row: null };
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(r.body);
  } catch {
    throw new TypeError(`${where} (${kind.kind} ${r.recordId}): invalid body (not JSON)`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new TypeError(`${where} (${kind.kind} ${r.recordId}): invalid body (not an object)`);
  }
  const row: Record<string, unknown> = {
    seq: r.seq,
    queued_at: new Date(r.queuedAt).toISOString(),
  };
  if (kind.idColumn) row[kind.idColumn] = r.recordId;
  for (const [column, , key, parse] of kind.columns) {
    try {
      row[column] = parse(body[key] === undefined ? null : body[key]);
    } catch (error) {
      if (!(error instanceof Bad)) throw error;
      const value = JSON.stringify(body[key]) ?? "undefined";
      throw new TypeError(
        `${where} (${kind.kind} ${r.recordId}): invalid ${key} ${
          value.length > 80 ? value.slice(0, 80) + "…" : value
        }`,
      );
    }
  }
  return { kind, recordId: r.recordId, seq: r.seq, row };
}

/** The upsert of one kind: rows come as one jsonb array parameter; an older (lower seq) state never wins. */
export function upsertSql(k: Kind): string {
  const cols = [
    ...k.columns.map((c) => [c[0], c[1]] as const),
    ...(k.idColumn ? [[k.idColumn, "text"] as const] : []),
  ]
    .filter((c, i, all) => all.findIndex((d) => d[0] === c[0]) === i);
  const names = [...cols.map((c) => c[0]), "seq", "queued_at"];
  const types = [...cols.map((c) => `${c[0]} ${c[1]}`), "seq bigint", "queued_at timestamptz"];
  const update = [
    ...names.filter((n) => !k.key.includes(n)).map((n) => `${n} = excluded.${n}`),
    "received_at = clock_timestamp()",
    ...(k.shared ? ["station_id = excluded.station_id"] : []),
  ];
  const newer = k.shared
    ? `t.seq < excluded.seq OR t.station_id <> excluded.station_id`
    : `t.seq < excluded.seq`;
  return `INSERT INTO glidepath.${k.table} AS t (${names.join(", ")})
    SELECT ${names.join(", ")} FROM jsonb_to_recordset($1::jsonb) AS r(${types.join(", ")})
    ON CONFLICT (${k.key.join(", ")}) DO UPDATE SET ${update.join(", ")} WHERE ${newer}`;
}

/** The delete of one kind's records by id (row-level security keeps it to the station's salon). */
export function deleteSql(k: Kind): string {
  return `DELETE FROM glidepath.${k.table} WHERE salon_id = (SELECT glidepath.my_salon())
    AND id IN (SELECT jsonb_array_elements_text($1::jsonb))`;
}
