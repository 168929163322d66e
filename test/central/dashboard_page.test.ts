/**
 * The staff dashboard in a real Chromium over real kiosk stations replicating to a real PostgreSQL: sign-in, the
 * stations with their device and latch state, online and offline from their last contact, today's sessions, the
 * audit log by station, an approval through the form; phone and desktop screenshots.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Browser, chromium, type Page } from "playwright-core";
import { type Kiosk, startKiosk } from "../../kiosk/mod.ts";
import { type Dashboard, readDashboardConfig, startDashboard } from "../../kiosk/central/dashboard/mod.ts";
import { CHROMIUM_FLAGS } from "../../tools/mirror/browser.ts";
import { createNullSink } from "../kiosk/_null_sink.ts";
import { screenshot } from "../kiosk/_page_kiosk.ts";
import { PASSWORD, startDashboardCentral } from "./_dashboard.ts";

const central = await startDashboardCentral(
  [["downtown", "dt-1"], ["downtown", "dt-2"], ["uptown", "up-1"]],
  [["downtown", "dana"], [null, "chris"]],
);
const dirs: string[] = [];
const kiosks: Kiosk[] = [];
let dashboard: Dashboard | undefined;
let browser: Browser | undefined;

/** A kiosk replicating to the central store; dt-1 drives the simulated SIM-1 through a real device host. */
async function station(i: number): Promise<Kiosk> {
  const dir = Deno.makeTempDirSync({ prefix: "gp-dash-" });
  dirs.push(dir);
  return await startKiosk({
    port: 0,
    buildUi: false,
    dataDir: dir,
    demo: false,
    ...(i === 0 ? { device: "simulated" as const } : { sink: createNullSink(), sinkSimulated: true }),
    operatorPin: "2468",
    log: () => {},
    central: central.setting(central.stations[i]!),
    centralOptions: { intervalMs: 100, heartbeatMs: 500, maxBackoffMs: 500 },
  });
}

/** A session recorded at the station the way the recorder writes it, shipped before it returns. */
async function recordSession(k: Kiosk, id: string, minutesAgo: number): Promise<void> {
  const at = Date.now() - minutesAgo * 60_000;
  k.store.startSession({ id, routine: "express-lift", startedAt: at });
  k.store.endSession(id, {
    endedAt: at + 300_000,
    endReason: "completed",
    stimulationMs: 280_000,
    maxCurrentUa: 150,
  });
  k.store.audit({
    at,
    action: "operator-elevated",
    actor: "operator",
    sessionId: id,
    detail: { via: "pin" },
  });
  await k.replicator!.flush();
}

async function rows(page: Page, testId: string, attr: string): Promise<string[]> {
  return await page.$$eval(
    `[data-testid=${testId}]`,
    (els, a) => els.map((e) => (e as HTMLElement).dataset[a] ?? ""),
    attr,
  );
}

async function signIn(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.fill("[data-testid=login]", login);
  await page.fill("[data-testid=password]", password);
  await page.click("[data-testid=sign-in]");
}

test.before(async () => {
  for (let i = 0; i < 3; i++) kiosks.push(await station(i));
  await recordSession(kiosks[0]!, "morning-1", 50);
  await recordSession(kiosks[1]!, "morning-2", 30);
  await recordSession(kiosks[2]!, "uptown-1", 20);
  // dt-2: an emergency stop, latched until an operator reset (the engine's latch, reported with each contact).
  kiosks[1]!.runner.submit({ type: "estop" }, { source: "page" });
  await kiosks[1]!.replicator!.flush();
  dashboard = await startDashboard(
    readDashboardConfig({ DASHBOARD_DATABASE_URL: central.dashboardUrl, PORT: "0" }),
    { log: () => {} },
  );
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
});

test.after(async () => {
  await browser?.close();
  await dashboard?.shutdown();
  for (const k of kiosks) await k.shutdown();
  await central.dispose();
  for (const d of dirs) await Deno.remove(d, { recursive: true }).catch(() => {});
});

test("salon staff sign in and see their stations' device and latch state, sessions, audit log; approve a plugin", async () => {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("dialog", (d) => void d.accept());
  await page.goto(dashboard!.url);
  await signIn(page, "dana", "a wrong password");
  await page.waitForSelector("[data-testid=login-error]");
  assert.is(await page.textContent("[data-testid=login-error]"), "Wrong login or password");
  await signIn(page, "dana");

  await page.waitForSelector("[data-testid=station-row][data-station=dt-2][data-latched=estop]", {
    timeout: 30_000,
  });
  assert.equal(await rows(page, "station-row", "station"), ["dt-1", "dt-2"], "uptown's station is not shown");
  assert.equal(await rows(page, "station-row", "online"), ["true", "true"]);
  assert.equal(await rows(page, "station-row", "deviceKind"), ["device-host", "none"]);
  const dt1 = page.locator("[data-testid=station-row][data-station=dt-1]");
  assert.match(await dt1.textContent() ?? "", /SIM-1/, "the device host's model");
  assert.match(
    await page.textContent("[data-testid=station-row][data-station=dt-2] [data-testid=faults]") ?? "",
    /Emergency stop latched/,
  );
  await screenshot(page, "dashboard-stations.png");

  await page.click("[data-testid=nav-sessions]");
  await page.waitForSelector("[data-testid=session-row]");
  assert.equal((await rows(page, "session-row", "id")).sort(), ["morning-1", "morning-2"]);
  await screenshot(page, "dashboard-sessions.png");

  await page.click("[data-testid=nav-audit]");
  await page.waitForSelector("[data-testid=audit-row][data-action=estop]");
  await page.selectOption("[data-testid=station-filter]", "dt-1");
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll<HTMLElement>("[data-testid=audit-row]")];
    return shown.length > 0 && shown.every((r) => r.dataset.station === "dt-1");
  });
  await page.selectOption("[data-testid=station-filter]", "");
  await page.waitForSelector("[data-testid=audit-row][data-station=dt-2]");
  assert.not.ok((await rows(page, "audit-row", "station")).includes("up-1"));
  await screenshot(page, "dashboard-audit.png");

  await page.click("[data-testid=nav-plugins]");
  await page.fill("[data-testid=approve-id]", "acme.pulse");
  await page.fill("[data-testid=approve-version]", "1.2.0");
  await page.fill("[data-testid=approve-hash]", "sha256:" + "c0ffee".repeat(10) + "abcd");
  await page.fill("[data-testid=approve-permissions]", '{"net": ["x y"]}');
  await page.click("[data-testid=approve]");
  await page.waitForSelector("[data-testid=approve-error]");
  assert.match(
    await page.textContent("[data-testid=approve-error]") ?? "",
    /"permissions.net\[0\]" must be host\[:port\]/,
  );
  await page.fill("[data-testid=approve-permissions]", '{"net": ["api.acme.example:443"]}');
  await page.click("[data-testid=approve]");
  await page.waitForSelector(
    "[data-testid=approval-row][data-plugin='acme.pulse'][data-scope=downtown][data-by=dana]",
  );
  const [row] = await central.admin`SELECT salon_id, decided_by, enabled FROM glidepath.plugin_approvals`;
  assert.equal([row?.salon_id, row?.decided_by, row?.enabled], ["downtown", "dana", true]);
  await screenshot(page, "dashboard-plugins.png");
  await page.click("[data-testid=revoke]");
  await page.waitForSelector("[data-testid=approval-row][data-enabled=false]");

  // A station that stops making contact goes offline after twice its heartbeat.
  await kiosks[0]!.shutdown();
  await page.click("[data-testid=nav-stations]");
  await page.waitForSelector("[data-testid=station-row][data-station=dt-1][data-online=false]", {
    timeout: 30_000,
  });
  assert.is(await page.getAttribute("[data-testid=station-row][data-station=dt-2]", "data-online"), "true");

  await page.click("[data-testid=sign-out]");
  await page.waitForSelector("[data-testid=login-form]");
  await page.reload();
  await page.waitForSelector("[data-testid=login-form]");
  assert.equal(
    errors.filter((e) => !/status of (400|401)/.test(e)),
    [],
    "no script errors and no missing file (a CSP refusal would be one); 400: the refused form, 401: signed out",
  );
  await context.close();
});

test("chain staff see every salon's stations, readable on a phone", async () => {
  const context = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(dashboard!.url);
  await page.waitForSelector("[data-testid=login-form]");
  await screenshot(page, "dashboard-login-phone.png");
  await signIn(page, "chris");
  await page.waitForSelector("[data-testid=station-row][data-station=up-1]");
  assert.equal(await rows(page, "station-row", "station"), ["dt-1", "dt-2", "up-1"]);
  // Nothing wider than the screen.
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), "no sideways scrolling");
  await screenshot(page, "dashboard-stations-phone.png");
  await page.click("[data-testid=nav-plugins]");
  await page.waitForSelector("[data-testid=approval-row]");
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= 390),
    "plugins: no sideways scrolling",
  );
  await screenshot(page, "dashboard-plugins-phone.png");
  await context.close();
});

test.run();
