/**
 * The staff dashboard's API against what an attacker tries (a real PostgreSQL): many guesses at once, a staff member
 * disabled mid-session.
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

test("a disabled staff member's session is refused by /api/me too (the page's first question)", async () => {
  const dora = await signIn(app, "dora");
  await disableStaff(central.admin, "dora");
  assert.is((await call(app, dora, "/api/me")).status, 401);
});

test.after(() => central.dispose());
test.run();
