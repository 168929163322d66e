/**
 * Station registration (administrator side): a salon, and per station a PostgreSQL login role with its own random
 * secret, member of `glidepath_station`, named in `glidepath.stations`. The station's DATABASE_URL carries the role
 * and secret; revoking a station disables its login.
 */
import type { Sql } from "postgres";

/** Salon and station ids: lowercase, digits and dashes, 1..40 characters (they become part of a role name). */
export const STATION_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A registered station's credential. */
export interface StationCredential {
  stationId: string;
  salonId: string;
  /** The PostgreSQL role the station logs in as. */
  role: string;
  /** The role's password: shown once, stored by PostgreSQL only as a SCRAM verifier. */
  secret: string;
}

function checkId(id: unknown, what: string): asserts id is string {
  if (typeof id !== "string" || !STATION_ID.test(id)) {
    throw new TypeError(
      `Cannot register station: invalid ${what} ${JSON.stringify(id)} (a-z, 0-9 and -, 1..40 characters)`,
    );
  }
}

/** The login role of a station id. */
export function stationRole(stationId: string): string {
  return `gp_station_${stationId.replaceAll("-", "_")}`;
}

/** A 32-byte random secret, base64url (safe inside a URL and a SQL literal). */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Registers `stationId` in `salonId` (creating the salon, named `salonName` or its id, if new) and returns its
 * credential. A station that exists is refused (rotate its secret with `rotateStationSecret`).
 */
export async function registerStation(
  sql: Sql,
  salonId: string,
  stationId: string,
  options: { salonName?: string } = {},
): Promise<StationCredential> {
  checkId(salonId, "salon id");
  checkId(stationId, "station id");
  const role = stationRole(stationId);
  const secret = newSecret();
  await sql.begin(async (tx) => {
    const [exists] = await tx`SELECT 1 FROM glidepath.stations WHERE id = ${stationId}`;
    if (exists) throw new TypeError(`Cannot register station "${stationId}": it is already registered`);
    await tx`INSERT INTO glidepath.salons (id, name) VALUES (${salonId}, ${options.salonName ?? salonId})
             ON CONFLICT (id) DO NOTHING`;
    // CREATE ROLE takes no parameters; the role name is checked above and the secret is base64url.
    await tx.unsafe(
      `CREATE ROLE ${role} LOGIN PASSWORD '${secret}' IN ROLE glidepath_station CONNECTION LIMIT 8`,
    );
    await tx`INSERT INTO glidepath.stations (id, salon_id, role) VALUES (${stationId}, ${salonId}, ${role})`;
  });
  return { stationId, salonId, role, secret };
}

/** Gives a station a new secret (the old one stops working at once) and returns it. */
export async function rotateStationSecret(sql: Sql, stationId: string): Promise<StationCredential> {
  checkId(stationId, "station id");
  const [row] = await sql`SELECT salon_id, role FROM glidepath.stations WHERE id = ${stationId}`;
  if (!row) throw new TypeError(`Cannot rotate the secret of station "${stationId}": it is not registered`);
  const secret = newSecret();
  await sql.unsafe(`ALTER ROLE ${stationRole(stationId)} LOGIN PASSWORD '${secret}'`);
  return { stationId, salonId: String(row.salon_id), role: String(row.role), secret };
}

/** Disables a station's login (its records stay); a later rotateStationSecret enables it again. */
export async function revokeStation(sql: Sql, stationId: string): Promise<void> {
  checkId(stationId, "station id");
  await sql.unsafe(`ALTER ROLE ${stationRole(stationId)} NOLOGIN`);
  await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ${stationRole(stationId)}`;
}
