/**
 * The central store setting (DATABASE_URL) taken apart and checked, purely: which server, which station role, and
 * how TLS is used. A server off this machine is refused without TLS that checks the server (`sslmode=verify-full`
 * or `verify-ca`, or `require` said explicitly); the secret never appears in a message.
 */

/** TLS use, as libpq names it (the subset that means something here). */
export type SslMode = "disable" | "require" | "verify-ca" | "verify-full";

/** A checked DATABASE_URL. */
export interface CentralSetting {
  /** The URL for the client, without the parameters the kiosk handles itself (sslmode, sslrootcert). */
  url: string;
  host: string;
  port: number;
  user: string;
  database: string;
  sslmode: SslMode;
  /** CA certificate file (PEM) that the server's certificate must chain to; null: the system's CAs. */
  sslrootcert: string | null;
  /** The URL with the password replaced by `***`, for logs and health. */
  redacted: string;
}

const SSL_MODES: readonly SslMode[] = ["disable", "require", "verify-ca", "verify-full"];
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[?::1\]?)$/i;

/** Whether `host` is this machine (traffic that never leaves it needs no TLS). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Checks a DATABASE_URL: `postgres://` or `postgresql://`, a user and password (the station's role and secret),
 * a host, a database, and only the parameters `sslmode` and `sslrootcert`. Default sslmode: `disable` on
 * loopback, `verify-full` elsewhere. Throws a TypeError naming `what` and the problem (never the password).
 */
export function parseDatabaseUrl(raw: string, what = "DATABASE_URL"): CentralSetting {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new TypeError(`${what} must be a postgres:// URL, got something that is not a URL`);
  }
  const redacted = () => {
    const c = new URL(u.href);
    if (c.password) c.password = "***";
    return c.href;
  };
  const fail = (problem: string): never => {
    throw new TypeError(`${what} ${problem}, got ${JSON.stringify(redacted())}`);
  };
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") fail("must start with postgres://");
  if (!u.hostname) fail("must name the server's host");
  if (!u.username || !u.password) fail("must carry the station's role and secret (user:secret@)");
  const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
  if (!database || database.includes("/")) fail("must name one database (/<name>)");
  const port = u.port === "" ? 5432 : Number(u.port);
  for (const key of u.searchParams.keys()) {
    if (key !== "sslmode" && key !== "sslrootcert") fail(`takes only sslmode and sslrootcert, not "${key}"`);
  }
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const given = u.searchParams.get("sslmode");
  if (given !== null && !SSL_MODES.includes(given as SslMode)) {
    fail(`sslmode must be one of ${SSL_MODES.join(", ")}`);
  }
  const sslmode = (given ?? (isLoopback(host) ? "disable" : "verify-full")) as SslMode;
  if (sslmode === "disable" && !isLoopback(host)) {
    fail("may use sslmode=disable only for a server on this machine (127.0.0.1, ::1, localhost)");
  }
  const sslrootcert = u.searchParams.get("sslrootcert");
  if (sslrootcert !== null && (sslrootcert === "" || sslrootcert.includes("\0"))) {
    fail("has an empty sslrootcert");
  }
  if (sslrootcert !== null && (sslmode === "disable" || sslmode === "require")) {
    fail("names an sslrootcert, which only verify-ca and verify-full use");
  }
  const client = new URL(u.href);
  client.search = "";
  return {
    url: client.href,
    host,
    port,
    user: decodeURIComponent(u.username),
    database,
    sslmode,
    sslrootcert,
    redacted: redacted(),
  };
}
