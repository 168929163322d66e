/** The one-key stop (Escape anywhere, Space but in a typing field) and where the focus goes after Start. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Browser, Page } from "playwright-core";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import type { Kiosk } from "../../kiosk/mod.ts";
import { isStopKey, type KeyView } from "../../kiosk/ui/stop_keys.ts";
import {
  closePageKiosk,
  leaveSummary,
  openPageKiosk,
  passAttract,
  settle,
  shownState,
} from "./_page_kiosk.ts";

const on = (key: string, tagName: string | null, inputType = "", editable = false): KeyView => ({
  key,
  tagName,
  inputType,
  editable,
});

test("isStopKey: Escape everywhere, Space except where it types", () => {
  const table: [KeyView, boolean][] = [
    [on("Escape", "BODY"), true],
    [on("Escape", "INPUT", "password"), true],
    [on("Escape", "INPUT", "number"), true],
    [on("Escape", "TEXTAREA"), true],
    [on(" ", "BODY"), true],
    [on(" ", null), true],
    [on(" ", "SELECT"), true],
    [on(" ", "BUTTON"), true],
    [on(" ", "INPUT", "range"), true],
    [on(" ", "INPUT", "radio"), true],
    [on(" ", "INPUT", "checkbox"), true],
    [on(" ", "INPUT", "text"), false],
    [on(" ", "INPUT", ""), false],
    [on(" ", "INPUT", "number"), false],
    [on(" ", "INPUT", "password"), false],
    [on(" ", "TEXTAREA"), false],
    [on(" ", "DIV", "", true), false],
    [on("Enter", "BODY"), false],
    [on("s", "BODY"), false],
    [on("Spacebar", "BODY"), false],
  ];
  for (const [k, want] of table) assert.is(isStopKey(k), want, JSON.stringify(k));
});

let kiosk: Kiosk;
let browser: Browser;
let dataDir: string;
let page: Page;

test.before(async () => {
  ({ kiosk, browser, dataDir } = await openPageKiosk("gp-page-keys-"));
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  await page.goto(kiosk.url);
  await passAttract(page);
});

test.after(async () => {
  await page?.close();
  await closePageKiosk({ kiosk, browser, dataDir });
});

/**
 * From idle (and no stop showing), answers the screening, presses Start and waits for the session to run. The
 * session the last case started shows its summary once settle() ends it: Done leaves it.
 */
async function startSession() {
  settle(kiosk);
  const ready = `["idle", "ended", "aborted"].includes(${shownState}) &&
     document.querySelector("[data-testid=estop]").dataset.status === "idle" && !!document.querySelector("[data-testid=start]")`;
  await page.waitForFunction(`!!document.querySelector("[data-testid=summary]") || (${ready})`);
  await leaveSummary(page, false);
  await page.waitForFunction(ready);
  for (const key of CONTRAINDICATIONS) await page.check(`[data-question=${key}] input[value=no]`);
  await page.check("[data-testid=consent]");
  await page.click("[data-testid=start]");
  await page.waitForFunction(`${shownState} === "running"`);
}

/** The stop went through the stop button's path: confirmed on the button and by the engine at 0 µA. */
async function stopped(where: string) {
  await page.waitForFunction(`document.querySelector("[data-testid=estop]").dataset.status === "delivered"`)
    .catch(() => {
      throw new Error(`no stop with the focus on ${where}; engine limit ${kiosk.runner.lastFrame?.limit}`);
    });
  assert.match((await page.textContent("[data-testid=estop]")) ?? "", /DELIVERED/, where);
  assert.is(kiosk.runner.lastFrame?.limit, "estop", where);
  assert.is(kiosk.runner.lastFrame?.currentUa, 0, where);
}

test("after Start the focus is on Pause, not on the vanished Start button or the page body", async () => {
  await startSession();
  assert.is(await page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "pause");
});

test("Escape or Space stops a running session from the body, the slider, the Pause button and the PIN field", async () => {
  const cases: [string, string | null, string][] = [
    ["body", null, "Escape"],
    ["body", null, "Space"],
    ["comfort slider", "[data-testid=comfort]", "Space"],
    ["comfort slider", "[data-testid=comfort]", "Escape"],
    ["Pause button", "[data-testid=pause]", "Space"],
    ["operator PIN field", "[data-testid=operator-pin]", "Escape"],
  ];
  for (const [where, selector, key] of cases) {
    await startSession();
    if (selector === null) await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    else {
      if (selector.includes("operator")) {
        await page.evaluate(() =>
          document.querySelector("[data-testid=operator-panel]")?.setAttribute("open", "")
        );
      }
      await page.focus(selector);
    }
    await page.keyboard.press(key);
    await stopped(`${where} (${key})`);
    assert.is(kiosk.runner.state, "stopped", `${where}: Space on Pause stops, it does not pause`);
  }
});

test("Space in the PIN field types a space and does not stop", async () => {
  await startSession();
  await page.evaluate(() => document.querySelector("[data-testid=operator-panel]")?.setAttribute("open", ""));
  await page.focus("[data-testid=operator-pin]");
  await page.keyboard.press("Space");
  assert.is(await page.inputValue("[data-testid=operator-pin]"), " ");
  await page.fill("[data-testid=operator-pin]", "");
  assert.is(kiosk.runner.state, "running");
  assert.is.not(kiosk.runner.lastFrame?.limit, "estop");
  assert.is(await page.getAttribute("[data-testid=estop]", "data-status"), "idle");
});

test("on an idle kiosk Space and Escape do nothing: a stray key latches no stop for the next person", async () => {
  settle(kiosk);
  await page.reload();
  // On the attract screen a key goes on to the next screen; it stops nothing.
  await page.waitForSelector("[data-testid=attract]");
  await page.keyboard.press("Escape");
  await page.click("[data-testid=profile-guest]");
  await page.waitForFunction(`["idle", "ended", "aborted"].includes(${shownState})`);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("Space");
  await page.keyboard.press("Escape");
  await new Promise((r) => setTimeout(r, 300));
  assert.is.not(kiosk.runner.lastFrame?.limit, "estop");
  assert.is(await page.getAttribute("[data-testid=estop]", "data-status"), "idle");
});

test.run();
