/**
 * The central PostgreSQL schema (issue 10), as ordered migrations applied by an administrator (`deno task central
 * migrate`): salons, registered stations, the records every station replicates, and row-level security so a
 * station reads its own salon's history and writes only as itself.
 */
import type { Sql } from "postgres";

/** Each entry moves the central schema from version i to i + 1. Never edit a shipped entry; append. */
export const CENTRAL_MIGRATIONS: readonly string[] = [
  `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'glidepath_station') THEN
      CREATE ROLE glidepath_station NOLOGIN;
    END IF;
  END $$;

  CREATE TABLE glidepath.salons (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  -- One row per station; role is the PostgreSQL login the station connects as (its credential).
  CREATE TABLE glidepath.stations (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    salon_id text NOT NULL REFERENCES glidepath.salons(id),
    role name NOT NULL UNIQUE,
    registered_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    shipped_seq bigint NOT NULL DEFAULT 0,
    store_uid text,
    status jsonb NOT NULL DEFAULT '{}'
  );

  -- Which station and salon the connected role is (null for anyone else): under RLS a station sees its own row only.
  CREATE FUNCTION glidepath.my_station() RETURNS text LANGUAGE sql STABLE
    AS $f$ SELECT id FROM glidepath.stations WHERE role = current_user $f$;
  CREATE FUNCTION glidepath.my_salon() RETURNS text LANGUAGE sql STABLE
    AS $f$ SELECT salon_id FROM glidepath.stations WHERE role = current_user $f$;

  CREATE TABLE glidepath.sessions (
    station_id text NOT NULL DEFAULT glidepath.my_station() REFERENCES glidepath.stations(id),
    salon_id text NOT NULL DEFAULT glidepath.my_salon() REFERENCES glidepath.salons(id),
    id text NOT NULL,
    routine text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    end_reason text,
    comfort smallint,
    operator_cap_ua real,
    stimulation_ms bigint NOT NULL,
    max_current_ua real NOT NULL,
    checkpoint_at timestamptz,
    profile_id text,
    seq bigint NOT NULL,
    queued_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (station_id, id)
  );
  CREATE INDEX sessions_salon_started ON glidepath.sessions (salon_id, started_at);
  CREATE INDEX sessions_profile ON glidepath.sessions (salon_id, profile_id, started_at);

  CREATE TABLE glidepath.screenings (
    station_id text NOT NULL DEFAULT glidepath.my_station() REFERENCES glidepath.stations(id),
    salon_id text NOT NULL DEFAULT glidepath.my_salon() REFERENCES glidepath.salons(id),
    id text NOT NULL,
    session_id text NOT NULL,
    recorded_at timestamptz NOT NULL,
    answers jsonb NOT NULL,
    contraindicated boolean NOT NULL,
    consent boolean NOT NULL,
    consent_by text,
    seq bigint NOT NULL,
    queued_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (station_id, id)
  );

  CREATE TABLE glidepath.audit_log (
    station_id text NOT NULL DEFAULT glidepath.my_station() REFERENCES glidepath.stations(id),
    salon_id text NOT NULL DEFAULT glidepath.my_salon() REFERENCES glidepath.salons(id),
    id text NOT NULL,
    at timestamptz NOT NULL,
    action text NOT NULL,
    actor text NOT NULL,
    session_id text,
    detail jsonb NOT NULL,
    seq bigint NOT NULL,
    queued_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (station_id, id)
  );
  CREATE INDEX audit_salon_at ON glidepath.audit_log (salon_id, at);

  CREATE TABLE glidepath.telemetry_summaries (
    station_id text NOT NULL DEFAULT glidepath.my_station() REFERENCES glidepath.stations(id),
    salon_id text NOT NULL DEFAULT glidepath.my_salon() REFERENCES glidepath.salons(id),
    session_id text NOT NULL,
    samples integer NOT NULL,
    contact_samples integer NOT NULL,
    mean_impedance_ohm real,
    max_measured_ua real NOT NULL,
    min_battery_pct real,
    faults jsonb NOT NULL,
    seq bigint NOT NULL,
    queued_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (station_id, session_id)
  );

  CREATE TABLE glidepath.session_summaries (
    station_id text NOT NULL DEFAULT glidepath.my_station() REFERENCES glidepath.stations(id),
    salon_id text NOT NULL DEFAULT glidepath.my_salon() REFERENCES glidepath.salons(id),
    session_id text NOT NULL,
    summary jsonb NOT NULL,
    seq bigint NOT NULL,
    queued_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (station_id, session_id)
  );

  -- A profile belongs to its salon (a walk-in's history follows them to any station there); station_id is the
  -- last station that changed it.
  CREATE TABLE glidepath.profiles (
    station_id text NOT NULL DEFAULT glidepath.my_station() REFERENCES glidepath.stations(id),
    salon_id text NOT NULL DEFAULT glidepath.my_salon() REFERENCES glidepath.salons(id),
    id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('home', 'walk-in')),
    name text NOT NULL,
    language text NOT NULL,
    exclusions jsonb NOT NULL,
    max_comfort smallint,
    onboarded_at timestamptz,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    seq bigint NOT NULL,
    queued_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (salon_id, id)
  );
  CREATE INDEX profiles_name ON glidepath.profiles (salon_id, kind, name);

  -- Row-level security: FORCE so that even the tables' owner is held by the policies unless it is a superuser.
  ALTER TABLE glidepath.stations ENABLE ROW LEVEL SECURITY;
  ALTER TABLE glidepath.stations FORCE ROW LEVEL SECURITY;
  CREATE POLICY own_row ON glidepath.stations TO glidepath_station
    USING (role = current_user) WITH CHECK (role = current_user);

  DO $$
  DECLARE t text;
  BEGIN
    FOREACH t IN ARRAY ARRAY['sessions', 'screenings', 'audit_log', 'telemetry_summaries', 'session_summaries',
                             'profiles'] LOOP
      EXECUTE format('ALTER TABLE glidepath.%I ENABLE ROW LEVEL SECURITY', t);
      EXECUTE format('ALTER TABLE glidepath.%I FORCE ROW LEVEL SECURITY', t);
      -- A station writes only as itself, in its own salon.
      EXECUTE format('CREATE POLICY write_own ON glidepath.%I FOR INSERT TO glidepath_station WITH CHECK '
        '(station_id = (SELECT glidepath.my_station()) AND salon_id = (SELECT glidepath.my_salon()))', t);
    END LOOP;
  END $$;

  DO $$
  DECLARE t text;
  BEGIN
    -- A client's history: readable at every station of the salon.
    FOREACH t IN ARRAY ARRAY['sessions', 'telemetry_summaries', 'session_summaries'] LOOP
      EXECUTE format('CREATE POLICY read_salon ON glidepath.%I FOR SELECT TO glidepath_station '
        'USING (salon_id = (SELECT glidepath.my_salon()))', t);
    END LOOP;
    -- Screening answers (health data) and the audit log: only the station that wrote them.
    FOREACH t IN ARRAY ARRAY['screenings', 'audit_log'] LOOP
      EXECUTE format('CREATE POLICY read_own ON glidepath.%I FOR SELECT TO glidepath_station '
        'USING (station_id = (SELECT glidepath.my_station()))', t);
    END LOOP;
    -- A station's records are changed (a resend, a later state) only by that station.
    FOREACH t IN ARRAY ARRAY['sessions', 'telemetry_summaries', 'session_summaries', 'screenings', 'audit_log']
    LOOP
      EXECUTE format('CREATE POLICY update_own ON glidepath.%I FOR UPDATE TO glidepath_station '
        'USING (station_id = (SELECT glidepath.my_station())) '
        'WITH CHECK (station_id = (SELECT glidepath.my_station()) AND salon_id = (SELECT glidepath.my_salon()))', t);
    END LOOP;
  END $$;
  -- Profiles: the salon's, read, changed and erased at any of its stations.
  CREATE POLICY read_salon ON glidepath.profiles FOR SELECT TO glidepath_station
    USING (salon_id = (SELECT glidepath.my_salon()));
  CREATE POLICY update_salon ON glidepath.profiles FOR UPDATE TO glidepath_station
    USING (salon_id = (SELECT glidepath.my_salon()))
    WITH CHECK (station_id = (SELECT glidepath.my_station()) AND salon_id = (SELECT glidepath.my_salon()));
  CREATE POLICY delete_salon ON glidepath.profiles FOR DELETE TO glidepath_station
    USING (salon_id = (SELECT glidepath.my_salon()));

  REVOKE ALL ON ALL TABLES IN SCHEMA glidepath FROM PUBLIC;
  GRANT USAGE ON SCHEMA glidepath TO glidepath_station;
  GRANT SELECT ON glidepath.migrations TO glidepath_station;
  GRANT SELECT ON glidepath.stations TO glidepath_station;
  GRANT UPDATE (last_seen_at, shipped_seq, store_uid, status) ON glidepath.stations TO glidepath_station;
  GRANT SELECT, INSERT, UPDATE ON glidepath.sessions, glidepath.screenings, glidepath.audit_log,
    glidepath.telemetry_summaries, glidepath.session_summaries, glidepath.profiles TO glidepath_station;
  GRANT DELETE ON glidepath.profiles TO glidepath_station;
  `,
  // A salon visit's later screenings name the session whose answers they reuse (station schema step 4).
  `ALTER TABLE glidepath.screenings ADD COLUMN reused_from text;`,
  // Plugin approvals set once for a salon (salon_id) or the whole chain (salon_id NULL) and pulled by its
  // stations. An approval pins a version, the approved permissions and the files' hash, as a local one does;
  // enabled false is a revocation. The newest decision per (salon or chain, plugin) counts: the chain's revocation
  // applies in every salon, otherwise a salon's own row overrides the chain's (kiosk/plugins/central_decisions.ts).
  `
  CREATE TABLE glidepath.plugin_approvals (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    salon_id text REFERENCES glidepath.salons(id),
    plugin_id text NOT NULL CHECK (plugin_id ~ '^[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+$' AND length(plugin_id) <= 100),
    enabled boolean NOT NULL,
    version text NOT NULL,
    permissions jsonb NOT NULL,
    files_hash text NOT NULL CHECK (files_hash ~ '^[0-9a-f]{64}$'),
    decided_by text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT clock_timestamp()
  );
  CREATE INDEX plugin_approvals_scope ON glidepath.plugin_approvals (plugin_id, salon_id, id DESC);
  ALTER TABLE glidepath.plugin_approvals ENABLE ROW LEVEL SECURITY;
  ALTER TABLE glidepath.plugin_approvals FORCE ROW LEVEL SECURITY;
  -- A station reads its salon's decisions and the chain's; it never writes them.
  CREATE POLICY read_salon ON glidepath.plugin_approvals FOR SELECT TO glidepath_station
    USING (salon_id IS NULL OR salon_id = (SELECT glidepath.my_salon()));
  REVOKE ALL ON glidepath.plugin_approvals FROM PUBLIC;
  GRANT SELECT ON glidepath.plugin_approvals TO glidepath_station;
  `,
  // Staff accounts and the staff dashboard's role (kiosk/central/dashboard). The dashboard connects as a member of
  // glidepath_dashboard and names the signed-in staff member in a transaction-local setting; PostgreSQL derives
  // that person's salon from this table, so a query the app forgot to filter still shows one salon only. The role
  // never reads screening answers or profiles, and writes nothing but plugin approvals in its staff's scope.
  `
  DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'glidepath_dashboard') THEN
      CREATE ROLE glidepath_dashboard NOLOGIN;
    END IF;
  END $$;
  -- salon_id NULL: chain staff (every salon). verifier: PBKDF2-SHA-256, "pbkdf2-sha256$<iterations>$<salt>$<hash>".
  CREATE TABLE glidepath.staff (
    login text PRIMARY KEY CHECK (login ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
    salon_id text REFERENCES glidepath.salons(id),
    verifier text NOT NULL CHECK (verifier ~ '^pbkdf2-sha256[$][0-9]+[$][A-Za-z0-9_-]+[$][A-Za-z0-9_-]+$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    disabled_at timestamptz
  );

  -- The signed-in staff member's scope in this transaction: their salon id, '*' for chain staff, null when the
  -- setting is unset or names a login that does not exist or is disabled (then every policy below shows nothing).
  CREATE FUNCTION glidepath.staff_scope() RETURNS text LANGUAGE sql STABLE
    AS $f$ SELECT coalesce(salon_id, '*') FROM glidepath.staff
           WHERE login = nullif(current_setting('glidepath.staff', true), '') AND disabled_at IS NULL $f$;

  DO $$
  DECLARE t text;
  BEGIN
    FOREACH t IN ARRAY ARRAY['stations', 'sessions', 'audit_log'] LOOP
      EXECUTE format('CREATE POLICY staff_read ON glidepath.%I FOR SELECT TO glidepath_dashboard '
        'USING ((SELECT glidepath.staff_scope()) IN (''*'', salon_id))', t);
    END LOOP;
  END $$;
  -- A salon's staff see the chain's decisions and their salon's; they decide for their salon only, chain staff for
  -- the chain or any salon; decided_by is the signed-in login, checked here too.
  CREATE POLICY staff_read ON glidepath.plugin_approvals FOR SELECT TO glidepath_dashboard
    USING (salon_id IS NULL AND (SELECT glidepath.staff_scope()) IS NOT NULL
           OR (SELECT glidepath.staff_scope()) IN ('*', salon_id));
  CREATE POLICY staff_decide ON glidepath.plugin_approvals FOR INSERT TO glidepath_dashboard
    WITH CHECK (decided_by = (SELECT current_setting('glidepath.staff', true))
                AND ((SELECT glidepath.staff_scope()) = '*' OR (SELECT glidepath.staff_scope()) = salon_id));

  -- The dashboard's audit pages, newest first with a total order: across the chain, per salon, per station
  -- (bench/dashboard.ts: a chain page of 300,000 entries took 163 ms sorting without them). The salon index
  -- replaces step 1's (salon_id, at), which it extends.
  DROP INDEX glidepath.audit_salon_at;
  CREATE INDEX audit_salon_page ON glidepath.audit_log (salon_id, at, station_id, id);
  CREATE INDEX audit_page ON glidepath.audit_log (at, station_id, id);
  CREATE INDEX audit_station_page ON glidepath.audit_log (station_id, at, id);

  REVOKE ALL ON glidepath.staff FROM PUBLIC;
  GRANT USAGE ON SCHEMA glidepath TO glidepath_dashboard;
  GRANT SELECT ON glidepath.migrations TO glidepath_dashboard;
  GRANT SELECT (login, salon_id, verifier, disabled_at) ON glidepath.staff TO glidepath_dashboard;
  GRANT SELECT (id, salon_id, registered_at, last_seen_at, shipped_seq, status) ON glidepath.stations
    TO glidepath_dashboard;
  GRANT SELECT ON glidepath.sessions, glidepath.audit_log TO glidepath_dashboard;
  GRANT SELECT, INSERT ON glidepath.plugin_approvals TO glidepath_dashboard;
  `,
];

/** The schema version this build's stations need. */
export const CENTRAL_SCHEMA_VERSION = CENTRAL_MIGRATIONS.length;

/**
 * Brings the central schema up to date, each step in its own transaction under an advisory lock (two admins at
 * once apply each step once). Refuses a database from a newer build. Returns the versions applied.
 */
export async function migrateCentral(sql: Sql): Promise<number[]> {
  await sql.unsafe(`
    CREATE SCHEMA IF NOT EXISTS glidepath;
    CREATE TABLE IF NOT EXISTS glidepath.migrations (
      version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()
    );`);
  const applied: number[] = [];
  for (let v = 1; v <= CENTRAL_MIGRATIONS.length; v++) {
    const done = await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(hashtext('glidepath.migrations'))`;
      const [row] = await tx`SELECT coalesce(max(version), 0)::int AS v FROM glidepath.migrations`;
      const current = Number(row?.v ?? 0);
      if (current > CENTRAL_MIGRATIONS.length) {
        throw new RangeError(
          `Cannot migrate the central store: its schema version ${current} is newer than this build (${CENTRAL_MIGRATIONS.length})`,
        );
      }
      if (current >= v) return false;
      await tx.unsafe(CENTRAL_MIGRATIONS[v - 1]!);
      await tx`INSERT INTO glidepath.migrations (version) VALUES (${v})`;
      return true;
    });
    if (done) applied.push(v);
  }
  return applied;
}
