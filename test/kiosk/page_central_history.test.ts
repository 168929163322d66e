/**
 * "My history" at a salon station in headless Chromium: this station's sessions and the salon's other stations'
 * (cached from the central store) in one list, newest first, each saying where it was recorded, in English and
 * Spanish, with the age of the cached copy; saves the screenshots.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Page } from "playwright-core";
import type { Kiosk } from "../../kiosk/mod.ts";
import { createSummaryAccumulator, historyItem } from "../../core/session/mod.ts";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { closePageKiosk, openPageKiosk, passAttract, screenshot } from "./_page_kiosk.ts";

const DAY = 86_400_000;
let kiosk: Kiosk;
let browser: Browser;
let dataDir: string;

test.before(async () => {
  ({ kiosk, browser, dataDir } = await openPageKiosk("gp-page-central-", { station: "salon", demo: false }));
});
test.after(() => closePageKiosk({ kiosk, browser, dataDir }));

/** A summary of `minutes` of output spread over `zones`. */
function summaryOver(zones: string[], minutes: number) {
  const acc = createSummaryAccumulator();
  const ms = minutes * 60_000;
  for (let t = 0, on = 0; t <= ms; t += 100) {
    const frame: EngineFrame = {
      t,
      currentUa: 120,
      freqHz: 3,
      polarity: "alternating",
      zone: zones[Math.min(zones.length - 1, Math.floor((t / ms) * zones.length))]!,
      state: "running",
      limit: "zone",
      validForMs: 100,
    };
    acc.frame(frame, t === 0 ? 0 : (on += 100));
  }
  // The guided routine ran to its end (the accumulator learns that from routine steps, which this seed has none of).
  return { ...acc.snapshot("completed"), completed: true };
}

/** Client K7Q2: two sessions here, two at station "mirror-2" (one of them a copy of this station's own), pulled 2 h ago. */
function seed(): { pulledAt: number } {
  const now = Date.now();
  const store = kiosk.store;
  store.profiles.create({
    id: "p-k7",
    kind: "walk-in",
    name: "K7Q2",
    language: "en",
    createdAt: now - 9 * DAY,
  });
  store.profiles.update("p-k7", { onboardedAt: now - 9 * DAY });
  const here = [["here-1", 6, ["forehead", "temple-left"]], ["here-2", 1, [
    "cheek-right",
    "jawline-right",
  ]]] as const;
  for (const [id, daysAgo, zones] of here) {
    const startedAt = now - daysAgo * DAY;
    const s = summaryOver([...zones], 4);
    store.startSession({ id, routine: "express-lift", startedAt, comfort: 5, profileId: "p-k7" });
    store.endSession(id, {
      endedAt: startedAt + 300_000,
      endReason: "completed",
      stimulationMs: s.stimulationMs,
      maxCurrentUa: 120,
    });
    store.saveSummary(id, s);
  }
  const item = (id: string, daysAgo: number, zones: string[]) => {
    const startedAt = now - daysAgo * DAY - 3_600_000;
    const s = summaryOver(zones, 5);
    return historyItem({
      id,
      routine: "express-lift",
      startedAt,
      endedAt: startedAt + 360_000,
      endReason: "completed",
      stimulationMs: s.stimulationMs,
      maxCurrentUa: 130,
    }, s);
  };
  const pulledAt = now - 2 * 3_600_000;
  store.saveCentralHistory("p-k7", {
    pulledAt,
    stationId: "mirror-1",
    sessions: [
      { stationId: "mirror-2", item: item("there-1", 4, ["cheek-left", "chin"]) },
      { stationId: "mirror-2", item: item("there-2", 8, ["nasolabial-left"]) },
      { stationId: "mirror-1", item: item("here-1", 6, ["forehead"]) }, // this station's own, replicated
    ],
  });
  return { pulledAt };
}

/** From the attract screen: the client code, then "My history"; each listed session's [id, data-station, text]. */
async function historyOf(page: Page, code: string): Promise<string[][]> {
  await passAttract(page);
  await page.fill("[data-testid=client-code]", code);
  await page.click("[data-testid=client-code-go]");
  await page.click("[data-testid=profile-history]");
  await page.waitForSelector("[data-testid=history-sessions]");
  return await page.$$eval(
    "[data-testid=history-sessions] li",
    (li) =>
      li.map((
        x,
      ) => [(x as HTMLElement).dataset.session!, (x as HTMLElement).dataset.station!, x.textContent!]),
  );
}

test("a salon client's history lists this station's and the other stations' sessions once each, newest first, saying where", async () => {
  const { pulledAt } = seed();
  const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
  page.setDefaultTimeout(60_000);
  try {
    await page.goto(kiosk.url);
    const listed = await historyOf(page, "k7q2");
    assert.equal(listed.map(([id, station]) => [id, station]), [
      ["here-2", "here"],
      ["there-1", "mirror-2"],
      ["here-1", "here"],
      ["there-2", "mirror-2"],
    ]);
    assert.match(listed[0]![2]!, /Recorded at this station/);
    assert.match(listed[1]![2]!, /Recorded at station mirror-2/);
    assert.match(listed[1]![2]!, /cheek/i, "its areas, from the cached summary");
    assert.is(await page.getAttribute("[data-testid=history-central]", "data-pulled-at"), String(pulledAt));
    assert.match(await page.textContent("[data-testid=history-central]") ?? "", /other stations.*2 h ago/);
    assert.is(
      await page.getAttribute("[data-testid=schedule]", "data-sessions"),
      "4",
      "the plan counts all four",
    );
    await screenshot(page, "history-stations.png");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.documentElement.clientWidth === 390);
    const wide = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    assert.ok(wide <= 390, `the page scrolls sideways (${wide} px)`);
    await screenshot(page, "history-stations-phone.png");

    // In Spanish: the same list, in the client's words.
    kiosk.store.profiles.update("p-k7", { language: "es" });
    await page.click("[data-testid=history-done]");
    const es = await historyOf(page, "K7Q2");
    assert.match(es[0]![2]!, /Registrada en esta estación/);
    assert.match(es[1]![2]!, /Registrada en la estación mirror-2/);
    assert.match(await page.textContent("[data-testid=history-central]") ?? "", /demás estaciones.*hace 2 h/);
  } finally {
    await page.close();
  }
});

test.run();
