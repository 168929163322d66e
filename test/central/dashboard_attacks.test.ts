/**
 * The staff dashboard's API against what an attacker tries (a real PostgreSQL): many guesses at once, a staff member
 * disabled mid-session, a stolen station credential writing huge text into the rows the dashboard lists.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { disableStaff } from "../../kiosk/central/dashboard/mod.ts";
import { call, dashboardApp, PASSWORD, postLogin, signIn, startDashboardCentral } from "./_dashboard.ts";

const central = await startDashboardCentral(
  [["downtown", "dt-1"], ["uptown", "up-1"]],
  [["uptown", "uma"], [null, "chris"], ["downtown", "dora"]],
);
const app = dashboardApp(central);

test("guesses sent all at once count against the login before they are checked", async () => {
  // Twelve wrong passwords for one login, each from its own address, in flight together.
  const answers = await Promise.all(
    Array.from({ length: 12 }, (_, i) => postLogin(app, "uma", `guess number ${i}`, `198.51.100.${100 + i}`)),
  );
  const statuses = answers.map((r) => r.status).sort();
  assert.equal(statuses, [...Array(5).fill(401), ...Array(7).fill(429)], "five checked, the rest refused");
  assert.is((await postLogin(app, "uma", PASSWORD, "198.51.100.200")).status, 429, "and the login is held");
});

test("a failed sign-in's log names a known login but never what was typed as an unknown one (often a password)", async () => {
  const lines: string[] = [];
  const logged = dashboardApp(central, { log: (line) => void lines.push(line) });
  assert.is((await postLogin(logged, "Tr0ub4dor&3", PASSWORD, "198.51.100.31")).status, 401);
  assert.is((await postLogin(logged, "chris", "not it", "198.51.100.32")).status, 401);
  assert.ok(lines.length >= 2, "both failures logged");
  assert.not.ok(lines.some((l) => l.toLowerCase().includes("tr0ub4dor")), lines.join("\n"));
  assert.ok(lines.some((l) => l.includes('"chris"') && l.includes("failed")), lines.join("\n"));
});

test("a disabled staff member's session is refused by /api/me too (the page's first question)", async () => {
  const dora = await signIn(app, "dora");
  await disableStaff(central.admin, "dora");
  assert.is((await call(app, dora, "/api/me")).status, 401);
});

test("a station writing huge text into its own rows cannot make the dashboard read or send it whole", async () => {
  // A stolen station credential (not a driver: describeStation bounds what a driver reports) writes what it likes.
  const up1 = central.as(central.stations.find((s) => s.stationId === "up-1")!);
  const huge = "x".repeat(1_000_000);
  // Indexed columns (ids) stop at a B-tree entry's size; 2,000 still fits.
  const long = "y".repeat(2000);
  await up1`UPDATE glidepath.stations SET status = ${up1.json({ state: "idle", pad: huge })}
    WHERE role = current_user`;
  const at = new Date();
  await up1`INSERT INTO glidepath.sessions (id, routine, started_at, end_reason, stimulation_ms, max_current_ua,
    seq, queued_at) VALUES (${long}, ${huge}, ${at}, ${huge}, 1, 1, 900, ${at})`;
  await up1`INSERT INTO glidepath.audit_log (id, at, action, actor, session_id, detail, seq, queued_at)
    VALUES (${long}, ${at}, ${huge}, ${huge}, ${long}, '{}', 901, ${at})`;
  const chris = await signIn(app, "chris");
  const stations = await call(app, chris, "/api/stations");
  const up = (stations.json.stations as { id: string; status: { state: string | null } }[])
    .find((s) => s.id === "up-1")!;
  assert.is(up.status.state, null, "a status far over the station's own bound is not read at all");
  const longest = (rows: unknown) =>
    Math.max(
      ...(rows as Record<string, unknown>[]).flatMap((r) => Object.values(r).map((v) => String(v).length)),
    );
  const sessions = await call(app, chris, "/api/sessions?station=up-1");
  assert.ok(
    longest(sessions.json.rows) <= 200,
    `sessions: a field of ${longest(sessions.json.rows)} characters`,
  );
  const audit = await call(app, chris, "/api/audit?station=up-1");
  assert.ok(longest(audit.json.rows) <= 300, `audit: a field of ${longest(audit.json.rows)} characters`);
});

test.after(() => central.dispose());
test.run();
