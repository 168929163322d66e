import { test } from "uvu";
import * as assert from "uvu/assert";
import { chromium } from "playwright-core";
import { startKiosk } from "../../kiosk/mod.ts";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const text = (testId: string) => `document.querySelector("[data-testid=${testId}]")?.textContent`;

test("from the page: consent gates Start, the demo session runs live, and the emergency stop zeroes output", async () => {
  const kiosk = await startKiosk({
    port: 0,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-page-" }),
    demo: true,
    log: () => {},
  });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(kiosk.url);
    await page.waitForFunction(`${text("state")} === "idle"`);
    assert.ok(await page.isDisabled("[data-testid=start]"), "no start without consent");
    await page.check("text=I have read the guidance and consent to this session");
    await page.click("[data-testid=start]");
    await page.waitForFunction(`${text("state")} === "running"`);
    await page.waitForFunction(`${text("step")}?.startsWith("1 / ")`);
    assert.ok(await page.isVisible("[data-testid=demo-face]"), "the mirror area shows the demo face");
    await page.click("[data-testid=estop]");
    await page.waitForFunction(`${text("limit")} === "estop"`);
    assert.match((await page.textContent("[data-testid=current]")) ?? "", /^0 µA/);
    assert.is(kiosk.runner.lastFrame?.limit, "estop");
    assert.is(kiosk.store.auditLog()[0]?.action, "estop");
    const [session] = kiosk.store.sessions();
    assert.is(session?.routine, "express-lift", "demo mode preselects express-lift");
    assert.is(kiosk.store.screenings(session!.id)[0]?.consent, true);
    assert.equal(errors, []);
  } finally {
    await browser.close();
    await kiosk.shutdown();
  }
});

test.run();
