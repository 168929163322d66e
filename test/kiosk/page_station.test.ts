/** The station's attract screen and staff view in headless Chromium against a real kiosk: load, tap, idle return that forgets the person, the records behind the PIN, the auto-lock; saves their screenshots. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { Page, WebSocketRoute } from "playwright-core";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import { IDLE_RETURN_MS } from "../../kiosk/ui/idle.ts";
import { OPERATOR_IDLE_MS } from "../../kiosk/ui/operator_lock.ts";
import { consentAndStart, pageSuite, PIN, screenshot, shownIdle, shownState } from "./_page_kiosk.ts";

const rig = pageSuite(test, "gp-station-");

/** A page whose socket goes through a relay: the test can answer as the kiosk, or send as the page. */
async function relayedPage(viewport = { width: 1080, height: 1920 }) {
  const page = await rig.browser.newPage({ viewport });
  page.setDefaultTimeout(60_000);
  const sockets: { page: WebSocketRoute; send(m: string): void; answers: Record<string, unknown>[] }[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    const entry = { page: ws, send: (m: string) => server.send(m), answers: [] as Record<string, unknown>[] };
    sockets.push(entry);
    server.onMessage((m) => {
      const msg = JSON.parse(String(m));
      if (msg.type !== "frame") entry.answers.push(msg);
      ws.send(m);
    });
    ws.onClose((code, reason) => server.close({ code, reason }));
  });
  /** Sends `message` on the page's newest socket as if the page had; resolves with the kiosk's answer to it. */
  async function ask(message: Record<string, unknown>) {
    const socket = sockets.at(-1)!;
    const before = socket.answers.length;
    socket.send(JSON.stringify(message));
    for (let i = 0; i < 400; i++) {
      const answer = socket.answers.slice(before).find((m) =>
        m.of === message.type || m.type === message.type
      );
      if (answer) return answer;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no answer to ${message.type}`);
  }
  return { page, sockets, ask };
}

/** Polls from the test's side (the page's own timers may be paused) until `fn` is true in the page. */
async function until(page: Page, fn: string, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await page.evaluate(fn)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never: ${what}`);
}

const bodyText = (page: Page) => page.evaluate(() => document.body.innerText);

/** Runs a short recorded session on the kiosk itself (as the operator), ended by the operator. */
function recordSession(routine = "free") {
  const screening = Object.fromEntries(CONTRAINDICATIONS.map((k) => [k, false]));
  rig.kiosk.runner.submit({ type: "start", routine, comfort: 5, screening }, {
    source: "operator",
    consent: { given: true },
  });
  rig.kiosk.runner.submit({ type: "end" }, "operator");
  rig.kiosk.runner.tick();
}

test("a freshly loaded page opens on the attract screen (clock, what the station does, no camera); a tap goes on to the session", async () => {
  for (
    const [width, height, name] of [[1080, 1920, "attract.png"], [390, 844, "attract-phone.png"]] as const
  ) {
    const page = await rig.browser.newPage({ viewport: { width, height } });
    page.setDefaultTimeout(60_000);
    try {
      await page.clock.setFixedTime(new Date(2026, 11, 3, 10, 30));
      await page.goto(rig.kiosk.url);
      await page.waitForSelector("[data-testid=attract]");
      assert.match(await page.textContent("[data-testid=attract-time]") ?? "", /^10:30/);
      assert.match(await page.textContent("[data-testid=attract-what]") ?? "", /microcurrent/);
      assert.is(await page.locator("[data-testid=mirror-view]").count(), 0, "the camera and mirror are off");
      assert.is(await page.locator("[data-testid=estop]").count(), 0, "no session is live: no stop to show");
      // Large type: the clock and the start read from a metre away, and everything fits without scrolling.
      const size = (sel: string) => page.$eval(sel, (el) => parseFloat(getComputedStyle(el).fontSize));
      const [clock, go, what] = [
        await size("[data-testid=attract-time]"),
        await size("[data-testid=attract-go]"),
        await size("[data-testid=attract-what]"),
      ];
      if (width === 1080) assert.ok(clock >= 200 && go >= 56 && what >= 44, `type ${[clock, go, what]} px`);
      else assert.ok(clock >= 72 && go >= 24 && what >= 20, `type ${[clock, go, what]} px`);
      const overflow = await page.evaluate(() => document.scrollingElement!.scrollHeight - innerHeight);
      assert.ok(overflow <= 0, `the attract screen fits the screen (${overflow} px over)`);
      await screenshot(page, name);
      // A tap anywhere on it goes on.
      await page.click("[data-testid=attract-what]");
      await page.click("[data-testid=profile-guest]");
      await page.waitForFunction(shownIdle);
      assert.is(await page.locator("[data-testid=attract]").count(), 0);
    } finally {
      await page.close();
    }
  }
});

test("any key on the attract screen goes on; Tab only moves the focus", async () => {
  const page = await rig.browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(60_000);
  await page.goto(rig.kiosk.url);
  await page.waitForSelector("[data-testid=attract]");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Shift");
  assert.is(await page.locator("[data-testid=attract]").count(), 1, "Tab and Shift are not a start");
  await page.keyboard.press("a");
  await page.waitForSelector("[data-testid=profiles-screen]");
});

test("after 3 minutes without input the station returns to attract and nothing of the previous person is left on screen; a live session is never interrupted", async () => {
  const { page, sockets } = await relayedPage({ width: 1280, height: 900 });
  try {
    await page.clock.install();
    await page.goto(rig.kiosk.url);
    await page.click("[data-testid=attract-go]");
    await page.click("[data-testid=profile-guest]");
    await page.waitForFunction(shownIdle);
    // The person answers part of the screening, lowers the comfort and gets an error from the kiosk.
    for (const key of CONTRAINDICATIONS.slice(0, 3)) {
      await page.check(`[data-question=${key}] input[value=no]`);
    }
    await page.fill("[data-testid=comfort]", "3");
    sockets.at(-1)!.page.send(
      JSON.stringify({ type: "error", field: "routine", message: "Previous-client-error-7731" }),
    );
    await page.waitForFunction(() => document.body.innerText.includes("Previous-client-error-7731"));
    assert.is(await page.inputValue("[data-testid=comfort]"), "3");
    assert.is(await page.locator("[data-testid=screening] input:checked").count(), 3);

    await page.clock.pauseAt(await page.evaluate(() => Date.now()) + 1000);
    await page.clock.fastForward(IDLE_RETURN_MS - 5_000);
    assert.is(await page.locator("[data-testid=attract]").count(), 0, "not before the idle time");
    await page.clock.fastForward(6_000);
    await until(page, `!!document.querySelector("[data-testid=attract]")`, "back on attract");
    const onAttract = await bodyText(page);
    assert.not.match(onAttract, /Previous-client-error-7731/);
    assert.is(
      await page.locator("[data-testid=comfort]").count(),
      0,
      "no controls of the last person on attract",
    );

    // The next person: a blank form, no error, the comfort back at its default.
    await page.click("[data-testid=attract-go]");
    await page.click("[data-testid=profile-guest]");
    await page.waitForSelector("[data-testid=state]");
    const next = await bodyText(page);
    assert.not.match(next, /Previous-client-error-7731/);
    assert.is(await page.inputValue("[data-testid=comfort]"), "5");
    assert.is(await page.locator("[data-testid=screening] input:checked").count(), 0);

    // A live session: no idle return however long it runs without a tap. Time flows again so the mirror can
    // find the face and the probe (Start waits for both).
    await page.clock.resume();
    await consentAndStart(page);
    await until(page, `["ready", "running"].includes(${shownState})`, "the session runs");
    await page.clock.fastForward(IDLE_RETURN_MS + 60_000);
    await page.clock.fastForward(IDLE_RETURN_MS + 60_000);
    assert.is(await page.locator("[data-testid=attract]").count(), 0, "the live session stays on screen");
    assert.ok(["ready", "running"].includes(rig.kiosk.runner.state), rig.kiosk.runner.state);
    // Its end starts the quiet time: the result stays up for the idle time, then the station forgets.
    await page.click("[data-testid=end]");
    await until(page, `!!document.querySelector("[data-testid=summary]")`, "the session ended: its summary");
    await page.clock.fastForward(IDLE_RETURN_MS - 5_000);
    assert.is(await page.locator("[data-testid=attract]").count(), 0, "the end is shown for the idle time");
    await page.clock.fastForward(6_000);
    await until(page, `!!document.querySelector("[data-testid=attract]")`, "back on attract after the end");
  } finally {
    await page.close();
    rig.settle();
  }
});

test("the staff view refuses without the PIN, lists today's sessions and the audit log after it, and the auto-lock empties it", async () => {
  recordSession("free");
  recordSession("express-lift");
  const newest = rig.kiosk.store.sessions({ limit: 1 })[0]!;
  // A walk-in's session, as the salon's client-code step records it (the profile row and the session's profile).
  const db = new DatabaseSync(rig.kiosk.store.path);
  try {
    db.prepare("INSERT INTO profiles (id, kind, name, created_at) VALUES ('w-k7q2', 'walk-in', 'K7Q2', ?)")
      .run(Date.now());
    // 59.9 s of output: the staff row reads it as the summary does, 0:59 (never a minute it did not reach).
    db.prepare("UPDATE sessions SET profile_id = 'w-k7q2', stimulation_ms = 59900 WHERE id = ?").run(
      newest.id,
    );
  } finally {
    db.close();
  }
  const { page, ask } = await relayedPage();
  try {
    await page.clock.install();
    await page.goto(rig.kiosk.url);
    await page.waitForSelector("[data-testid=attract]");
    // The page's own socket is a user socket: the records are refused, naming the field.
    const refused = await ask({ type: "staff-sessions" });
    assert.equal([refused.type, refused.of, refused.field], ["error", "staff-sessions", "type"]);
    assert.not.ok("sessions" in refused);

    await page.click("[data-testid=attract-staff]");
    await page.waitForSelector("[data-testid=staff-pin]");
    assert.is(await page.locator("[data-testid=staff-sessions], [data-testid=staff-audit]").count(), 0);
    assert.not.match(await bodyText(page), new RegExp(newest.id));

    await page.fill("[data-testid=staff-pin]", PIN);
    await page.click("[data-testid=staff-unlock]");
    await page.waitForSelector(`[data-testid=staff-sessions] tr[data-session="${newest.id}"]`);
    const row = await page.textContent(`tr[data-session="${newest.id}"]`) ?? "";
    assert.match(row, /express-lift/);
    assert.match(row, /K7Q2/, "the client code");
    assert.match(row, /ended by staff/);
    assert.match(row, /0:59/, "output time rounded down, as on the summary");
    assert.not.match(row, /1:00/);
    assert.is(await page.locator("[data-testid=staff-sessions] tbody tr").count() >= 2, true);
    await page.waitForSelector("[data-testid=staff-audit] tbody tr");
    assert.match(
      await page.textContent("[data-testid=staff-audit]") ?? "",
      /operator-elevated/,
      "the sign-in itself is the newest entry",
    );
    await screenshot(page, "staff.png");

    // The operator walks away: the panel locks itself and the view shows nothing of the records.
    await page.clock.pauseAt(await page.evaluate(() => Date.now()) + 1000);
    await page.clock.fastForward(OPERATOR_IDLE_MS + 1_000);
    await until(page, `!document.querySelector("[data-testid=staff-sessions]")`, "the records hidden");
    await page.waitForSelector("[data-testid=staff-pin]");
    const after = await bodyText(page);
    assert.not.match(after, /express-lift|operator-elevated|K7Q2/);
    assert.not.match(after, new RegExp(newest.id));
    const again = await ask({ type: "staff-audit" });
    assert.equal([again.type, again.field], ["error", "type"], "the page's socket lost the operator role");
  } finally {
    await page.close();
  }
});

test("a page loaded while a stop is latched explains it on the attract screen; the next screen offers no start", async () => {
  rig.kiosk.runner.submit({ type: "estop" }, "operator");
  const page = await rig.browser.newPage({ viewport: { width: 390, height: 844 } });
  page.setDefaultTimeout(60_000);
  try {
    await page.goto(rig.kiosk.url);
    await page.waitForSelector("[data-testid=attract] [data-testid=latched]");
    const box = await page.locator("[data-testid=latched]").boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `the notice on screen: ${JSON.stringify(box)}`);
    await page.click("[data-testid=attract-go]");
    await page.click("[data-testid=profile-guest]");
    await page.waitForSelector("[data-testid=latched-hint]");
    assert.is(await page.locator("[data-testid=start]").count(), 0);
  } finally {
    await page.close();
    rig.settle();
  }
});

test.run();
