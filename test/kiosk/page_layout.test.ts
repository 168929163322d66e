/** The page's layouts in headless Chromium against a real kiosk on the simulated device: portrait mirror, landscape, phone, 200 % zoom; saves the README's screenshots. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { consentAndStart, pageSuite, screenshot, showIdle } from "./_page_kiosk.ts";
import { type Page } from "playwright-core";

const rig = pageSuite(test, "gp-layout-");

async function openPage(width: number, height: number, deviceScaleFactor = 1): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width, height }, deviceScaleFactor });
  page.setDefaultTimeout(60_000);
  await showIdle(page, rig.kiosk.url);
  return page;
}

/** Starts the demo's guided routine from the page and waits until the mirror shows it. */
async function startSession(page: Page) {
  await consentAndStart(page);
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

/**
 * The stop button's box with the page scrolled to the top, the middle and the bottom, each asserted wholly on
 * screen in a `w`×`h` viewport.
 */
async function stopsInView(page: Page, w: number, h: number): Promise<Record<string, Box>> {
  const out: Record<string, Box> = {};
  for (const [name, at] of [["top", 0], ["middle", 0.5], ["bottom", 1]] as const) {
    await page.evaluate((f) => {
      const el = document.scrollingElement!;
      el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
    }, at);
    const b = out[name] = await box(page, "[data-testid=estop]");
    assert.ok(inView(b, w, h), `stop in view at the ${name}: ${JSON.stringify(b)}`);
  }
  return out;
}

/** The mirror's box, asserted to span (nearly) the whole width `w` of the viewport. */
async function fullWidthMirror(page: Page, w: number): Promise<Box> {
  const mirror = await box(page, "[data-testid=mirror-view]");
  assert.ok(mirror.width >= 0.95 * w, `mirror ${mirror.width.toFixed(0)} px wide of ${w}`);
  return mirror;
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
  const page = await openPage(1080, 1920);
  await startSession(page);
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  const mirror = await fullWidthMirror(page, 1080);
  const guidance = await box(page, ".guidance");
  assert.ok(
    guidance.y >= mirror.y && guidance.y <= mirror.y + mirror.height + 24,
    `guidance directly under the mirror: mirror ends ${mirror.y + mirror.height}, guidance at ${guidance.y}`,
  );
  assert.ok(
    inView(guidance, 1080, 1920),
    `guidance on screen without scrolling: ${JSON.stringify(guidance)}`,
  );
  const type = await page.$eval("[data-testid=step]", (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(type >= 32, `guidance type ${type} px`);
  const stops = await stopsInView(page, 1080, 1920);
  for (const b of Object.values(stops)) {
    assert.ok(b.height >= 96 && b.width >= 0.9 * 1080, `a large stop: ${JSON.stringify(b)}`);
  }
  assert.equal(await layoutProblems(page), []);
  await screenshot(page, "portrait.png");
});

test("landscape 1280×720: mirror left, controls right, the stop in view however far the controls scroll", async () => {
  const page = await openPage(1280, 720);
  await startSession(page);
  const mirror = await box(page, "[data-testid=mirror-view]");
  const stops = await stopsInView(page, 1280, 720);
  for (const b of Object.values(stops)) {
    assert.ok(b.x >= mirror.x + mirror.width, `stop right of the mirror: ${JSON.stringify([mirror, b])}`);
  }
  assert.ok(inView(mirror, 1280, 720), `the whole mirror on screen: ${JSON.stringify(mirror)}`);
  assert.equal(await layoutProblems(page), []);
  await screenshot(page, "landscape.png");
});

test("phone 390×844: the stop stays on screen at every scroll position, covers no control, and the latched notice stays readable", async () => {
  const page = await openPage(390, 844);
  await startSession(page);
  await fullWidthMirror(page, 390);
  await stopsInView(page, 390, 844);
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
});

test("200 % zoom (1280×720 at twice the scale, a 640×360 CSS viewport): every control reachable, the stop always on screen", async () => {
  const page = await openPage(640, 360, 2);
  await fullWidthMirror(page, 640);
  await stopsInView(page, 640, 360);
  assert.equal(await layoutProblems(page), []);
  await mirrorReady(page);
  await screenshot(page, "zoom-200.png");
});

test.run();
