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

test("the page shows the live session, the demo face, and its emergency stop zeroes output", async () => {
  const kiosk = await startKiosk({
    port: 0,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-page-" }),
    demo: true,
    demoAutostart: true,
    log: () => {},
  });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(kiosk.url);
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=state]")?.textContent === "running"
    );
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=step]")?.textContent?.startsWith("1 / ")
    );
    assert.ok(await page.isVisible("[data-testid=demo-face]"), "the mirror area shows the demo face");
    await page.click("[data-testid=estop]");
    await page.waitForFunction(() => document.querySelector("[data-testid=limit]")?.textContent === "estop");
    assert.match((await page.textContent("[data-testid=current]")) ?? "", /^0 µA/);
    assert.is(kiosk.runner.lastFrame?.limit, "estop");
    assert.is(kiosk.store.auditLog()[0]?.action, "estop");
    assert.equal(errors, []);
  } finally {
    await browser.close();
    await kiosk.shutdown();
  }
});

test.run();
