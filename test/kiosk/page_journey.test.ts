/** The whole journey of issue 9 in headless Chromium at a 1080×1920 portrait mirror: a newcomer goes from the attract screen through "Who's here?", the guide and a short guided session to its summary, and the next day finds it in their history, without any test hook. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { Browser, Page } from "playwright-core";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import type { Routine } from "../../core/routines/mod.ts";
import type { Kiosk } from "../../kiosk/mod.ts";
import { closePageKiosk, openPageKiosk, settle, shownState } from "./_page_kiosk.ts";
import { routines } from "./_fixtures.ts";

const DAY = 86_400_000;

/** A short routine: the first two steps of gentle de-puffing, one pass each with a 1 s hold. */
const SHORT: Routine = {
  id: "short-journey",
  name: "Short journey",
  description: "Two steps, one pass each (tests).",
  steps: routines.find((r) => r.id === "gentle-depuff")!.steps.slice(0, 2).map((s) => ({
    ...s,
    passes: 1,
    holdS: 1,
  })),
};

let kiosk: Kiosk;
let browser: Browser;
let dataDir: string;

test.before(async () => {
  ({ kiosk, browser, dataDir } = await openPageKiosk("gp-page-journey-", { routines: [...routines, SHORT] }));
});

test.after(() => closePageKiosk({ kiosk, browser, dataDir }));

async function portrait(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  page.setDefaultTimeout(150_000);
  await page.goto(kiosk.url);
  await page.waitForSelector("[data-testid=attract]");
  return page;
}

test("a newcomer goes from the attract screen to their summary, and the next day sees it in their history", async () => {
  settle(kiosk);
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
    await page.waitForFunction(`["idle", "ended", "aborted"].includes(${shownState})`);
    assert.is(await page.textContent("[data-testid=profile-current]"), "Sam");
    const sam = kiosk.store.profiles.findByName("home", "Sam")!;
    assert.ok(sam.onboardedAt !== null, "the guide is remembered for Sam");

    // The session: screening, consent, the short routine, Start (once the mirror sees the face and the probe).
    await page.selectOption(".controls select", SHORT.id);
    for (const key of CONTRAINDICATIONS) await page.check(`[data-question=${key}] input[value=no]`);
    await page.check("[data-testid=consent]");
    await page.click("[data-testid=start]");
    await page.waitForFunction(`${shownState} === "running"`);
    // The routine runs to its end; the page shows the summary by itself.
    await page.waitForSelector("[data-testid=summary-title]").catch(() => {
      throw new Error(`no summary; engine at ${JSON.stringify(kiosk.runner.lastFrame)}`);
    });
    assert.is(await page.getAttribute("[data-testid=summary-end]", "data-outcome"), "complete");
    assert.is(await page.textContent("[data-testid=summary-passes]"), "2 of 2");
    const session = kiosk.store.sessions({ limit: 1 })[0]!;
    assert.is(session.profileId, sam.id, "the session is Sam's");
    await page.click("[data-testid=summary-done]");
    await page.waitForSelector("[data-testid=profiles-screen]");
    assert.not.ok(await page.$("[data-testid=summary]"), "nothing of the session stays on screen");
  } finally {
    await page.close();
  }

  // The next day: the session was yesterday (moved back a day in the store, as the clock would have).
  const db = new DatabaseSync(kiosk.store.path);
  try {
    db.prepare(
      "UPDATE sessions SET started_at = started_at - ?, ended_at = ended_at - ? WHERE profile_id = ?",
    )
      .run(DAY, DAY, kiosk.store.profiles.findByName("home", "Sam")!.id);
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
