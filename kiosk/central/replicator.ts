/**
 * The station's replicator: ships the outbox to the central PostgreSQL store on its own timer, one batch at a
 * time in outbox order, each batch one central transaction; drops a batch locally only after its commit returned
 * (at-least-once), and the central upserts by record id make a resend a no-op (exactly one row per record).
 * All waiting is asynchronous I/O; the synchronous part of a batch is a bounded SQLite read and delete.
 */
import postgres, { type Sql } from "postgres";
import { openOutbox, type Outbox, type OutboxRow } from "../store/mod.ts";
import { type CentralRow, deleteSql, KINDS, toCentralRow, upsertSql } from "./_records.ts";
import { CENTRAL_SCHEMA_VERSION } from "./schema.ts";
import { type CentralHistory, readClientHistory } from "./history.ts";
import type { CentralSetting } from "./settings.ts";

/** How often an idle station still contacts the central store by default, ms (the dashboard's online test). */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** Options for startReplicator. */
export interface ReplicatorOptions {
  /** Pause between batches when the outbox is empty, ms. Default 1000. */
  intervalMs?: number;
  /** Rows per batch (one central transaction). Default 500. */
  batchSize?: number;
  /** A batch (or a connect) not done in this long counts as failed and the connection is replaced, ms. Default 15000. */
  timeoutMs?: number;
  /** Longest pause between retries while the central store fails, ms. Default 30000. */
  maxBackoffMs?: number;
  /** With nothing to ship, the station still says it is alive this often, ms. Default 10000. */
  heartbeatMs?: number;
  /** CA certificate (PEM) for sslmode verify-ca/verify-full; the caller reads the setting's sslrootcert. */
  ca?: string;
  /** What the station reports with each contact (device and fault state, for a staff view). Default {}. */
  status?: () => Record<string, unknown>;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
  /** Wall clock (epoch ms). Default Date.now. */
  wallClock?: () => number;
}

/** Where replication stands (in /api/health as `central`). */
export interface CentralHealth {
  /** ok: the last contact worked; failing: the central store is unreachable or refused (records wait locally). */
  state: "starting" | "ok" | "failing";
  /** Server and role, password redacted. */
  server: string;
  /** Records waiting in the outbox. */
  pending: number;
  /** Rows that cannot be shipped (kept locally), and why the first was refused. */
  parked: number;
  parkedReason: string | null;
  /** Highest outbox seq the central store has committed. */
  shippedSeq: number;
  /** Epoch ms of the last successful contact, or null. */
  lastContactAt: number | null;
  /** How long the oldest waiting record has waited, ms (0 when none). */
  lagMs: number;
  /** While failing: since when (epoch ms) and why. */
  since?: number;
  reason?: string;
}

/** A running replicator. */
export interface Replicator {
  health(): CentralHealth;
  /**
   * A walk-in client's history as this station's salon has it centrally (over the replicator's connection, after
   * a batch in flight); rejects when the central store does not answer within the timeout.
   */
  clientHistory(code: string): Promise<CentralHistory>;
  /** Runs a read of the station's own (its plugin approvals pull) over the replicator's connection, within its timeout. */
  read<T>(query: (sql: Sql) => Promise<T>): Promise<T>;
  /** Contacts the central store now and ships until the outbox is empty or a batch fails; resolves with the rows shipped. */
  flush(): Promise<number>;
  /**
   * Stops the timer (after a last contact of at most `flushMs`, default 0), waits at most a second for a batch in
   * flight, closes the connection and the outbox. What was not shipped waits in the outbox for the next start.
   */
  stop(options?: { flushMs?: number }): Promise<void>;
}

/** Client options that leave nothing to the PG* environment variables (the kiosk reads the environment once). */
export function clientOptions(
  setting: CentralSetting,
  ca?: string,
  timeoutMs = 15_000,
): postgres.Options<never> {
  const ssl = setting.sslmode === "disable" ? false : setting.sslmode === "require" ? "require" as const : {
    rejectUnauthorized: true,
    ...(ca ? { ca } : {}),
    // verify-ca: the chain is checked, the name is not; verify-full checks the name against the URL's host.
    ...(setting.sslmode === "verify-ca" ? { checkServerIdentity: () => undefined } : { host: setting.host }),
  };
  return {
    ssl,
    max: 1,
    connect_timeout: Math.max(1, Math.ceil(timeoutMs / 1000)),
    idle_timeout: 0,
    max_lifetime: null,
    keep_alive: 30,
    prepare: true,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: "glidepath-station" },
  } as postgres.Options<never>;
}

class Timeout extends Error {}
/** The station's row names another database: this one is its replacement (its seqs restarted). */
class Replaced extends Error {
  constructor(readonly shippedSeq: number) {
    super("replaced database");
  }
}

/** Waits for `p`, but at most `ms`. */
async function within(ms: number, p: Promise<unknown>): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p.catch(() => {}), new Promise((r) => t = setTimeout(r, ms))]);
  clearTimeout(t);
}

/** Switches the store's outbox on and starts shipping it to `setting`'s server. */
export function startReplicator(
  storePath: string,
  setting: CentralSetting,
  options: ReplicatorOptions = {},
): Replicator {
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? 500;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const log = options.log ?? ((line: string) => console.log(line));
  const wall = options.wallClock ?? Date.now;
  const status = options.status ?? (() => ({}));

  const outbox: Outbox = openOutbox(storePath);
  const queued = outbox.enable();
  if (queued > 0) log(`central: queued ${queued} existing records for ${setting.redacted}`);

  let sql: Sql = postgres(setting.url, clientOptions(setting, options.ca, timeoutMs));
  let state: CentralHealth["state"] = "starting";
  let since: number | undefined;
  let reason: string | undefined;
  let failures = 0;
  let shippedSeq = 0;
  let lastContactAt: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<number> | null = null;
  let stopped = false;
  let closed = false;
  // Whether this database was checked against the one the central store last heard from (once per start).
  let sameStore = false;

  /** One central transaction: who we are (and that the schema is new enough), then each kind's rows. */
  async function send(rows: CentralRow[], upto: number): Promise<void> {
    await sql.begin(async (tx) => {
      if (!sameStore) {
        const [was] = await tx`SELECT store_uid, shipped_seq FROM glidepath.stations WHERE role = current_user
          FOR UPDATE`;
        if (was?.store_uid && was.store_uid !== outbox.storeUid) throw new Replaced(Number(was.shipped_seq));
      }
      const [me] = await tx`
        UPDATE glidepath.stations SET last_seen_at = now(), shipped_seq = greatest(shipped_seq, ${upto}),
          store_uid = ${outbox.storeUid}, status = ${tx.json(status() as postgres.JSONValue)}
        WHERE role = current_user
        RETURNING id, (SELECT max(version) FROM glidepath.migrations) AS version`;
      if (!me) throw new TypeError(`role "${setting.user}" is not a registered station`);
      if (Number(me.version) < CENTRAL_SCHEMA_VERSION) {
        throw new TypeError(
          `the central schema is version ${me.version}, this station needs ${CENTRAL_SCHEMA_VERSION} (deno task central migrate)`,
        );
      }
      for (const kind of KINDS) {
        const mine = rows.filter((r) => r.kind === kind);
        const upserts = mine.filter((r) => r.row !== null).map((r) => r.row!);
        const deletes = mine.filter((r) => r.row === null).map((r) => r.recordId);
        if (upserts.length) await tx.unsafe(upsertSql(kind), [tx.json(upserts as postgres.JSONValue)]);
        if (deletes.length) await tx.unsafe(deleteSql(kind), [tx.json(deletes)]);
      }
    });
  }

  /** The batch's rows checked (a bad one parked with its reason) and folded to the newest change per record. */
  function prepare(taken: OutboxRow[]): CentralRow[] {
    const latest = new Map<string, CentralRow>();
    for (const r of taken) {
      try {
        const row = toCentralRow(r);
        latest.delete(`${r.kind} ${r.recordId}`); // re-insert: a Map keeps insertion order
        latest.set(`${r.kind} ${r.recordId}`, row);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outbox.park(r.seq, message);
        log(`central: ${message}; kept locally, not shipped`);
      }
    }
    return [...latest.values()];
  }

  function withTimeout<T>(p: Promise<T>): Promise<T> {
    let t: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<never>((_, reject) => {
      t = setTimeout(() => reject(new Timeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([p, limit]).finally(() => clearTimeout(t));
  }

  /** Ships batches until the outbox is empty; throws on the first failure. */
  async function drain(contact = false): Promise<number> {
    let shipped = 0;
    while (!stopped) {
      const taken = outbox.take(batchSize);
      const due = contact || lastContactAt === null || wall() - lastContactAt >= heartbeatMs;
      contact = false;
      if (taken.length === 0 && !due) break;
      const rows = prepare(taken);
      const upto = taken.at(-1)?.seq ?? shippedSeq;
      try {
        await withTimeout(send(rows, upto));
      } catch (error) {
        if (!(error instanceof Replaced)) throw error;
        // Seqs order one station's rows centrally (an older one never wins): a new database continues above the
        // old one's instead of restarting at 1, where its rows would lose to the old database's.
        const added = outbox.continueAbove(error.shippedSeq);
        log(
          `central: this database replaces the one the central store knew (seq ${error.shippedSeq}); seqs +${added}`,
        );
        sameStore = contact = true;
        continue;
      }
      sameStore = true;
      if (closed) break; // stopped while in flight: the next start resends, which changes nothing
      if (taken.length) outbox.ack(upto);
      shippedSeq = Math.max(shippedSeq, upto);
      shipped += taken.length;
      lastContactAt = wall();
      if (state !== "ok") {
        const down = since === undefined ? "" : ` after ${((wall() - since) / 1000).toFixed(1)} s`;
        log(`central: connected to ${setting.redacted}${down}`);
      }
      state = "ok";
      since = reason = undefined;
      failures = 0;
      if (taken.length < batchSize) break;
      // A long backlog: let the kiosk's timers run between batches.
      await new Promise((r) => setTimeout(r, 0));
    }
    return shipped;
  }

  function failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    failures++;
    if (state !== "failing") {
      log(`central: ${setting.redacted} unavailable (${message}); records wait in the outbox`);
      since = wall();
    }
    state = "failing";
    reason = message;
    if (error instanceof Timeout) {
      // A hung connection (a silent network) is dropped; the next batch connects afresh.
      const old = sql;
      sql = postgres(setting.url, clientOptions(setting, options.ca, timeoutMs));
      old.end({ timeout: 0 }).catch(() => {});
    }
  }

  function run(contact = false): Promise<number> {
    running ??= drain(contact).catch((error) => {
      failed(error);
      return 0;
    }).finally(() => running = null);
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    const delay = state === "failing"
      ? Math.min(maxBackoffMs, Math.max(intervalMs, 500 * 2 ** failures))
      : intervalMs;
    timer = setTimeout(() => run().finally(schedule), delay);
    // The replicator alone never keeps a process alive (the kiosk's server does; a test that failed must exit).
    Deno.unrefTimer(timer);
  }
  timer = setTimeout(() => run().finally(schedule), 0);
  Deno.unrefTimer(timer);

  return {
    health() {
      const s = outbox.stats();
      return {
        state,
        server: setting.redacted,
        pending: s.pending,
        parked: s.parked,
        parkedReason: s.parkedReason,
        shippedSeq,
        lastContactAt,
        lagMs: s.oldestQueuedAt === null ? 0 : Math.max(0, wall() - s.oldestQueuedAt),
        ...(since !== undefined ? { since, reason } : {}),
      };
    },
    clientHistory(code) {
      return withTimeout(readClientHistory(sql, code));
    },
    read(query) {
      return withTimeout(query(sql));
    },
    async flush() {
      await running;
      return stopped ? 0 : await run(true);
    },
    async stop({ flushMs = 0 } = {}) {
      if (stopped) return;
      if (flushMs > 0) await within(flushMs, this.flush());
      stopped = true;
      clearTimeout(timer);
      await within(1000, running ?? Promise.resolve(0));
      closed = true;
      await sql.end({ timeout: 0 }).catch(() => {});
      outbox.dispose();
    },
  };
}
