import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Page } from "playwright-core";
import {
  consentAndStart,
  leaveSummary,
  pageSuite,
  passAttract,
  PIN,
  shownIdle,
  shownState,
  text,
} from "./_page_kiosk.ts";

const rig = pageSuite(test, "gp-page-op-");

/**
 * A page whose sockets go through a relay: the test can send a message to the kiosk on the page's current socket
 * (as if the page had sent it) and read the kiosk's answers to it, to see which role that socket has.
 */
async function relayedPage() {
  const page = await rig.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  const sockets: { send(m: string): void; answers: Record<string, unknown>[]; closed: boolean }[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    const entry = {
      send: (m: string) => server.send(m),
      answers: [] as Record<string, unknown>[],
      closed: false,
    };
    sockets.push(entry);
    server.onMessage((m) => {
      const msg = JSON.parse(String(m));
      if (msg.type !== "frame") entry.answers.push(msg);
      ws.send(m);
    });
    ws.onClose((code, reason) => {
      entry.closed = true;
      server.close({ code, reason });
    });
  });
  /** Sends `reset` on the page's newest open socket; resolves with the kiosk's answer to it. */
  async function tryReset(): Promise<Record<string, unknown>> {
    const socket = sockets.findLast((s) => !s.closed)!;
    socket.send(JSON.stringify({ type: "reset" }));
    for (let i = 0; i < 200; i++) {
      const answer = socket.answers.find((m) => m.of === "reset");
      if (answer) return answer;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("no answer to reset within the guard time");
  }
  return { page, sockets, tryReset };
}

async function unlockAndStart(page: Page) {
  await page.waitForFunction(shownIdle);
  await page.click("[data-testid=operator-panel] summary");
  await page.fill("[data-testid=operator-pin]", PIN);
  await page.click("[data-testid=operator-unlock]");
  await page.waitForFunction(`${text("operator-status")} === "unlocked"`);
  await consentAndStart(page);
  await page.waitForFunction(`["ready", "running"].includes(${shownState})`);
}

const pageLost = () => rig.kiosk.store.auditLog().some((r) => r.action === "estop" && r.detail.reason);

test("the operator panel locks itself when the session ends, and the page's socket loses the operator role", async () => {
  const { page, sockets, tryReset } = await relayedPage();
  await page.goto(rig.kiosk.url);
  await passAttract(page);
  await unlockAndStart(page);
  assert.is(await page.textContent("[data-testid=operator-status]"), "unlocked", "a start keeps it open");
  await page.click("[data-testid=end]");
  // The summary of the session comes although the elevated socket is swapped for a fresh one right then.
  await page.waitForSelector("[data-testid=summary-title]");
  await leaveSummary(page);
  await page.waitForFunction(`${text("operator-status")} === "locked"`);
  assert.is(await page.locator("[data-testid=reset]").count(), 0);
  const answer = await tryReset();
  assert.is(answer.type, "error", "the page's socket is a user socket again");
  assert.is(answer.field, "type");
  assert.is(sockets.length, 2, "the elevated socket was swapped for a fresh one");
  assert.ok(sockets[0]!.closed);
  assert.not.ok(pageLost(), "the kiosk never saw the page go away");
});

/** Polls from the test's side (the page's own timers are paused): resolves once `testId` shows `want`. */
async function shows(page: Page, testId: string, want: string) {
  for (let i = 0; i < 400; i++) {
    if (await page.textContent(`[data-testid=${testId}]`) === want) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${testId} never showed "${want}"`);
}

test("after 2 minutes without an operator action the panel locks itself; a session keeps running", async () => {
  const { page, sockets, tryReset } = await relayedPage();
  await page.clock.install();
  await page.goto(rig.kiosk.url);
  await passAttract(page);
  await unlockAndStart(page);
  // From here the page's time moves only when the test moves it.
  await page.clock.pauseAt(await page.evaluate(() => Date.now()) + 1000);
  // An operator action inside the panel starts the 2 minutes over (the unlock's own 2 minutes end earlier).
  await page.fill("[data-testid=operator-cap]", "100");
  await page.clock.fastForward(119_000);
  assert.is(await page.textContent("[data-testid=operator-status]"), "unlocked", "119 s is not idle yet");
  // The session controls are not operator actions: the next person's taps do not keep the panel open.
  await page.press("[data-testid=comfort]", "ArrowLeft");
  await page.clock.fastForward(1_000);
  await shows(page, "operator-status", "locked");
  assert.is(await page.locator("[data-testid=reset]").count(), 0);
  assert.is((await tryReset()).field, "type", "the page's socket is a user socket again");
  assert.is(sockets.length, 2);
  assert.ok(["ready", "running"].includes(rig.kiosk.runner.state), rig.kiosk.runner.state);
  assert.not.ok(pageLost(), "the kiosk never saw the page go away");
});

test("an estop does not lock the open operator panel: the operator who is there resets it without the PIN again", async () => {
  const { page } = await relayedPage();
  await page.goto(rig.kiosk.url);
  await passAttract(page);
  await unlockAndStart(page);
  await page.click("[data-testid=estop]");
  await page.waitForFunction(`${shownState} === "stopped"`);
  assert.is(
    await page.textContent("[data-testid=operator-status]"),
    "unlocked",
    "a stopped session is still live",
  );
  await page.click("[data-testid=reset]");
  await page.waitForFunction(`${shownState} === "paused"`);
  assert.is(rig.kiosk.runner.lastFrame?.limit === "estop", false, "the reset took effect");
});

test.run();
