/** Summary and history in headless Chromium: a short demo session run to its end shows its summary (areas, chart, coverage), the history lists it with the plan, and the CSV downloads; saves the screenshots. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { Page } from "playwright-core";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { createSummaryAccumulator } from "../../core/session/mod.ts";
import {
  consentAndStart,
  pageSuite,
  passAttract,
  PIN,
  screenshot,
  shownIdle,
  shownState,
} from "./_page_kiosk.ts";
import { routines, shortDepuff } from "./_fixtures.ts";

const PROFILE = "p-ana";
const DAY = 86_400_000;

/** A short routine for the page: the first three steps of gentle de-puffing, two passes of a 1 s hold each. */
const SHORT = shortDepuff("short-demo", "Short demo", "Three steps, two passes each (tests).", 3, 2);

const rig = pageSuite(test, "gp-page-summary-", {
  routines: [...routines, SHORT],
  // The profiles part selects a profile per socket (profile-select); here every page is Ana's.
  profileOf: () => PROFILE,
});

/**
 * Ana's profile and thirteen earlier sessions (a second connection): three of the week three weeks back (her
 * first, from its Friday), then five in each of the last two weeks, each with a summary of four minutes.
 */
function seedHistory(): number {
  const db = new DatabaseSync(rig.kiosk.store.path);
  db.exec(
    `INSERT INTO profiles (id, kind, name, language, created_at) VALUES ('${PROFILE}', 'home', 'Ana', 'en', 0)`,
  );
  const today = Math.floor(Date.now() / DAY);
  const monday = today - ((today + 3) % 7);
  const days = [4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18].map((d) => monday - 21 + d);
  const insert = db.prepare(
    `INSERT INTO sessions (id, routine, started_at, ended_at, end_reason, comfort, stimulation_ms, max_current_ua, profile_id)
     VALUES (?, ?, ?, ?, ?, 5, ?, ?, ?)`,
  );
  const summary = db.prepare("INSERT INTO session_summaries (session_id, summary) VALUES (?, ?)");
  const zones = ["cheek-left", "cheek-right", "temple-left", "jawline-left"];
  for (const [i, day] of days.entries()) {
    const acc = createSummaryAccumulator();
    let count = 0;
    for (let t = 0; t <= 240_000; t += 20) {
      acc.probe([{ u: 0.2 + (t % 9000) / 60_000, v: 0.5 }]);
      const f: EngineFrame = {
        t,
        currentUa: 120,
        freqHz: 3,
        polarity: "alternating",
        zone: zones[Math.min(3, Math.floor(t / 60_000))]!,
        state: "running",
        limit: "zone",
        validForMs: 100,
      };
      acc.frame(f, t === 0 ? 0 : (count += 20));
    }
    const s = acc.snapshot("ended");
    const at = day * DAY + (8 + (i % 5) * 2) * 3_600_000 + (i * 7 % 60) * 60_000;
    insert.run(`past-${i}`, "gentle-depuff", at, at + 300_000, "ended", s.stimulationMs, 125, PROFILE);
    summary.run(`past-${i}`, JSON.stringify(s));
  }
  db.close();
  return days.length;
}

/** The page's own session becomes Ana's (the profiles part writes profile_id at start). */
function claimSessions() {
  const db = new DatabaseSync(rig.kiosk.store.path);
  db.exec(`UPDATE sessions SET profile_id = '${PROFILE}' WHERE profile_id IS NULL`);
  db.close();
}

/** Pixels of a canvas that are drawn in the charts' green (the line, the band, the glow). */
function greenPixels(page: Page, testid: string): Promise<number> {
  return page.$eval(`[data-testid=${testid}]`, (el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 40 && data[i + 1]! > 150 && data[i + 1]! > data[i]! + 20) n++;
    }
    return n;
  });
}

/** Nothing scrolls sideways, and every button is inside the page's width. */
function sidewaysProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > doc.clientWidth) out.push(`the page scrolls sideways (${doc.scrollWidth} px)`);
    for (const el of document.querySelectorAll<HTMLElement>("button, summary")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.left < 0 || r.right > doc.clientWidth) {
        out.push(`${el.textContent}: ${r.left}..${r.right}`);
      }
    }
    return out;
  });
}

test("a demo session run to its end shows its summary; the history lists it with the plan; the CSV downloads", async () => {
  const seeded = seedHistory();
  const page = await rig.browser.newPage({ viewport: { width: 1080, height: 1920 }, acceptDownloads: true });
  const other = await rig.browser.newPage({ viewport: { width: 800, height: 600 } });
  page.setDefaultTimeout(150_000);
  try {
    await other.goto(rig.kiosk.url);
    await passAttract(other);
    await page.goto(rig.kiosk.url);
    await passAttract(page);
    await page.waitForFunction(shownIdle);
    await page.selectOption(".controls select", SHORT.id);
    await consentAndStart(page);
    await page.waitForSelector("[data-testid=summary-title]").catch(() => {
      throw new Error(`no summary; engine at ${JSON.stringify(rig.kiosk.runner.lastFrame)}`);
    });
    assert.is(rig.kiosk.runner.lastFrame?.state, "ended");

    // The summary: how it ended, time, areas, passes, a chart and a map with something on them.
    assert.is(await page.getAttribute("[data-testid=summary-end]", "data-outcome"), "complete");
    assert.not.equal(await page.textContent("[data-testid=summary-time]"), "0:00");
    const areas = await page.$$eval("[data-testid=summary-areas] li", (li) => li.map((x) => x.textContent));
    assert.equal(areas.length, 3, JSON.stringify(areas));
    assert.match(areas.join(" "), /Right cheek/);
    assert.equal(await page.textContent("[data-testid=summary-passes]"), "6 of 6");
    await page.waitForFunction(() =>
      (document.querySelector("[data-testid=coverage-map]") as HTMLCanvasElement)?.width > 0
    );
    assert.ok(await greenPixels(page, "summary-chart") > 500, "the chart shows the current");
    assert.ok(await greenPixels(page, "coverage-map") > 500, "the map shows where it flowed");
    const text = await page.textContent("[data-testid=summary]") ?? "";
    const staff = await page.textContent("[data-testid=summary-staff]") ?? "";
    const shown = text.replace(staff, "");
    assert.not.match(
      shown,
      /µA|Hz|cheek-left|cheek-right|temple-left/,
      "no units or zone ids in the person's view",
    );
    assert.not.ok(shown.includes(rig.kiosk.store.sessions({ limit: 1 })[0]!.id), "nor the session id");
    assert.not.ok(
      await other.$("[data-testid=summary]"),
      "a page that did not start the session stays where it was",
    );
    assert.equal(await sidewaysProblems(page), []);
    await screenshot(page, "summary.png");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.documentElement.clientWidth === 390);
    assert.equal(await sidewaysProblems(page), [], "the summary on a phone");
    await page.setViewportSize({ width: 1080, height: 1920 });

    // The units stay behind the PIN: the summary's own staff door unlocks them, and locks again.
    await page.click("[data-testid=summary-staff] summary");
    await page.fill("[data-testid=summary-pin]", PIN);
    await page.click("[data-testid=summary-unlock]");
    assert.match(await page.textContent("[data-testid=staff-peak]") ?? "", /^\d+ µA$/);
    await page.click("[data-testid=summary-staff] button");
    await page.waitForSelector("[data-testid=summary-unlock]:not([disabled])");

    // The history: the plan, the streak, the next session, today's session and the earlier ones.
    claimSessions();
    await page.click("[data-testid=to-history]");
    await page.waitForSelector("[data-testid=history-sessions]");
    const rows = await page.$$eval(
      "[data-testid=history-sessions] li",
      (li) => li.map((x) => x.dataset.session),
    );
    assert.is(rows.length, seeded + 1);
    assert.ok(rows[0] !== undefined && !rows[0].startsWith("past-"), "the new session first");
    assert.match(await page.textContent("[data-testid=schedule-progress]") ?? "", /^\d of 5 sessions$/);
    assert.match(
      await page.textContent("[data-testid=next-session]") ?? "",
      /^(This week is done\. )?Next session: /,
    );
    assert.match(await page.textContent("[data-testid=streak]") ?? "", /^3 weeks in a row on track$/);
    assert.equal(await sidewaysProblems(page), []);
    await screenshot(page, "history.png");

    const [csv] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export-csv]")]);
    assert.match(csv.suggestedFilename(), /^glidepath-history-\d{4}-\d{2}-\d{2}\.csv$/);
    const content = await Deno.readTextFile((await csv.path())!);
    const lines = content.replace(/^\ufeff/, "").trimEnd().split("\r\n");
    assert.is(
      lines[0],
      "date,start,routine,minutes treated,areas,passes done,passes,complete,how it ended,peak current (µA)",
    );
    assert.is(lines.length, seeded + 2, content);
    assert.match(
      lines.at(-1)!,
      /^\d{4}-\d{2}-\d{2},\d{2}:\d{2},Short demo,\d+\.\d,"[a-z ]+ \d+\.\d(; [a-z ]+ \d+\.\d){2}",/,
      lines.at(-1),
    );
    assert.match(lines.at(-1)!, /,6,6,yes,You finished every step\.,\d+$/, lines.at(-1));
    const [json] = await Promise.all([
      page.waitForEvent("download"),
      page.click("[data-testid=export-json]"),
    ]);
    const exported = JSON.parse(await Deno.readTextFile((await json.path())!));
    assert.equal([exported.format, exported.profileId, exported.sessions.length], [
      "glidepath-history",
      PROFILE,
      seeded + 1,
    ]);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.documentElement.clientWidth === 390);
    assert.equal(await sidewaysProblems(page), []);
    await screenshot(page, "history-phone.png");

    await page.click("[data-testid=history-done]");
    await page.waitForSelector("[data-testid=history]", { state: "detached" });
    assert.not.match(
      await page.textContent("body") ?? "",
      /right cheek|Your history/,
      "nothing of Ana's stays",
    );
  } finally {
    await page.close();
    await other.close();
  }
});

test("a summary answer lost with its socket is asked for again on the page's next socket", async () => {
  const page = await rig.browser.newPage({ viewport: { width: 800, height: 900 } });
  page.setDefaultTimeout(60_000);
  let dropped = 0;
  // The first summary answer never reaches the page: its socket closes instead (as when the page swaps it).
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      if (dropped === 0 && JSON.parse(String(m)).type === "summary") {
        dropped++;
        ws.close();
        return;
      }
      ws.send(m);
    });
  });
  await page.goto(rig.kiosk.url);
  await passAttract(page);
  await page.waitForFunction(shownIdle);
  await consentAndStart(page);
  await page.waitForFunction(`${shownState} === "running"`);
  await page.click("[data-testid=end]");
  await page.waitForSelector("[data-testid=summary-title]");
  assert.is(dropped, 1);
  await page.click("[data-testid=summary-done]");
});

test.run();
