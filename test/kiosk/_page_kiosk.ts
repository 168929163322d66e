/** Test fixture for the page suites: a kiosk on a simulated null sink, a headless Chromium, and a way back to idle. */
import { type Browser, chromium, type Page } from "playwright-core";
import { type Kiosk, type KioskOptions, startKiosk } from "../../kiosk/mod.ts";
import { stopBundler } from "../../kiosk/ui/mod.ts";
import { CHROMIUM_FLAGS } from "../../tools/mirror/browser.ts";
import { createNullSink } from "./_null_sink.ts";

/** The operator PIN of the page suites' kiosk. */
export const PIN = "2468";

/** A page expression reading the text of `[data-testid=…]`. */
export const text = (testId: string) => `document.querySelector("[data-testid=${testId}]")?.textContent`;

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

/** Ends whatever runs and lifts a latch as the operator, so each case starts from idle. */
export function settle(kiosk: Kiosk): void {
  if (["running", "ready", "paused", "stopped"].includes(kiosk.runner.state)) {
    kiosk.runner.submit({ type: "end" }, "operator");
  }
  kiosk.runner.submit({ type: "reset" }, "operator");
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
  await page.waitForSelector("[data-testid=state]");
}
