/**
 * Staff accounts and the dashboard's database login (administrator side, `deno task central staff-add|staff-disable|
 * dashboard-login`): a staff member belongs to one salon or to the whole chain; the dashboard's role reads what its
 * policies allow and writes plugin approvals only.
 */
import type { Sql } from "postgres";
import { newSecret, STATION_ID } from "../stations.ts";
import { checkPassword, hashPassword } from "./password.ts";

/** Staff logins: lowercase letters, digits, `.`, `_`, `-`; 2..40 characters, starting with a letter or digit. */
export const STAFF_LOGIN = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** The PostgreSQL login role the dashboard connects as (member of glidepath_dashboard). */
export const DASHBOARD_ROLE = "gp_dashboard";

/** Throws a TypeError naming the value unless `login` is a valid staff login. */
export function checkLogin(login: unknown, doing = "add staff"): asserts login is string {
  if (typeof login !== "string" || !STAFF_LOGIN.test(login)) {
    throw new TypeError(
      `Cannot ${doing}: login must be 2..40 of a-z, 0-9, ".", "_", "-", got ${JSON.stringify(login)}`,
    );
  }
}

/**
 * Adds a staff account for `salonId` (null: chain staff, every salon). The salon must exist (it does once a station
 * is registered in it); a login that exists is refused. Only the verifier is stored.
 */
export async function addStaff(
  sql: Sql,
  salonId: string | null,
  login: string,
  password: string,
): Promise<void> {
  checkLogin(login);
  if (salonId !== null && !STATION_ID.test(salonId)) {
    throw new TypeError(
      `Cannot add staff: salon must be a salon id or --chain, got ${JSON.stringify(salonId)}`,
    );
  }
  checkPassword(password);
  const verifier = await hashPassword(password);
  await sql.begin(async (tx) => {
    if (salonId !== null) {
      const [salon] = await tx`SELECT 1 FROM glidepath.salons WHERE id = ${salonId}`;
      if (!salon) {
        throw new TypeError(`Cannot add staff "${login}": salon "${salonId}" has no registered station`);
      }
    }
    const [exists] = await tx`SELECT 1 FROM glidepath.staff WHERE login = ${login}`;
    if (exists) throw new TypeError(`Cannot add staff "${login}": the login exists`);
    await tx`INSERT INTO glidepath.staff (login, salon_id, verifier) VALUES (${login}, ${salonId}, ${verifier})`;
  });
}

/** Disables a staff account at once: its open dashboard sessions see nothing from their next request. */
export async function disableStaff(sql: Sql, login: string): Promise<void> {
  checkLogin(login, "disable staff");
  const done =
    await sql`UPDATE glidepath.staff SET disabled_at = now() WHERE login = ${login} AND disabled_at IS NULL`;
  if (done.count === 0) throw new TypeError(`Cannot disable staff "${login}": no such enabled login`);
}

/**
 * Creates the dashboard's login role (or gives it a new secret, the old one stops working) and returns the secret:
 * shown once, stored by PostgreSQL as a SCRAM verifier.
 */
export async function createDashboardLogin(sql: Sql): Promise<{ role: string; secret: string }> {
  const secret = newSecret();
  await sql.begin(async (tx) => {
    const [exists] = await tx`SELECT 1 FROM pg_roles WHERE rolname = ${DASHBOARD_ROLE}`;
    // The role name is a constant and the secret base64url: nothing here comes from outside.
    await tx.unsafe(
      exists
        ? `ALTER ROLE ${DASHBOARD_ROLE} LOGIN PASSWORD '${secret}'`
        : `CREATE ROLE ${DASHBOARD_ROLE} LOGIN PASSWORD '${secret}' IN ROLE glidepath_dashboard CONNECTION LIMIT 20`,
    );
  });
  return { role: DASHBOARD_ROLE, secret };
}
