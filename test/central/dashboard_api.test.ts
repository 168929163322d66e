/**
 * The staff dashboard's API against a real PostgreSQL: sign-in and out, wrong passwords, the rate limit, each
 * salon's staff confined to their salon (through the API and in PostgreSQL itself), chain staff seeing all, CSRF,
 * approvals recorded with the staff login, and online/offline from a station's last contact.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRateLimit, disableStaff } from "../../kiosk/central/dashboard/mod.ts";
import { call, dashboardApp, PASSWORD, postLogin, signIn, startDashboardCentral } from "./_dashboard.ts";

const central = await startDashboardCentral(
  [["downtown", "dt-1"], ["downtown", "dt-2"], ["uptown", "up-1"]],
  [["downtown", "dana"], ["uptown", "uma"], [null, "chris"], ["downtown", "dora"]],
);
const app = dashboardApp(central);
const HASH = "ab".repeat(32);

// A day's records at each station, written as the administrator (the stations' own path is three_stations' test).
const now = Date.now();
for (const station of ["dt-1", "dt-2", "up-1"]) {
  const salon = station.startsWith("dt") ? "downtown" : "uptown";
  for (let i = 0; i < 3; i++) {
    const at = new Date(now - (i + 1) * 600_000);
    await central
      .admin`INSERT INTO glidepath.sessions (station_id, salon_id, id, routine, started_at, ended_at,
      end_reason, stimulation_ms, max_current_ua, seq, queued_at)
      VALUES (${station}, ${salon}, ${`s${i}`}, 'express-lift', ${at}, ${new Date(at.getTime() + 480_000)},
        'completed', 450000, 180, ${i + 1}, ${at})`;
    await central
      .admin`INSERT INTO glidepath.audit_log (station_id, salon_id, id, at, action, actor, detail, seq,
      queued_at) VALUES (${station}, ${salon}, ${`a${i}`}, ${at}, 'estop', 'page', '{}', ${i + 10}, ${at})`;
    await central
      .admin`INSERT INTO glidepath.screenings (station_id, salon_id, id, session_id, recorded_at, answers,
      contraindicated, consent, seq, queued_at)
      VALUES (${station}, ${salon}, ${`q${i}`}, ${`s${i}`}, ${at}, '{"pregnancy": true}', true, true, ${
      i + 20
    }, ${at})`;
  }
}

const stationIds = (json: Record<string, unknown>) =>
  (json.stations as { id: string }[]).map((s) => s.id).sort();
const rowStations = (json: Record<string, unknown>) =>
  [...new Set((json.rows as { station: string }[]).map((r) => r.station))].sort();

test("staff sign in with an HttpOnly, SameSite=Strict cookie, and signing out ends the session", async () => {
  const res = await postLogin(app, "dana", PASSWORD);
  assert.is(res.status, 200);
  const cookie = res.headers.get("set-cookie") ?? "";
  assert.match(cookie, /^gp_staff=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /; HttpOnly/);
  assert.match(cookie, /; SameSite=Strict/);
  assert.not.match(cookie, /Secure/, "plain http on this machine: a Secure cookie would never come back");
  const body = await res.json();
  assert.equal([body.login, body.salon], ["dana", "downtown"]);
  const client = { cookie: cookie.split(";")[0]!, csrf: body.csrf };
  assert.is((await call(app, client, "/api/me")).json.login, "dana");
  assert.is((await call(app, client, "/api/logout", {})).status, 200);
  assert.is((await call(app, client, "/api/me")).status, 401, "the old cookie is dead");
  assert.is((await call(app, client, "/api/stations")).status, 401);
});

test("behind https the cookie is Secure and __Host- bound", async () => {
  const secure = dashboardApp(central, { publicOrigin: "https://staff.example" });
  const res = await secure.request("/api/login", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://staff.example" },
    body: JSON.stringify({ login: "dana", password: PASSWORD }),
  });
  assert.is(res.status, 200);
  assert.match(res.headers.get("set-cookie") ?? "", /^__Host-gp_staff=.*; Secure$/);
});

test("a wrong password and an unknown login get the same answer and no cookie", async () => {
  const wrong = await postLogin(app, "uma", "not the password", "198.51.100.7");
  const unknown = await postLogin(app, "nobody", PASSWORD, "198.51.100.7");
  for (const res of [wrong, unknown]) {
    assert.is(res.status, 401);
    assert.is(res.headers.get("set-cookie"), null);
    assert.equal(await res.json(), { error: "Wrong login or password" });
  }
  assert.is((await call(app, null, "/api/stations")).status, 401, "no session, no data");
});

test("after five wrong passwords a login is refused, even with the right one, from any address", async () => {
  for (let i = 0; i < 5; i++) {
    assert.is((await postLogin(app, "dora", `guess number ${i}`, `203.0.113.${i}`)).status, 401);
  }
  const blocked = await postLogin(app, "dora", PASSWORD, "203.0.113.99");
  assert.is(blocked.status, 429);
  assert.ok(Number(blocked.headers.get("retry-after")) > 0);
  assert.is(
    (await postLogin(app, "dana", PASSWORD, "203.0.113.99")).status,
    200,
    "other logins are not held",
  );
});

test("too many attempts from one address are refused whatever the login", async () => {
  const limited = dashboardApp(central, { addressLimit: createRateLimit({ max: 3, windowMs: 60_000 }) });
  for (const login of ["x1", "x2", "x3"]) {
    assert.is((await postLogin(limited, login, "nope nope nope", "192.0.2.50")).status, 401);
  }
  assert.is((await postLogin(limited, "chris", PASSWORD, "192.0.2.50")).status, 429);
  assert.is((await postLogin(limited, "chris", PASSWORD, "192.0.2.51")).status, 200);
});

test("a salon's staff see their salon's stations, sessions and audit log only, however the API is asked", async () => {
  const dana = await signIn(app, "dana");
  assert.equal(stationIds((await call(app, dana, "/api/stations")).json), ["dt-1", "dt-2"]);
  assert.equal(rowStations((await call(app, dana, "/api/sessions")).json), ["dt-1", "dt-2"]);
  assert.equal(rowStations((await call(app, dana, "/api/audit")).json), ["dt-1", "dt-2"]);
  // Another salon's station asked for by name: nothing, not an error that tells it exists.
  for (const path of ["/api/sessions?station=up-1", "/api/audit?station=up-1"]) {
    const r = await call(app, dana, path);
    assert.is(r.status, 200);
    assert.equal(r.json.rows, []);
  }
  const uma = await signIn(app, "uma");
  assert.equal(stationIds((await call(app, uma, "/api/stations")).json), ["up-1"]);
  assert.equal(rowStations((await call(app, uma, "/api/audit")).json), ["up-1"]);
  // Nothing the dashboard answers carries screening answers.
  for (const path of ["/api/stations", "/api/sessions", "/api/audit", "/api/approvals"]) {
    assert.not.match(JSON.stringify((await call(app, uma, path)).json), /pregnancy|answers/);
  }
});

test("chain staff see every salon's stations, sessions and audit log", async () => {
  const chris = await signIn(app, "chris");
  assert.equal(stationIds((await call(app, chris, "/api/stations")).json), ["dt-1", "dt-2", "up-1"]);
  const sessions = await call(app, chris, "/api/sessions");
  assert.equal(rowStations(sessions.json), ["dt-1", "dt-2", "up-1"]);
  assert.is((sessions.json.rows as unknown[]).length, 9);
  assert.equal(rowStations((await call(app, chris, "/api/audit?station=up-1")).json), ["up-1"]);
});

test("PostgreSQL itself confines the dashboard role: no staff named, another salon, screenings, writes", async () => {
  const sql = central.dashboardSql;
  assert.is((await sql`SELECT id FROM glidepath.stations`).length, 0, "no staff member set: nothing");
  const scoped = await sql.begin(async (tx) => {
    await tx`SELECT set_config('glidepath.staff', 'uma', true)`;
    // No WHERE at all: the policies alone keep downtown out.
    return [
      (await tx`SELECT DISTINCT salon_id FROM glidepath.sessions`).map((r) => r.salon_id),
      (await tx`SELECT DISTINCT salon_id FROM glidepath.audit_log`).map((r) => r.salon_id),
      (await tx`SELECT id FROM glidepath.stations`).map((r) => r.id),
    ];
  });
  assert.equal(scoped, [["uptown"], ["uptown"], ["up-1"]]);
  assert.is(
    (await sql`SELECT id FROM glidepath.sessions`).length,
    0,
    "the setting ended with its transaction",
  );
  const refused = async (q: (tx: typeof sql) => Promise<unknown>, login = "chris") => {
    let code = "";
    await sql.begin(async (tx) => {
      await tx`SELECT set_config('glidepath.staff', ${login}, true)`;
      await q(tx as unknown as typeof sql);
    }).catch((e) => void (code = e.code));
    return code;
  };
  assert.is(
    await refused((tx) => tx`SELECT answers FROM glidepath.screenings`),
    "42501",
    "screening answers",
  );
  assert.is(await refused((tx) => tx`SELECT name FROM glidepath.profiles`), "42501", "clients' names");
  assert.is(await refused((tx) => tx`SELECT role FROM glidepath.stations`), "42501", "stations' login roles");
  assert.is(await refused((tx) => tx`UPDATE glidepath.sessions SET routine = 'x'`), "42501");
  assert.is(await refused((tx) => tx`DELETE FROM glidepath.audit_log`), "42501");
  assert.is(await refused((tx) => tx`UPDATE glidepath.staff SET salon_id = NULL`), "42501");
  const approval = (salon: string | null, by: string) => (tx: typeof sql) =>
    tx`INSERT INTO glidepath.plugin_approvals (salon_id, plugin_id, enabled, version, permissions, files_hash,
      decided_by) VALUES (${salon}, 'acme.pulse', true, '1.0.0', '{}', ${HASH}, ${by})`;
  assert.is(await refused(approval(null, "someone-else")), "42501", "decided_by must be the staff member");
  assert.is(
    await refused(approval(null, "dana"), "dana"),
    "42501",
    "a salon's staff cannot decide for the chain",
  );
  assert.is(await refused(approval("uptown", "dana"), "dana"), "42501", "nor for another salon");
  let stationCode = "";
  await central.as(central.stations[0]!)`SELECT verifier FROM glidepath.staff`.catch((e) =>
    void (stationCode = e.code)
  );
  assert.is(stationCode, "42501", "a station never reads staff verifiers");
  await disableStaff(central.admin, "dora");
  assert.is(await refused((tx) => tx`SELECT 1`, "dora"), "", "a disabled login runs queries...");
  assert.is(
    (await sql.begin(async (tx) => {
      await tx`SELECT set_config('glidepath.staff', 'dora', true)`;
      return await tx`SELECT id FROM glidepath.stations`;
    })).length,
    0,
    "...that see nothing",
  );
});

test("a state-changing request without the CSRF token or from another origin is refused", async () => {
  const chris = await signIn(app, "chris");
  const body = { scope: "chain", id: "acme.pulse", version: "1.0.0", filesHash: HASH, permissions: {} };
  assert.is((await call(app, chris, "/api/approvals", body, { "x-csrf-token": "" })).status, 403);
  assert.is((await call(app, chris, "/api/approvals", body, { "x-csrf-token": "A".repeat(43) })).status, 403);
  assert.is((await call(app, chris, "/api/approvals", body, { origin: "https://evil.example" })).status, 403);
  assert.is((await call(app, chris, "/api/approvals", body, { "sec-fetch-site": "cross-site" })).status, 403);
  const noOrigin = await app.request("/api/logout", { method: "POST", headers: { cookie: chris.cookie } });
  assert.is(noOrigin.status, 403, "no Origin header at all");
  const login = await app.request("/api/login", {
    method: "POST",
    headers: { "content-type": "application/json", origin: "https://evil.example" },
    body: JSON.stringify({ login: "chris", password: PASSWORD }),
  });
  assert.is(login.status, 403, "a sign-in posted from another site");
  assert.is((await central.admin`SELECT 1 FROM glidepath.plugin_approvals`).length, 0, "nothing was written");
  assert.is((await call(app, chris, "/api/me")).status, 200, "the session still works");
  const rebound = await app.request("http://rebound.example:8090/api/me", {
    headers: { cookie: chris.cookie },
  });
  assert.is(rebound.status, 421, "a Host that is not the dashboard (DNS rebinding)");
});

test("approvals and revocations are recorded with the deciding staff login, within their scope", async () => {
  const chris = await signIn(app, "chris");
  const dana = await signIn(app, "dana");
  const approve = (
    scope: string,
    version: string,
    permissions: unknown = { net: ["api.acme.example:443"] },
  ) => ({
    scope,
    id: "acme.pulse",
    version,
    filesHash: `sha256:${HASH}`,
    permissions,
  });
  const chain = await call(app, chris, "/api/approvals", approve("chain", "1.2.0"));
  assert.is(chain.status, 200, JSON.stringify(chain.json));
  assert.is((await call(app, dana, "/api/approvals", approve("chain", "1.2.0"))).status, 403);
  assert.is((await call(app, dana, "/api/approvals", approve("downtown", "1.3.0"))).status, 200);
  const bad = await call(app, dana, "/api/approvals", approve("downtown", "1.3.0", { net: ["http://x"] }));
  assert.is(bad.status, 400);
  assert.match(String(bad.json.error), /"permissions.net\[0\]" must be host\[:port\], got "http:\/\/x"/);
  const badVersion = await call(app, dana, "/api/approvals", approve("downtown", "one"));
  assert.match(String(badVersion.json.error), /"version" must be semver, got "one"/);
  assert.is(
    (await call(app, chris, "/api/approvals", approve("nowhere", "1.0.0"))).status,
    400,
    "no such salon",
  );
  // The chain revokes another plugin: a salon cannot approve it back (it would never apply at a station).
  const other = { ...approve("chain", "2.0.0"), id: "acme.other" };
  assert.is((await call(app, chris, "/api/approvals", other)).status, 200);
  assert.is(
    (await call(app, chris, "/api/approvals/revoke", { scope: "chain", id: "acme.other" })).status,
    200,
  );
  const back = await call(app, dana, "/api/approvals", { ...other, scope: "downtown" });
  assert.is(back.status, 409);
  assert.match(
    String(back.json.error),
    /^Cannot approve "acme\.other" for salon "downtown": the chain revoked it \(row \d+, chris\)/,
  );
  await central.admin`DELETE FROM glidepath.plugin_approvals WHERE plugin_id = 'acme.other'`;
  const revoked = await call(app, dana, "/api/approvals/revoke", { scope: "downtown", id: "acme.pulse" });
  assert.is(revoked.status, 200);
  assert.is(
    (await call(app, dana, "/api/approvals/revoke", { scope: "downtown", id: "acme.never" })).status,
    404,
  );

  const rows = await central.admin`SELECT salon_id, enabled, version, files_hash, permissions, decided_by
    FROM glidepath.plugin_approvals ORDER BY id`;
  assert.equal(rows.map((r) => [r.salon_id, r.enabled, r.version, r.decided_by]), [
    [null, true, "1.2.0", "chris"],
    ["downtown", true, "1.3.0", "dana"],
    ["downtown", false, "1.3.0", "dana"],
  ]);
  assert.is(rows[0]!.files_hash, HASH, "stored as 64 hex digits");
  assert.equal(rows[0]!.permissions, { net: ["api.acme.example:443"] });
  // In force: uptown's staff see the chain's approval; downtown's see their own revocation besides it.
  const uma = await signIn(app, "uma");
  const seen = (json: Record<string, unknown>) =>
    (json.approvals as { salon: string | null; enabled: boolean; decidedBy: string }[])
      .map((a) => [a.salon, a.enabled, a.decidedBy]);
  assert.equal(seen((await call(app, uma, "/api/approvals")).json), [[null, true, "chris"]]);
  assert.equal(seen((await call(app, dana, "/api/approvals")).json), [[null, true, "chris"], [
    "downtown",
    false,
    "dana",
  ]]);
});

test("a station is online when its last contact is within twice its heartbeat", async () => {
  const chris = await signIn(app, "chris");
  const contact = (station: string, agoS: number | null, heartbeatMs?: number) =>
    central.admin`UPDATE glidepath.stations SET
      last_seen_at = ${agoS === null ? null : central.admin`now() - make_interval(secs => ${agoS})`},
      status = ${central.admin.json(heartbeatMs ? { heartbeatMs } : {})} WHERE id = ${station}`;
  const online = async () =>
    Object.fromEntries(
      ((await call(app, chris, "/api/stations")).json.stations as { id: string; online: boolean }[])
        .map((s) => [s.id, s.online]),
    );
  await contact("dt-1", 5);
  await contact("dt-2", 25);
  await contact("up-1", null);
  assert.equal(await online(), { "dt-1": true, "dt-2": false, "up-1": false }, "default heartbeat 10 s");
  await contact("dt-1", 100, 30_000);
  await contact("dt-2", 50, 30_000);
  assert.equal(
    await online(),
    { "dt-1": false, "dt-2": true, "up-1": false },
    "a station's own 30 s heartbeat",
  );
});

test("a staff member disabled while signed in is signed out at the next request", async () => {
  await central.admin`UPDATE glidepath.staff SET disabled_at = NULL WHERE login = 'dora'`;
  // A fresh app: dora's five wrong passwords above still hold her login in this file's app.
  const app = dashboardApp(central);
  const dora = await signIn(app, "dora");
  assert.is((await call(app, dora, "/api/stations")).status, 200);
  await disableStaff(central.admin, "dora");
  assert.is((await call(app, dora, "/api/stations")).status, 401);
  assert.is((await call(app, dora, "/api/me")).status, 401, "the session is gone");
  assert.is((await postLogin(app, "dora", PASSWORD, "192.0.2.77")).status, 401, "and cannot sign in again");
});

test.after(() => central.dispose());
test.run();
