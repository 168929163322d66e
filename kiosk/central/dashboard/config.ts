/**
 * Every setting the staff dashboard takes from the environment, read and checked in one place (docs/dashboard.md,
 * Settings). Pure: a bad value stops the start before a port is bound or a connection opened.
 */
import { type CentralSetting, isLoopback, parseDatabaseUrl } from "../settings.ts";

/** The dashboard's checked settings. */
export interface DashboardConfig {
  /** Interface to bind (HOST). Default 127.0.0.1. */
  hostname: string;
  /** PORT. Default 8090; 0 picks a free one. */
  port: number;
  /** DASHBOARD_DATABASE_URL: the dashboard role's login (deno task central dashboard-login). */
  database: CentralSetting;
  /**
   * DASHBOARD_PUBLIC_URL: the origin staff browsers use (the same-origin check; https makes the cookie Secure).
   * Default http://<HOST>:<PORT>. A HOST off this machine needs an https origin (a TLS proxy in front).
   */
  publicOrigin: string | null;
  /** DASHBOARD_TRUST_PROXY=1: the client address is the last X-Forwarded-For hop (a proxy in front). Default 0. */
  trustProxy: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const HOST =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$|^[0-9a-f:]+$/i;

/**
 * Reads the dashboard's settings; throws a TypeError or RangeError naming the variable and the value
 * (`Cannot start dashboard: PORT must be an integer 0..65535, got "x"`); the database secret is never shown.
 */
export function readDashboardConfig(env: Env): DashboardConfig {
  const prefix = "Cannot start dashboard: ";
  const get = (name: string) => env[name] === "" ? undefined : env[name];
  const got = (name: string) => `, got ${JSON.stringify(env[name])}`;

  const hostname = get("HOST") ?? "127.0.0.1";
  if (!HOST.test(hostname)) {
    throw new TypeError(`${prefix}HOST must be an IP address or host name${got("HOST")}`);
  }
  const rawPort = get("PORT") ?? "8090";
  const port = Number(rawPort);
  if (!/^[0-9]{1,5}$/.test(rawPort) || port > 65535) {
    throw new RangeError(`${prefix}PORT must be an integer 0..65535${got("PORT")}`);
  }
  const url = get("DASHBOARD_DATABASE_URL");
  if (url === undefined) {
    throw new TypeError(
      `${prefix}set DASHBOARD_DATABASE_URL (the login printed by deno task central dashboard-login)`,
    );
  }
  let database: CentralSetting;
  try {
    database = parseDatabaseUrl(url, "DASHBOARD_DATABASE_URL");
  } catch (error) {
    throw new TypeError(prefix + (error as Error).message);
  }
  const rawOrigin = get("DASHBOARD_PUBLIC_URL");
  let publicOrigin: string | null = null;
  if (rawOrigin !== undefined) {
    let u: URL | null = null;
    try {
      u = new URL(rawOrigin);
    } catch { /* reported below */ }
    if (
      !u || (u.protocol !== "https:" && u.protocol !== "http:") || u.pathname !== "/" || u.search ||
      u.username
    ) {
      throw new TypeError(
        `${prefix}DASHBOARD_PUBLIC_URL must be an origin such as https://staff.example${
          got("DASHBOARD_PUBLIC_URL")
        }`,
      );
    }
    publicOrigin = u.origin;
  }
  // Passwords and session cookies cross the network only inside TLS.
  if (!isLoopback(hostname) && !publicOrigin?.startsWith("https:")) {
    throw new TypeError(
      `${prefix}HOST ${JSON.stringify(hostname)} is off this machine: serve it behind https and set ` +
        `DASHBOARD_PUBLIC_URL=https://...${got("DASHBOARD_PUBLIC_URL")}`,
    );
  }
  const proxy = get("DASHBOARD_TRUST_PROXY") ?? "0";
  if (proxy !== "0" && proxy !== "1") {
    throw new TypeError(`${prefix}DASHBOARD_TRUST_PROXY must be 1 or 0${got("DASHBOARD_TRUST_PROXY")}`);
  }
  return { hostname, port, database, publicOrigin, trustProxy: proxy === "1" };
}
