/** The page in two languages, in headless Chromium against a real kiosk: switching to Spanish changes the guidance and the cues (recorded clips where no voice exists), the person's view has no units or ids, and the Spanish live portrait screenshot. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Page } from "playwright-core";
import { MAX_STIMULATION_MS } from "../../core/engine/envelope.ts";
import { clipUrl } from "../../kiosk/ui/cue_assets.ts";
import { zoneName } from "../../kiosk/ui/i18n/zones.ts";
import {
  consentAndStart,
  data,
  pageSuite,
  PIN,
  SCREENS_DIR,
  showIdle,
  shownState,
  text,
} from "./_page_kiosk.ts";

const rig = pageSuite(test, "gp-page-lang-");

/**
 * A browser with no voice (speechSynthesis lists none) and an audio element that records what it is asked to
 * play and ends at once, so the page's recorded cues can be seen.
 */
function noVoice() {
  const played: string[] = [];
  Object.assign(globalThis, { __played: played });
  Object.defineProperty(globalThis, "speechSynthesis", {
    configurable: true,
    value: { getVoices: () => [], cancel() {}, speak() {} },
  });
  HTMLMediaElement.prototype.play = function () {
    played.push(new URL(this.src).pathname);
    setTimeout(() => this.dispatchEvent(new Event("ended")), 10);
    return Promise.resolve();
  };
}

async function openPage(width: number, height: number): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(150_000);
  await page.addInitScript(noVoice);
  await showIdle(page, rig.kiosk.url);
  return page;
}

async function startSession(page: Page) {
  await consentAndStart(page);
  await page.waitForFunction(`${shownState} === "running"`);
  await page.waitForSelector("[data-testid=step]");
}

/** Text of the person's view (everything but the operator panel and its readings). */
const userText = (page: Page) =>
  page.evaluate(() => {
    const copy = document.querySelector(".layout")!.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".operator, .operator-readings, .mirror-source, .version").forEach((el) =>
      el.remove()
    );
    return copy.textContent ?? "";
  });

test("switching to Spanish changes the guidance, the status and the spoken cues (recorded clips without a voice)", async () => {
  const page = await openPage(1280, 900);
  await startSession(page);
  assert.is(await page.textContent(".guidance h2"), "Guidance");
  const step = await page.getAttribute("[data-testid=step]", "data-step");
  assert.match(await page.textContent("[data-testid=step]") ?? "", new RegExp(`^${step} of \\d+$`));
  await page.click("[data-testid=language] [data-lang=es]");
  await page.waitForFunction(`document.querySelector(".guidance h2")?.textContent === "Guía"`);
  assert.is(await page.evaluate(() => document.documentElement.lang), "es");
  assert.match(await page.textContent("[data-testid=step]") ?? "", /^\d+ de \d+$/);
  assert.match(await page.textContent("[data-testid=left]") ?? "", /en este paso/);
  const target = await page.getAttribute("[data-testid=target]", "data-zone");
  assert.is(await page.textContent("[data-testid=target]"), zoneName(target!, "es"));
  assert.is(await page.textContent("[data-testid=state]"), "En curso");
  assert.is(await page.getAttribute("[data-testid=state]", "data-state"), "running", "the raw state stays");
  assert.is(await page.textContent("[data-testid=end]"), "Terminar la sesión");
  // The next cue, in Spanish: the banner's words, and the Spanish clips played in their order.
  const before = await page.evaluate(() => (globalThis as unknown as { __played: string[] }).__played.length);
  await page.waitForFunction(
    (n) =>
      (globalThis as unknown as { __played: string[] }).__played.slice(n).some((p) => p.includes("/es/")),
    before,
  ).catch(() => {
    throw new Error(`no Spanish cue; engine at ${JSON.stringify(rig.kiosk.runner.lastFrame?.guidance)}`);
  });
  const played = await page.evaluate(
    (n) => (globalThis as unknown as { __played: string[] }).__played.slice(n),
    before,
  );
  const es = played.filter((p) => p.includes("/es/"));
  const g = rig.kiosk.runner.lastFrame?.guidance;
  assert.ok(
    es.includes(clipUrl("es", "hold")) || es.includes(clipUrl("es", `zone-${g?.targetZone}`)),
    `Spanish clips of the cue: ${JSON.stringify(es)}; step ${JSON.stringify(g)}`,
  );
  assert.ok(es.every((p) => /^\/assets\/cues\/es\/[a-z-]+\.ogg$/.test(p)), JSON.stringify(es));
  // The clip the page plays is one Chromium decodes.
  const seconds = await page.evaluate(async (url) => {
    const bytes = await (await fetch(url)).arrayBuffer();
    return (await new OfflineAudioContext(1, 16_000, 16_000).decodeAudioData(bytes)).duration;
  }, es[0]!);
  assert.ok(seconds > 0.2 && seconds < 4, `decoded ${seconds} s`);
  await page.click("[data-testid=language] [data-lang=en]");
  await page.waitForFunction(`document.querySelector(".guidance h2")?.textContent === "Guidance"`);
  await page.click("[data-testid=end]");
});

test("the person's view has no units, raw limits or zone ids; the operator's readings behind the PIN do", async () => {
  const page = await openPage(1280, 900);
  await startSession(page);
  await page.waitForFunction(`${data("current", "ua")} !== "0"`);
  for (const lang of ["en", "es"]) {
    await page.click(`[data-testid=language] [data-lang=${lang}]`);
    const shown = await userText(page);
    assert.not.match(
      shown,
      /µA|\bHz\b|cheek-|jawline-|forehead-|keep-out|no-contact|\bslew\b/,
      `${lang}: ${shown}`,
    );
  }
  await page.click("[data-testid=language] [data-lang=en]");
  assert.is(await page.locator("[data-testid=operator-readings]").count(), 0, "no readings while locked");
  await page.click("[data-testid=operator-panel] summary");
  await page.fill("[data-testid=operator-pin]", PIN);
  await page.click("[data-testid=operator-unlock]");
  await page.waitForFunction(`${text("operator-status")} === "unlocked"`);
  await page.waitForSelector("[data-testid=operator-readings]");
  assert.match(await page.textContent("[data-reading=current]") ?? "", /^\d+ µA · \d+(\.\d+)? Hz/);
  assert.match(await page.textContent("[data-reading=contact]") ?? "", /^on · 4200 Ω$/);
  assert.match(await page.textContent("[data-reading=stimulation]") ?? "", / s of 1200 s$/);
  await page.click("[data-testid=end]");
});

test("portrait 1080×1920 in Spanish: the live session's guidance, status and mirror prompts in Spanish (screenshot)", async () => {
  const page = await openPage(1080, 1920);
  await page.click("[data-testid=language] [data-lang=es]");
  await startSession(page);
  await page.waitForFunction(`${data("current", "ua")} !== "0"`);
  await page.waitForFunction(() =>
    document.querySelectorAll("[data-testid=mirror-view] .mirror-layer").length >= 2 &&
    !document.querySelector(".mirror-prompts")?.textContent?.includes("Iniciando")
  );
  // A few seconds in, so the picture shows a session under way (the time left below 20:00).
  await page.waitForFunction(`Number(${data("time-left", "seconds")}) <= ${MAX_STIMULATION_MS / 1000 - 3}`);
  assert.is(await page.textContent(".guidance h2"), "Guía");
  assert.match(await page.textContent(".mirror-gauge-text") ?? "", /^[^µ]+$/);
  assert.match(await page.textContent("[data-testid=estop]") ?? "", /PARADA DE EMERGENCIA/);
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  const png = await page.screenshot({ animations: "disabled", caret: "hide" });
  assert.ok(png.byteLength > 1000);
  if (SCREENS_DIR) await Deno.writeFile(`${SCREENS_DIR}live-es.png`, png);
  await page.click("[data-testid=end]");
});

test.run();
