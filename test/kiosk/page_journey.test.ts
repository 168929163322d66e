/** The whole journey of issue 9 in headless Chromium at a 1080×1920 portrait mirror: a newcomer goes from the attract screen through "Who's here?", the guide and a short guided session to its summary, and the next day finds it in their history, without any test hook. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { Page } from "playwright-core";
import { consentAndStart, pageSuite, shownIdle, shownState } from "./_page_kiosk.ts";
import { routines, shortDepuff } from "./_fixtures.ts";

const DAY = 86_400_000;

/** A short routine: the first two steps of gentle de-puffing, one pass each with a 1 s hold. */
const SHORT = shortDepuff("short-journey", "Short journey", "Two steps, one pass each (tests).", 2, 1);

const rig = pageSuite(test, "gp-page-journey-", { routines: [...routines, SHORT] });

async function portrait(): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width: 1080, height: 1920 } });
  page.setDefaultTimeout(150_000);
  await page.goto(rig.kiosk.url);
  await page.waitForSelector("[data-testid=attract]");
  return page;
}

test("a newcomer goes from the attract screen to their summary, and the next day sees it in their history", async () => {
  let page = await portrait();
  try {
    // Attract → "Who's here?": a new person adds themself.
    await page.click("[data-testid=attract-go]");
    await page.waitForSelector("[data-testid=profiles-screen]");
    await page.fill("[data-testid=profile-name]", "Sam");
    await page.click("[data-testid=profile-add]");
    // New to the mirror: the first-run guide, page by page, to its end.
    await page.waitForSelector("[data-testid=onboarding]");
    while (await page.locator("[data-testid=guide-next]").count()) {
      await page.click("[data-testid=guide-next]");
    }
    await page.click("[data-testid=guide-done]");
    await page.waitForFunction(shownIdle);
    assert.is(await page.textContent("[data-testid=profile-current]"), "Sam");
    const sam = rig.kiosk.store.profiles.findByName("home", "Sam")!;
    assert.ok(sam.onboardedAt !== null, "the guide is remembered for Sam");

    // The session: screening, consent, the short routine, Start (once the mirror sees the face and the probe).
    await page.selectOption(".controls select", SHORT.id);
    await consentAndStart(page);
    await page.waitForFunction(`${shownState} === "running"`);
    // The routine runs to its end; the page shows the summary by itself.
    await page.waitForSelector("[data-testid=summary-title]").catch(() => {
      throw new Error(`no summary; engine at ${JSON.stringify(rig.kiosk.runner.lastFrame)}`);
    });
    assert.is(await page.getAttribute("[data-testid=summary-end]", "data-outcome"), "complete");
    assert.is(await page.textContent("[data-testid=summary-passes]"), "2 of 2");
    const session = rig.kiosk.store.sessions({ limit: 1 })[0]!;
    assert.is(session.profileId, sam.id, "the session is Sam's");
    await page.click("[data-testid=summary-done]");
    await page.waitForSelector("[data-testid=profiles-screen]");
    assert.not.ok(await page.$("[data-testid=summary]"), "nothing of the session stays on screen");
  } finally {
    await page.close();
  }

  // The next day: the session was yesterday (moved back a day in the store, as the clock would have).
  const db = new DatabaseSync(rig.kiosk.store.path);
  try {
    db.prepare(
      "UPDATE sessions SET started_at = started_at - ?, ended_at = ended_at - ? WHERE profile_id = ?",
    )
      .run(DAY, DAY, rig.kiosk.store.profiles.findByName("home", "Sam")!.id);
  } finally {
    db.close();
  }
  page = await portrait();
  try {
    await page.click("[data-testid=attract-go]");
    await page.click("[data-testid=profile-Sam]");
    // Sam has seen the guide: straight to the mirror, with their history one tap away.
    await page.waitForSelector("[data-testid=profile-chip]");
    assert.is(await page.locator("[data-testid=onboarding]").count(), 0);
    await page.click("[data-testid=profile-history]");
    await page.waitForSelector("[data-testid=history-sessions]");
    const rows = await page.$$eval(
      "[data-testid=history-sessions] li",
      (li) => li.map((x) => x.textContent ?? ""),
    );
    assert.is(rows.length, 1, JSON.stringify(rows));
    const yesterday = new Date(Date.now() - DAY).toLocaleDateString("en", { day: "numeric" });
    assert.ok(rows[0]!.includes(yesterday), `yesterday's session listed: ${rows[0]}`);
    assert.match(await page.textContent("[data-testid=schedule-progress]") ?? "", /of 5 sessions/);
  } finally {
    await page.close();
  }
});

test.run();
