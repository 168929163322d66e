/** Onboarding and calibration in headless Chromium against a real kiosk: the first-run guide, the checklist before the first stroke, "more gel" on poor contact, and time left; saves the guide's screenshot. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Page } from "playwright-core";
import { CONTRAINDICATIONS, MAX_STIMULATION_MS } from "../../core/engine/envelope.ts";
import { MORE_GEL_OHM } from "../../kiosk/ui/calibration.ts";
import { data, pageSuite, recordSent, SCREENS_DIR, showIdle, shownState } from "./_page_kiosk.ts";

const rig = pageSuite(test, "gp-page-onboard-");

/** A page whose messages to the kiosk are recorded. */
async function openPage(
  width: number,
  height: number,
  query = "",
): Promise<{ page: Page; sent: Record<string, unknown>[] }> {
  const page = await rig.browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(150_000);
  const sent = await recordSent(page);
  await showIdle(page, `${rig.kiosk.url}${query}`);
  return { page, sent };
}

const check = (page: Page, id: string) => page.getAttribute(`[data-check=${id}]`, "data-done");

async function answerAll(page: Page) {
  for (const key of CONTRAINDICATIONS) await page.check(`[data-question=${key}] input[value=no]`);
  await page.check("[data-testid=consent]");
}

test("the guide: five pages in large type (gel, probes, arrow/ring/colours, how to stop), Back and Next, done or skipped back to the mirror", async () => {
  const { page, sent } = await openPage(1080, 1920);
  await page.click("[data-testid=guide]");
  await page.waitForSelector("[data-testid=onboarding][data-page=welcome]");
  assert.is(
    await page.locator("[data-testid=estop]").count(),
    0,
    "no session is live: the guide has the screen",
  );
  const size = await page.$eval(".guide-body", (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 32, `large type: ${size} px at 1080 wide`);
  const pages: string[] = [];
  for (let i = 0; i < 4; i++) {
    pages.push((await page.getAttribute("[data-testid=onboarding]", "data-page"))!);
    await page.click("[data-testid=guide-next]");
  }
  pages.push((await page.getAttribute("[data-testid=onboarding]", "data-page"))!);
  assert.equal(pages, ["welcome", "gel", "probes", "mirror", "stop"]);
  assert.match(await page.textContent("[data-testid=onboarding]") ?? "", /Space.*Esc/);
  await page.click("[data-testid=guide-back]");
  await page.waitForSelector("[data-testid=onboarding][data-page=mirror]");
  const legend = await page.$$eval(
    ".guide-legend li",
    (els) => els.map((el) => el.getAttribute("data-legend")),
  );
  assert.equal(legend, ["arrow", "ring", "green", "red", "dot"]);
  // The guide speaks the chosen language too.
  await page.click("[data-testid=onboarding] [data-lang=es]");
  await page.waitForFunction(() =>
    document.querySelector("#guide-title")?.textContent === "Qué muestra el espejo"
  );
  await page.click("[data-testid=onboarding] [data-lang=en]");
  await page.waitForFunction(() =>
    document.querySelector("#guide-title")?.textContent === "What the mirror shows"
  );
  const png = await page.screenshot({ animations: "disabled", caret: "hide" });
  if (SCREENS_DIR) await Deno.writeFile(`${SCREENS_DIR}onboarding.png`, png);
  await page.click("[data-testid=guide-next]");
  await page.click("[data-testid=guide-done]");
  await page.waitForSelector(".layout[data-screen=session] [data-testid=estop]");
  // Skipped from its first page, it goes straight back too.
  await page.click("[data-testid=guide]");
  await page.click("[data-testid=guide-skip]");
  await page.waitForSelector(".layout[data-screen=session]");
  assert.not.ok(sent.some((m) => m.type === "profile-update"), "no profile: nothing to remember");
});

test("without a face in view Start is not offered, and the page says what is missing", async () => {
  // A camera the headless browser does not have: the mirror cannot run, so no face is ever found.
  const { page } = await openPage(1280, 900, "?camera=auto");
  await page.waitForSelector("[data-testid=mirror-view] [data-level=error]");
  await answerAll(page);
  assert.ok(await page.isDisabled("[data-testid=start]"));
  assert.is(
    await page.textContent("[data-testid=start-why]"),
    "Face the mirror so the camera finds your face.",
  );
  assert.equal([await check(page, "face"), await check(page, "probe")], ["false", "false"]);
});

test("calibration: face and probe ticked by the mirror, a strength chosen, contact at Start; poor contact asks for more gel; time left counts down", async () => {
  const { page, sent } = await openPage(1280, 900);
  await page.waitForFunction(() =>
    document.querySelector("[data-check=face]")?.getAttribute("data-done") === "true"
  );
  await page.waitForFunction(() =>
    document.querySelector("[data-check=probe]")?.getAttribute("data-done") === "true"
  );
  assert.is(await page.getAttribute("[data-testid=calibration]", "data-contact"), "pending");
  assert.is(await check(page, "comfort"), "false");
  await page.click("[data-comfort=gentle]");
  assert.is(await check(page, "comfort"), "true");
  assert.is(await page.inputValue("[data-testid=comfort]"), "3");
  await answerAll(page);
  await page.click("[data-testid=start]");
  await page.waitForFunction(`${shownState} === "running"`);
  assert.is(sent.find((m) => m.type === "start")?.comfort, 3, "the chosen strength goes with the start");
  // The demo reports contact at 4200 Ω once the session runs: every tick is done and the checklist steps aside.
  await page.waitForFunction(() => !document.querySelector("[data-testid=calibration]"));
  await page.waitForSelector("[data-testid=time-left]");
  const limitS = MAX_STIMULATION_MS / 1000;
  await page.waitForFunction(`Number(${data("time-left", "seconds")}) < ${limitS}`);
  assert.match(await page.textContent("[data-testid=time-left]") ?? "", /^1?\d:\d\d$/);
  // Drier contact, as a device reports it: the mirror asks for more gel.
  rig.kiosk.runner.submit({ type: "contact", on: true, impedanceOhm: MORE_GEL_OHM + 10_000 }, "device");
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".mirror-prompt")].some((p) =>
      p.textContent?.startsWith("Add a little more gel")
    )
  );
  rig.kiosk.runner.submit({ type: "contact", on: true, impedanceOhm: 4200 }, "device");
  await page.waitForFunction(() =>
    ![...document.querySelectorAll(".mirror-prompt")].some((p) =>
      p.textContent?.startsWith("Add a little more gel")
    )
  );
  await page.click("[data-testid=end]");
  // The summary, then another session: the strength is chosen afresh.
  await page.click("[data-testid=summary-again]");
  await page.waitForFunction(`${shownState} === "ended"`);
  assert.is(await check(page, "comfort"), "false", "the next session chooses again");
});

test.run();
