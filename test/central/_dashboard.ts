/**
 * Dashboard fixture: a central store (test/central/_central.ts) with staff accounts and the dashboard's own login,
 * and helpers that sign in and call the API the way the page does (same origin, cookie, CSRF token).
 */
import postgres, { type Sql } from "postgres";
import type { Hono } from "hono";
import { addStaff, createDashboardApp, createDashboardLogin } from "../../kiosk/central/dashboard/mod.ts";
import type { DashboardAppOptions } from "../../kiosk/central/dashboard/mod.ts";
import { parseDatabaseUrl } from "../../kiosk/central/mod.ts";
import { type Central, startCentral } from "./_central.ts";

/** Every staff account's password in the fixtures. */
export const PASSWORD = "correct horse battery";

/** A central store with stations, staff and the dashboard login. */
export interface DashboardCentral extends Central {
  /** The dashboard role's connection (held by the step-4 policies). */
  dashboardSql: Sql;
  /** DASHBOARD_DATABASE_URL for the dashboard role. */
  dashboardUrl: string;
}

/**
 * Starts a central store with `pairs` of [salon, station] registered and `staff` of [salon or null (chain), login]
 * added with PASSWORD.
 */
export async function startDashboardCentral(
  pairs: ReadonlyArray<readonly [string, string]>,
  staff: ReadonlyArray<readonly [string | null, string]>,
): Promise<DashboardCentral> {
  const central = await startCentral(pairs);
  for (const [salon, login] of staff) await addStaff(central.admin, salon, login, PASSWORD);
  const { role, secret } = await createDashboardLogin(central.admin);
  const dashboardUrl = central.cluster.url(role, secret);
  const dashboardSql = postgres(parseDatabaseUrl(dashboardUrl).url, { onnotice: () => {}, max: 2 });
  return {
    ...central,
    dashboardSql,
    dashboardUrl,
    async dispose() {
      await dashboardSql.end({ timeout: 1 });
      await central.dispose();
    },
  };
}

/** The dashboard app over the fixture's dashboard connection (no page assets; the address from X-Test-Address). */
export function dashboardApp(c: DashboardCentral, options: Partial<DashboardAppOptions> = {}): Hono {
  return createDashboardApp({
    sql: c.dashboardSql,
    assets: { js: "", css: "" },
    addressOf: (ctx) => ctx.req.header("x-test-address") ?? "192.0.2.1",
    hostNames: ["localhost", "staff.example"],
    log: () => {},
    ...options,
  });
}

/** What a signed-in client holds. */
export interface Client {
  cookie: string;
  csrf: string;
}

/** The page's own origin for app.request(). */
export const ORIGIN = "http://localhost";

/** POSTs a sign-in; returns the response. */
export function postLogin(app: Hono, login: string, password: string, address?: string): Promise<Response> {
  return Promise.resolve(app.request("/api/login", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: ORIGIN,
      ...(address ? { "x-test-address": address } : {}),
    },
    body: JSON.stringify({ login, password }),
  }));
}

/** Signs in (with PASSWORD unless given) and returns the cookie and CSRF token; throws on a refusal. */
export async function signIn(app: Hono, login: string, password = PASSWORD): Promise<Client> {
  const res = await postLogin(app, login, password);
  if (res.status !== 200) throw new Error(`sign-in as ${login}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  return { cookie, csrf: (await res.json()).csrf };
}

/** Calls the API as `client`: GET without a body, POST (same origin, CSRF token) with one. */
export async function call(
  app: Hono,
  client: Client | null,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await app.request(path, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      ...(client ? { cookie: client.cookie } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json", origin: ORIGIN }),
      ...(body !== undefined && client ? { "x-csrf-token": client.csrf } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => ({})) };
}
