/**
 * The dashboard's HTTP side (hono): the page and its assets, sign-in and out, and the JSON API the page reads.
 * Every API answer is computed inside a transaction scoped to the signed-in staff member (queries.ts); every
 * state-changing request must come from the dashboard's own origin and carry the session's CSRF token.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Sql } from "postgres";
import { isRecord } from "../../../core/manifest/mod.ts";
import { createRateLimit, createSessions, type RateLimit, type Sessions, type StaffSession } from "./auth.ts";
import { verifyPassword } from "./password.ts";
import { dayRange, decodeCursor, listQuery, pageNumber } from "./_params.ts";
import { hostGuard } from "../../server/host_guard.ts";
import { validateApproval, validateRevoke } from "./approvals.ts";
import { APPROVAL_REFUSED, ChainRevokedError } from "../approvals.ts";
import {
  asStaff,
  insertApproval,
  insertRevocation,
  listApprovals,
  listAudit,
  listSessions,
  listStations,
  staffForLogin,
} from "./queries.ts";

/** What the page is made of (built at start by build.ts). */
export interface DashboardAssets {
  js: string;
  css: string;
}

/** Options for createDashboardApp. */
export interface DashboardAppOptions {
  /** The dashboard role's connection. */
  sql: Sql;
  assets: DashboardAssets;
  /** The origin browsers use (same-origin check; https: Secure cookie). Default: the request's own origin. */
  publicOrigin?: string | null;
  /** The client's address (rate limits, log lines). Default: "unknown". */
  addressOf?: (c: Context) => string;
  /** Sessions. Default: createSessions() (30 min idle, 12 h at most). */
  sessions?: Sessions;
  /** Failed sign-ins per login. Default 5 per 15 min. */
  loginLimit?: RateLimit;
  /** Sign-in attempts per address. Default 20 per 10 min. */
  addressLimit?: RateLimit;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
  /**
   * Host names a request's Host header may name (the kiosk's DNS-rebinding guard, 421 otherwise), lower-case.
   * Default: any (tests); startDashboard passes the loopback names, HOST and the public origin's host.
   */
  hostNames?: readonly string[];
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Glidepath staff</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`;

// No inline script or style, nothing from elsewhere, no framing, forms post nowhere but here.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const COOKIE = "gp_staff";

function cookieOf(c: Context, name: string): string | undefined {
  for (const part of (c.req.header("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Creates the dashboard app. */
export function createDashboardApp(options: DashboardAppOptions): Hono {
  const { sql, assets } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const sessions = options.sessions ?? createSessions();
  const loginLimit = options.loginLimit ?? createRateLimit({ max: 5, windowMs: 15 * 60_000 });
  const addressLimit = options.addressLimit ?? createRateLimit({ max: 20, windowMs: 10 * 60_000 });
  const addressOf = options.addressOf ?? (() => "unknown");
  const originOf = (c: Context) => options.publicOrigin ?? new URL(c.req.url).origin;
  const secure = (c: Context) => originOf(c).startsWith("https:");
  // __Host- binds the cookie to this origin (Secure, Path=/, no Domain); only possible over https.
  const cookieName = (c: Context) => secure(c) ? `__Host-${COOKIE}` : COOKIE;
  const setCookie = (c: Context, value: string, maxAgeS: number) =>
    c.header(
      "Set-Cookie",
      `${cookieName(c)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${
        secure(c) ? "; Secure" : ""
      }`,
    );
  const tokenOf = (c: Context) => cookieOf(c, cookieName(c));

  const app = new Hono<{ Variables: { staff: StaffSession } }>();
  app.onError((error, c) => {
    log(`dashboard: ${c.req.method} ${c.req.path} failed: ${error instanceof Error ? error.message : error}`);
    return c.json({ error: "internal error" }, 500);
  });

  if (options.hostNames) app.use("*", hostGuard(options.hostNames));
  app.use("*", async (c, next) => {
    await next();
    c.header("Content-Security-Policy", CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("X-Frame-Options", "DENY");
    c.header("Cross-Origin-Opener-Policy", "same-origin");
    if (c.req.path.startsWith("/api/")) c.header("Cache-Control", "no-store");
  });

  // A state-changing request from any other origin is refused before anything is read (CSRF, first line).
  app.use("/api/*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      if (origin !== originOf(c) || (site !== undefined && site !== "same-origin")) {
        log(`dashboard: ${c.req.method} ${c.req.path} refused: origin ${JSON.stringify(origin ?? null)}`);
        return c.json(
          { error: "Cannot accept the request: it does not come from the dashboard's own page" },
          403,
        );
      }
    }
    await next();
  });
  app.use(
    "/api/*",
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json({ error: "body too large" }, 413) }),
  );

  app.get("/", (c) => c.html(HTML));
  app.get("/app.js", (c) => c.body(assets.js, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
  // Browsers ask for it by themselves; an empty answer rather than a 404 in every console.
  app.get("/favicon.ico", (c) => c.body(null, 204));
  app.get("/app.css", (c) => c.body(assets.css, 200, { "Content-Type": "text/css; charset=utf-8" }));

  app.post("/api/login", async (c) => {
    const address = addressOf(c);
    const body = await c.req.json().catch(() => null);
    const login = isRecord(body) && typeof body.login === "string" ? body.login.trim().toLowerCase() : "";
    const password = isRecord(body) && typeof body.password === "string" ? body.password : "";
    if (login === "" || login.length > 40 || password === "" || password.length > 1024) {
      return c.json({ error: "Cannot sign in: login and password are both needed" }, 400);
    }
    const wait = Math.max(addressLimit.retryAfterMs(address), loginLimit.retryAfterMs(login));
    if (wait > 0) {
      log(`dashboard: sign-in from ${address} refused: too many attempts`);
      c.header("Retry-After", String(Math.ceil(wait / 1000)));
      return c.json({
        error: "Too many sign-in attempts; try again later",
        retryAfterS: Math.ceil(wait / 1000),
      }, 429);
    }
    addressLimit.hit(address);
    // Counted before the check, cleared on success: guesses sent all at once would otherwise all pass the limit
    // while the first of them were still being checked (a check takes a PBKDF2 derivation).
    loginLimit.hit(login);
    const staff = await staffForLogin(sql, login);
    if (!(await verifyPassword(password, staff?.verifier ?? null)) || !staff) {
      // An unknown login is not written out: it is often a password typed into the wrong field.
      log(
        `dashboard: sign-in as ${staff ? JSON.stringify(login) : "an unknown login"} from ${address} failed`,
      );
      return c.json({ error: "Wrong login or password" }, 401);
    }
    loginLimit.clear(login);
    const { token, session } = sessions.open(login, staff.salon);
    setCookie(c, token, sessions.maxAgeS);
    log(`dashboard: ${login} signed in from ${address}`);
    return c.json({ login, salon: staff.salon, csrf: session.csrf });
  });

  // Everything below needs a live session; POSTs also its CSRF token.
  app.use("/api/*", async (c, next) => {
    // X-Poll: 1 marks the page's timed refresh, which is not the person using it.
    const staff = sessions.get(tokenOf(c), c.req.header("x-poll") !== "1");
    if (!staff) return c.json({ error: "Not signed in" }, 401);
    if (c.req.method !== "GET" && !sessions.csrfOk(staff, c.req.header("x-csrf-token"))) {
      log(`dashboard: ${c.req.method} ${c.req.path} by ${staff.login} refused: CSRF token missing or wrong`);
      return c.json({
        error: "Cannot accept the request: the CSRF token is missing or wrong (reload the page)",
      }, 403);
    }
    c.set("staff", staff);
    await next();
  });

  /** Runs `fn` scoped to the signed-in staff member; a login disabled since sign-in ends the session. */
  async function scoped<T>(
    c: Context<{ Variables: { staff: StaffSession } }>,
    fn: Parameters<typeof asStaff<T>>[2],
  ): Promise<Response> {
    const staff = c.get("staff");
    const result = await asStaff(sql, staff.login, fn);
    return result === null ? signedOut(c) : c.json(result as Record<string, unknown>);
  }

  /** A login disabled since sign-in: its sessions end. */
  function signedOut(c: Context<{ Variables: { staff: StaffSession } }>): Response {
    sessions.closeLogin(c.get("staff").login);
    return c.json({ error: "Not signed in (the account is disabled)" }, 401);
  }

  // Asked of PostgreSQL like every other answer: a login disabled since sign-in must not look signed in.
  app.get("/api/me", (c) => {
    const s = c.get("staff");
    return scoped(c, () => Promise.resolve({ login: s.login, salon: s.salon, csrf: s.csrf }));
  });

  app.post("/api/logout", (c) => {
    sessions.close(tokenOf(c));
    setCookie(c, "", 0);
    log(`dashboard: ${c.get("staff").login} signed out`);
    return c.json({ ok: true });
  });

  app.get(
    "/api/stations",
    (c) => scoped(c, async (tx, scope) => ({ stations: await listStations(tx, scope) })),
  );

  app.get("/api/sessions", (c) => {
    const q = listQuery(c);
    if ("error" in q) return c.json(q, 400);
    const page = pageNumber(q.page);
    if (typeof page !== "number") return c.json(page, 400);
    const range = dayRange(c.req.query("from"), c.req.query("to"));
    if ("error" in range) return c.json(range, 400);
    return scoped(c, (tx, scope) => listSessions(tx, scope, { ...range, station: q.station, page }));
  });

  app.get("/api/audit", (c) => {
    const q = listQuery(c);
    if ("error" in q) return c.json(q, 400);
    const before = decodeCursor(q.page);
    if (before && "error" in before) return c.json(before, 400);
    return scoped(c, (tx, scope) => listAudit(tx, scope, { station: q.station, before }));
  });

  app.get(
    "/api/approvals",
    (c) => scoped(c, async (tx, scope) => ({ approvals: await listApprovals(tx, scope) })),
  );

  /** An approval or revocation: checked, scoped, written with the staff login as decided_by. */
  const decide = (revoke: boolean) => async (c: Context<{ Variables: { staff: StaffSession } }>) => {
    const staff = c.get("staff");
    let request;
    try {
      const body = await c.req.json().catch(() => null);
      request = revoke ? validateRevoke(body) : validateApproval(body);
    } catch (error) {
      return c.json({ error: (error as Error).message }, 400);
    }
    if (staff.salon !== null && request.salon !== staff.salon) {
      return c.json({
        error: `Cannot record the approval: "scope" must be your salon "${staff.salon}", got ${
          JSON.stringify(request.salon ?? "chain")
        }`,
      }, 403);
    }
    let result;
    try {
      result = await asStaff(sql, staff.login, async (tx) => ({
        row: revoke
          ? await insertRevocation(tx, staff.login, request)
          : await insertApproval(tx, staff.login, request as ReturnType<typeof validateApproval>),
      }));
    } catch (error) {
      // A salon approval over a chain revocation (stations would never apply it): refused, saying why.
      if (error instanceof ChainRevokedError) return c.json({ error: error.message }, 409);
      // A salon that does not exist, or a decision the central write path refuses (it names the field).
      if (error instanceof TypeError && error.message.startsWith(APPROVAL_REFUSED)) {
        return c.json({ error: error.message }, 400);
      }
      // 42501: the policies refused (a scope the staff member does not hold).
      const code = (error as { code?: string }).code;
      if (code === "42501") return c.json({ error: "Cannot record the approval: not in your scope" }, 403);
      throw error;
    }
    if (result === null) return signedOut(c);
    if (result.row === null) {
      return c.json({
        error: `Cannot revoke "${request.id}": nothing was ever approved for it in this scope`,
      }, 404);
    }
    log(
      `dashboard: ${staff.login} ${revoke ? "revoked" : "approved"} ${request.id} for ${
        request.salon ?? "the chain"
      }`,
    );
    return c.json({ approval: result.row });
  };
  app.post("/api/approvals", decide(false));
  app.post("/api/approvals/revoke", decide(true));

  return app as unknown as Hono;
}
