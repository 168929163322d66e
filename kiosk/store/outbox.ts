/**
 * The station's outbox as its replicator sees it: the queue the store's triggers fill (schema step 4), read and
 * drained over a second connection to the same file on the same thread (node:sqlite is synchronous, so the two
 * never hold the file's write lock at once and the store's writes never meet a busy database).
 */
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { OUTBOX_BACKFILL } from "./_outbox_sql.ts";

/** One queued record change. `body` is the record as JSON text, exactly as the trigger built it. */
export interface OutboxRow {
  seq: number;
  kind: string;
  recordId: string;
  op: "upsert" | "delete";
  body: string;
  /** Epoch ms of the change (the newest change, when later ones were folded into the row). */
  queuedAt: number;
}

/** What is waiting. */
export interface OutboxStats {
  /** Rows queued and not parked. */
  pending: number;
  /** Rows kept out of the queue because they cannot be shipped (see `park`). */
  parked: number;
  /** queuedAt of the oldest pending row, or null. */
  oldestQueuedAt: number | null;
  /** Why the first parked row was parked, or null. */
  parkedReason: string | null;
}

/** The outbox of one store file. */
export interface Outbox {
  /** This database's id: local integer record ids are unique only within it. */
  readonly storeUid: string;
  /** Whether the store's writes queue records now. */
  readonly enabled: boolean;
  /** Switches queuing on; when it was off, queues every existing record too (one transaction). Returns that count. */
  enable(): number;
  /** Switches queuing off (what is queued stays). */
  disable(): void;
  /** The oldest `limit` pending rows in order; marks them in flight, so no later change is folded into them. */
  take(limit: number): OutboxRow[];
  /** Drops the pending rows up to `seq`: the central store has committed them. */
  ack(seq: number): void;
  /** Keeps a row that cannot be shipped out of the queue, with the reason; it stays in the file. */
  park(seq: number, reason: string): void;
  /** The highest seq this database ever gave a row (0 when none): seqs are never reused within one file. */
  highWater(): number;
  /**
   * Moves every row's seq (and every later one) above `floor`, order kept, in one transaction: a replaced database
   * continues the station's numbering instead of restarting below what the central store already has from it.
   * Returns the amount added (0 when every seq is already above `floor`).
   */
  continueAbove(floor: number): number;
  stats(): OutboxStats;
  dispose(): void;
}

/** Opens the outbox of the store file at `path` (a store opened by openStore, so the schema is current). */
export function openOutbox(path: string): Outbox {
  const db = new DatabaseSync(path);
  let storeUid: string;
  try {
    const state = db.prepare("SELECT store_uid FROM outbox_state WHERE id = 1").get() as
      | { store_uid: string }
      | undefined;
    if (!state) throw new TypeError("no outbox_state row");
    storeUid = state.store_uid;
  } catch (error) {
    db.close();
    throw new TypeError(
      `Cannot open outbox of "${path}": ${
        error instanceof Error ? error.message : error
      } (open the store first)`,
    );
  }
  const enabled = () =>
    (db.prepare("SELECT enabled FROM outbox_state WHERE id = 1").get() as { enabled: number }).enabled === 1;
  const highWater = () =>
    Number(
      (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").get() as
        | { seq: number }
        | undefined)
        ?.seq ?? 0,
    );
  const tx = <T>(fn: () => T): T => {
    db.exec("BEGIN IMMEDIATE");
    try {
      const out = fn();
      db.exec("COMMIT");
      return out;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  };

  return {
    storeUid,
    get enabled() {
      return enabled();
    },
    enable() {
      return tx(() => {
        if (enabled()) return 0;
        db.exec("UPDATE outbox_state SET enabled = 1 WHERE id = 1");
        let queued = 0;
        for (const sql of OUTBOX_BACKFILL) queued += Number(db.prepare(sql).run().changes);
        return queued;
      });
    },
    disable() {
      db.exec("UPDATE outbox_state SET enabled = 0 WHERE id = 1");
    },
    take(limit) {
      if (!Number.isSafeInteger(limit) || limit < 1) {
        throw new RangeError(`Cannot take from the outbox: limit must be a positive integer, got ${limit}`);
      }
      return tx(() => {
        const rows = db.prepare(
          "SELECT seq, kind, record_id, op, body, queued_at FROM outbox WHERE error IS NULL ORDER BY seq LIMIT ?",
        ).all(limit) as Record<string, SQLInputValue>[];
        const last = rows.at(-1);
        if (last) {
          db.prepare("UPDATE outbox_state SET sending_upto = max(sending_upto, ?) WHERE id = 1").run(
            Number(last.seq),
          );
        }
        return rows.map((r) => ({
          seq: Number(r.seq),
          kind: String(r.kind),
          recordId: String(r.record_id),
          op: r.op === "delete" ? "delete" as const : "upsert" as const,
          body: String(r.body),
          queuedAt: Number(r.queued_at),
        }));
      });
    },
    ack(seq) {
      db.prepare("DELETE FROM outbox WHERE seq <= ? AND error IS NULL").run(seq);
    },
    park(seq, reason) {
      db.prepare("UPDATE outbox SET error = ? WHERE seq = ?").run(reason.slice(0, 500), seq);
    },
    highWater,
    continueAbove(floor) {
      if (!Number.isSafeInteger(floor) || floor < 0) {
        throw new RangeError(`Cannot renumber the outbox: floor must be a whole number ≥ 0, got ${floor}`);
      }
      return tx(() => {
        const high = highWater();
        const low = (db.prepare("SELECT min(seq) AS low FROM outbox").get() as { low: number | null }).low;
        if (high > floor && (low === null || low > floor)) return 0;
        const add = Math.max(floor, high);
        // Adding at least the old highest seq keeps every new value above every old one: no key clash mid-update.
        db.prepare("UPDATE outbox SET seq = seq + ?").run(add);
        db.prepare("UPDATE outbox_state SET sending_upto = sending_upto + ? WHERE id = 1").run(add);
        const moved = Number(
          db.prepare("UPDATE sqlite_sequence SET seq = ? WHERE name = 'outbox'").run(high + add).changes,
        );
        if (moved === 0) {
          db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)").run(high + add);
        }
        return add;
      });
    },
    stats() {
      const r = db.prepare(
        `SELECT count(*) FILTER (WHERE error IS NULL) AS pending, count(*) FILTER (WHERE error IS NOT NULL) AS parked,
           min(queued_at) FILTER (WHERE error IS NULL) AS oldest,
           (SELECT error FROM outbox WHERE error IS NOT NULL ORDER BY seq LIMIT 1) AS reason FROM outbox`,
      ).get() as Record<string, SQLInputValue>;
      return {
        pending: Number(r.pending),
        parked: Number(r.parked),
        oldestQueuedAt: r.oldest === null ? null : Number(r.oldest),
        parkedReason: r.reason === null ? null : String(r.reason),
      };
    },
    dispose() {
      if (db.isOpen) db.close();
    },
  };
}
