/** The page's layouts in headless Chromium against a real kiosk on the simulated device: portrait mirror, landscape, phone, 200 % zoom; saves the README's screenshots. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import type { Kiosk } from "../../kiosk/mod.ts";
import {
  closePageKiosk,
  openPageKiosk,
  passAttract,
  screenshot,
  settle as settleKiosk,
} from "./_page_kiosk.ts";
import { type Browser, type Page } from "playwright-core";

let kiosk: Kiosk;
let browser: Browser;
let dataDir: string;

test.before(async () => {
  ({ kiosk, browser, dataDir } = await openPageKiosk("gp-layout-"));
});

test.after(() => closePageKiosk({ kiosk, browser, dataDir }));

const settle = () => settleKiosk(kiosk);

async function openPage(width: number, height: number, deviceScaleFactor = 1): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor });
  page.setDefaultTimeout(60_000);
  await page.goto(kiosk.url);
  await passAttract(page);
  await page.waitForFunction(() =>
    ["idle", "ended", "aborted"].includes(
      document.querySelector<HTMLElement>("[data-testid=state]")?.dataset.state ?? "",
    )
  );
  return page;
}

/** Starts the demo's guided routine from the page and waits until the mirror shows it. */
async function startSession(page: Page) {
  for (const key of CONTRAINDICATIONS) await page.check(`[data-question=${key}] input[value=no]`);
  await page.check("[data-testid=consent]");
  await page.click("[data-testid=start]");
  await page.waitForSelector("[data-testid=step]");
  await mirrorReady(page);
}

/** The demo scene is on screen and the face model has started (so the screenshot shows a face, not a spinner). */
async function mirrorReady(page: Page) {
  await page.waitForFunction(() =>
    document.querySelectorAll("[data-testid=mirror-view] .mirror-layer").length >= 2 &&
    !document.querySelector(".mirror-prompts")?.textContent?.includes("Starting")
  );
}

type Box = { x: number; y: number; width: number; height: number };

/** The element's box in viewport coordinates. */
async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is on the page`);
  return b!;
}

const inView = (b: Box, w: number, h: number) =>
  b.width > 0 && b.height > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= w && b.y + b.height <= h;

/** The stop button's box with the page scrolled to the top, the middle and the bottom. */
async function stopAtScrolls(page: Page): Promise<Record<string, Box>> {
  const out: Record<string, Box> = {};
  for (const [name, at] of [["top", 0], ["middle", 0.5], ["bottom", 1]] as const) {
    await page.evaluate((f) => {
      const el = document.scrollingElement!;
      el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
    }, at);
    out[name] = await box(page, "[data-testid=estop]");
  }
  return out;
}

/**
 * What keeps a control from being used: the page scrolling sideways, a control of zero size or outside the
 * document, or one that cannot be brought into view and hit (its centre, scrolled to the middle of the
 * viewport, belongs to something else, e.g. the docked stop button). The operator panel is opened first.
 */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const details = document.querySelector<HTMLDetailsElement>("[data-testid=operator-panel]");
    if (details) details.open = true;
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > doc.clientWidth) out.push(`the page scrolls sideways (${doc.scrollWidth} px)`);
    const controls = document.querySelectorAll<HTMLElement>("button, select, input, summary");
    for (const el of controls) {
      const name = el.dataset.testid ?? el.getAttribute("aria-label") ??
        (el.closest("label")?.textContent ?? el.textContent ?? el.tagName).trim().slice(0, 30);
      el.scrollIntoView({ block: "center", inline: "center" });
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) {
        out.push(`${name}: zero size`);
        continue;
      }
      const [left, top] = [r.left + doc.scrollLeft, r.top + doc.scrollTop];
      if (left < 0 || top < 0 || left + r.width > doc.scrollWidth || top + r.height > doc.scrollHeight) {
        out.push(`${name}: outside the document`);
      }
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const reached = hit !== null && (el.contains(hit) || hit.closest("label")?.contains(el) === true);
      if (!reached) out.push(`${name}: covered by ${hit?.className || hit?.tagName || "nothing"}`);
    }
    if (details) details.open = false;
    doc.scrollTop = 0;
    return out;
  });
}

test("portrait 1080×1920: the live mirror spans the width, the guidance in large type right under it, the stop in view", async () => {
  settle();
  const page = await openPage(1080, 1920);
  try {
    await startSession(page);
    await page.evaluate(() => globalThis.scrollTo(0, 0));
    const mirror = await box(page, "[data-testid=mirror-view]");
    assert.ok(mirror.width >= 0.95 * 1080, `mirror ${mirror.width.toFixed(0)} px wide of 1080`);
    const guidance = await box(page, ".guidance");
    assert.ok(
      guidance.y >= mirror.y && guidance.y <= mirror.y + mirror.height + 24,
      `guidance directly under the mirror: mirror ends ${
        mirror.y + mirror.height
      }, guidance at ${guidance.y}`,
    );
    assert.ok(
      inView(guidance, 1080, 1920),
      `guidance on screen without scrolling: ${JSON.stringify(guidance)}`,
    );
    const type = await page.$eval("[data-testid=step]", (el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(type >= 32, `guidance type ${type} px`);
    const stops = await stopAtScrolls(page);
    for (const [at, b] of Object.entries(stops)) {
      assert.ok(inView(b, 1080, 1920), `stop in view at the ${at}: ${JSON.stringify(b)}`);
      assert.ok(b.height >= 96 && b.width >= 0.9 * 1080, `a large stop: ${JSON.stringify(b)}`);
    }
    assert.equal(await layoutProblems(page), []);
    await screenshot(page, "portrait.png");
  } finally {
    await page.close();
  }
});

test("landscape 1280×720: mirror left, controls right, the stop in view however far the controls scroll", async () => {
  settle();
  const page = await openPage(1280, 720);
  try {
    await startSession(page);
    const mirror = await box(page, "[data-testid=mirror-view]");
    const stops = await stopAtScrolls(page);
    for (const [at, b] of Object.entries(stops)) {
      assert.ok(inView(b, 1280, 720), `stop in view at the ${at}: ${JSON.stringify(b)}`);
      assert.ok(b.x >= mirror.x + mirror.width, `stop right of the mirror: ${JSON.stringify([mirror, b])}`);
    }
    assert.ok(inView(mirror, 1280, 720), `the whole mirror on screen: ${JSON.stringify(mirror)}`);
    assert.equal(await layoutProblems(page), []);
    await screenshot(page, "landscape.png");
  } finally {
    await page.close();
  }
});

test("phone 390×844: the stop stays on screen at every scroll position, covers no control, and the latched notice stays readable", async () => {
  settle();
  const page = await openPage(390, 844);
  try {
    await startSession(page);
    const mirror = await box(page, "[data-testid=mirror-view]");
    assert.ok(mirror.width >= 0.95 * 390, `mirror ${mirror.width.toFixed(0)} px wide of 390`);
    const stops = await stopAtScrolls(page);
    for (const [at, b] of Object.entries(stops)) {
      assert.ok(inView(b, 390, 844), `stop in view at the ${at}: ${JSON.stringify(b)}`);
    }
    assert.equal(await layoutProblems(page), []);
    await screenshot(page, "phone.png");

    await page.click("[data-testid=estop]");
    await page.waitForSelector("[data-testid=latched]");
    for (const at of [0, 1]) {
      await page.evaluate((f) => {
        const el = document.scrollingElement!;
        el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
      }, at);
      const notice = await box(page, "[data-testid=latched]");
      assert.ok(inView(notice, 390, 844), `latched notice in view (scroll ${at}): ${JSON.stringify(notice)}`);
    }
    const type = await page.$eval(
      "[data-testid=latched] strong",
      (el) => parseFloat(getComputedStyle(el).fontSize),
    );
    assert.ok(type >= 20, `notice type ${type} px`);
    assert.equal(await layoutProblems(page), []);
    await screenshot(page, "phone-latched.png");
  } finally {
    await page.close();
    settle();
  }
});

test("200 % zoom (1280×720 at twice the scale, a 640×360 CSS viewport): every control reachable, the stop always on screen", async () => {
  settle();
  const page = await openPage(640, 360, 2);
  try {
    const mirror = await box(page, "[data-testid=mirror-view]");
    assert.ok(mirror.width >= 0.95 * 640, `mirror ${mirror.width.toFixed(0)} px wide of 640`);
    const stops = await stopAtScrolls(page);
    for (const [at, b] of Object.entries(stops)) {
      assert.ok(inView(b, 640, 360), `stop in view at the ${at}: ${JSON.stringify(b)}`);
    }
    assert.equal(await layoutProblems(page), []);
    await mirrorReady(page);
    await screenshot(page, "zoom-200.png");
  } finally {
    await page.close();
  }
});

test.run();
