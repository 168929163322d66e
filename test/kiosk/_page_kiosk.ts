/** Test fixture for the page suites: a kiosk on a simulated null sink, a headless Chromium, and a way back to idle. */
import { type Browser, chromium, type Page } from "playwright-core";
import type { Test } from "uvu";
import { type Kiosk, type KioskOptions, startKiosk } from "../../kiosk/mod.ts";
import { stopBundler } from "../../kiosk/ui/mod.ts";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import { CHROMIUM_FLAGS } from "../../tools/mirror/browser.ts";
import { createNullSink } from "./_null_sink.ts";

/** The operator PIN of the page suites' kiosk. */
export const PIN = "2468";

/** A page expression reading the text of `[data-testid=…]`. */
export const text = (testId: string) => `document.querySelector("[data-testid=${testId}]")?.textContent`;

/** A page expression reading a data attribute of `[data-testid=…]` (`data("limit", "limit")`: its data-limit). */
export const data = (testId: string, name: string) =>
  `document.querySelector("[data-testid=${testId}]")?.dataset.${name}`;

/**
 * A page expression reading the session state the page shows, as the engine names it ("running",
 * "disconnected"...): the raw value rides in data-state, the text is in the person's words and language.
 */
export const shownState = data("state", "state");

/** A page expression: the page is connected and no session runs (idle, or the last one ended or aborted). */
export const shownIdle = `["idle", "ended", "aborted"].includes(${shownState})`;

/** What a page suite runs against. */
export interface PageKiosk {
  kiosk: Kiosk;
  browser: Browser;
  dataDir: string;
}

/**
 * Starts the kiosk in demo mode on a null sink marked simulated (on a loaded test box a late telemetry sample
 * would fault the simulated SIM-1's cross-check, which is not what the page suites are about) and a browser.
 * `options` add to (or replace) those kiosk options, e.g. the routines.
 */
export async function openPageKiosk(prefix: string, options: Partial<KioskOptions> = {}): Promise<PageKiosk> {
  const dataDir = Deno.makeTempDirSync({ prefix });
  const kiosk = await startKiosk({
    port: 0,
    dataDir,
    demo: true,
    sink: createNullSink(),
    sinkSimulated: true,
    operatorPin: PIN,
    log: () => {},
    ...options,
  });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  return { kiosk, browser, dataDir };
}

/** Closes what openPageKiosk started (safe after a failed start). */
export async function closePageKiosk(rig: Partial<PageKiosk>): Promise<void> {
  await rig.browser?.close();
  await rig.kiosk?.shutdown();
  await stopBundler();
  if (rig.dataDir) await Deno.remove(rig.dataDir, { recursive: true }).catch(() => {});
}

/** A page suite's kiosk and browser, and a way back to idle between its cases. */
export interface PageSuite extends PageKiosk {
  /** settle() on this suite's kiosk. */
  settle(): void;
}

/**
 * Opens a page kiosk before the suite's first case and closes it after its last; each case starts from a settled
 * kiosk, and every page a case opened is closed after it, passed or failed. The fields of the returned rig are
 * filled in by the suite's `before` hook: read them inside cases, not at module level.
 */
export function pageSuite(suite: Test, prefix: string, options: Partial<KioskOptions> = {}): PageSuite {
  const rig = { settle: () => settle(rig.kiosk) } as PageSuite;
  suite.before(async () => {
    Object.assign(rig, await openPageKiosk(prefix, options));
  });
  suite.before.each(() => rig.settle());
  // browser.newPage() gives each page a context of its own: closing the contexts closes the pages.
  suite.after.each(async () => {
    await Promise.all(rig.browser.contexts().map((context) => context.close()));
  });
  suite.after(() => closePageKiosk(rig));
  return rig;
}

/** Ends whatever runs and lifts a latch as the operator, so each case starts from idle. */
export function settle(kiosk: Kiosk): void {
  if (["running", "ready", "paused", "stopped"].includes(kiosk.runner.state)) {
    kiosk.runner.submit({ type: "end" }, "operator");
  }
  kiosk.runner.submit({ type: "reset" }, "operator");
}

/**
 * Goes past the attract screen a freshly loaded page opens on (a tap on "Touch to start") and, at a home station,
 * past "Who's here?" as a guest, to the session screen; does nothing where the page shows the live session.
 */
export async function passAttract(page: Page): Promise<void> {
  await page.waitForSelector("[data-testid=attract-go], [data-testid=state]");
  const go = page.locator("[data-testid=attract-go]");
  if (!(await go.count())) return;
  await go.click();
  await page.waitForSelector("[data-testid=profile-guest], [data-testid=client-code], [data-testid=state]");
  const guest = page.locator("[data-testid=profile-guest]");
  if (await guest.count()) await guest.click();
}

/** Loads the page at `url`, goes past the attract screen and waits until no session runs. */
export async function showIdle(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await passAttract(page);
  await page.waitForFunction(shownIdle);
}

/** Answers every screening question "no", consents and presses Start (the caller waits for what it expects). */
export async function consentAndStart(page: Page): Promise<void> {
  for (const key of CONTRAINDICATIONS) await page.check(`[data-question=${key}] input[value=no]`);
  await page.check("[data-testid=consent]");
  await page.click("[data-testid=start]");
}

/** Records every message the page sends on /ws (call before the page loads); each still goes to the kiosk. */
export async function recordSent(page: Page): Promise<Record<string, unknown>[]> {
  const sent: Record<string, unknown>[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      sent.push(JSON.parse(String(m)));
      server.send(m);
    });
  });
  return sent;
}

/**
 * Back to the session screen: a session this page started shows its summary when it ends (kiosk/ui/SummaryScreen.tsx);
 * Done leaves it. Waits for the summary first when `expect` (the test just ended such a session).
 */
export async function leaveSummary(page: Page, expect = true): Promise<void> {
  const records = "[data-testid=summary], [data-testid=history]";
  if (expect) await page.waitForSelector(records);
  const done = page.locator("[data-testid=summary-done], [data-testid=history-done]");
  if (await done.count()) await done.first().click();
  // At a home station Done leads to "Who's here?": on again as a guest.
  await page.waitForSelector("[data-testid=state], [data-testid=profile-guest]");
  const guest = page.locator("[data-testid=profile-guest]");
  if (await guest.count()) await guest.click();
  await page.waitForSelector("[data-testid=state]");
}

// Screenshots go to docs/screens/ only when asked (GLIDEPATH_SCREENS=1): the demo never renders the same pixels
// twice, so writing them on every run would leave every checkout dirty. They are always taken.
/** The folder screenshots are saved in, or null when they are only taken. */
export const SCREENS_DIR = Deno.env.get("GLIDEPATH_SCREENS") === "1"
  ? new URL("../../docs/screens/", import.meta.url).pathname
  : null;

/** Takes a screenshot of the page from its top and, with GLIDEPATH_SCREENS=1, saves it as docs/screens/<name>. */
export async function screenshot(page: Page, name: string): Promise<Uint8Array> {
  await page.evaluate(() => globalThis.scrollTo(0, 0));
  const png = await page.screenshot({ animations: "disabled", caret: "hide" });
  if (png.byteLength <= 1000) throw new Error(`${name}: no screenshot (${png.byteLength} bytes)`);
  if (SCREENS_DIR) {
    await Deno.mkdir(SCREENS_DIR, { recursive: true });
    await Deno.writeFile(`${SCREENS_DIR}${name}`, png);
  }
  return png;
}
