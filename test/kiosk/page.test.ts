import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import { type Page, type WebSocketRoute } from "playwright-core";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import { startKiosk } from "../../kiosk/mod.ts";
import {
  data,
  leaveSummary,
  pageSuite,
  passAttract,
  PIN,
  recordSent,
  showIdle,
  shownIdle,
  shownState,
  text,
} from "./_page_kiosk.ts";
import { createNullSink } from "./_null_sink.ts";

const rig = pageSuite(test, "gp-page-");

/** A page with generous timeouts: every page runs the face mesh, and the test box is shared. */
async function newPage(viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await rig.browser.newPage({ viewport });
  page.setDefaultTimeout(60_000);
  return page;
}

/**
 * A page whose /ws goes through a relay the test can cut on the page's side only: the kiosk keeps its end open, so
 * it does not apply its own estop for a lost page and the test sees what the page alone delivers. Records every
 * message the page sends.
 */
async function relayedPage(): Promise<
  { page: Page; sent: Record<string, unknown>[]; cut(): void; restore(): void; dispose(): Promise<void> }
> {
  const page = await newPage();
  const sent: Record<string, unknown>[] = [];
  let down = false;
  let current: WebSocketRoute | null = null;
  const kept: WebSocketRoute[] = [];
  await page.routeWebSocket(/\/ws$/, (ws) => {
    if (down) return void ws.close({ code: 1011, reason: "test: kiosk unreachable" });
    current = ws;
    const server = ws.connectToServer();
    ws.onMessage((m) => {
      sent.push(JSON.parse(String(m)));
      server.send(m);
    });
    ws.onClose((code, reason) => {
      if (down) kept.push(server);
      else server.close({ code, reason });
    });
  });
  return {
    page,
    sent,
    cut() {
      down = true;
      current?.close({ code: 1011, reason: "test: cut" });
    },
    restore() {
      down = false;
    },
    async dispose() {
      await page.close();
      for (const server of kept) server.close();
    },
  };
}

/** Waits for the session to run; on timeout says what the page showed instead. */
async function running(page: Page) {
  try {
    await page.waitForFunction(`${shownState} === "running"`);
  } catch {
    const shown = await page.evaluate(() => document.querySelector(".side")?.textContent);
    throw new Error(`session did not run; engine ${rig.kiosk.runner.state}; page: ${shown}`);
  }
}

/** Waits until the page is connected and no session runs (idle, or the last one ended or aborted). */
async function idle(page: Page) {
  await page.waitForFunction(shownIdle);
}

async function answerAll(page: Page, answer: "yes" | "no", except: string[] = []) {
  for (const key of CONTRAINDICATIONS) {
    if (!except.includes(key)) await page.check(`[data-question=${key}] input[value=${answer}]`);
  }
}

test("screening: no defaults, Start waits for every answer and consent, and the next person starts from blank", async () => {
  const page = await newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await showIdle(page, rig.kiosk.url);
  assert.is(
    await page.locator("[data-testid=screening] input[type=radio]:checked").count(),
    0,
    "no answer is preset",
  );
  assert.ok(await page.isDisabled("[data-testid=start]"));
  await answerAll(page, "no", ["metalImplantsInFace"]);
  await page.check("[data-testid=consent]");
  assert.ok(await page.isDisabled("[data-testid=start]"), "one question unanswered keeps Start disabled");
  await page.uncheck("[data-testid=consent]");
  await page.check("[data-question=metalImplantsInFace] input[value=no]");
  assert.ok(await page.isDisabled("[data-testid=start]"), "no start without consent");
  await page.check("[data-testid=consent]");
  await page.click("[data-testid=start]");
  await running(page);
  const [session] = rig.kiosk.store.sessions();
  assert.is(session?.routine, "express-lift", "demo mode preselects express-lift");
  const record = rig.kiosk.store.screenings(session!.id)[0]!;
  assert.is(record.consent, true);
  assert.equal(record.answers, Object.fromEntries(CONTRAINDICATIONS.map((k) => [k, false])));
  await page.click("[data-testid=end]");
  await leaveSummary(page);
  await page.waitForSelector("[data-testid=screening]");
  assert.is(
    await page.locator("[data-testid=screening] input[type=radio]:checked").count(),
    0,
    "answers cleared",
  );
  assert.not.ok(await page.isChecked("[data-testid=consent]"), "consent cleared");
  assert.ok(await page.isDisabled("[data-testid=start]"));
  // A "yes" is sent as given: the engine gives no output for that session.
  await answerAll(page, "no", ["pregnancy"]);
  await page.check("[data-question=pregnancy] input[value=yes]");
  assert.ok(await page.isVisible("text=With a “yes” answer the device gives no output"));
  await page.check("[data-testid=consent]");
  await page.click("[data-testid=start]");
  await page.waitForFunction(() =>
    document.querySelectorAll("[data-testid=screening] input:checked").length === 0
  );
  const [aborted] = rig.kiosk.store.sessions();
  assert.is(rig.kiosk.store.screenings(aborted!.id)[0]?.answers.pregnancy, true);
  assert.equal(errors, []);
});

test("a user sees no operator controls; the emergency stop is confirmed delivered by the frame that shows it", async () => {
  const page = await newPage();
  await showIdle(page, rig.kiosk.url);
  assert.is(
    await page.locator("[data-testid=reset]").count(),
    0,
    "no reset button while the operator panel is locked",
  );
  assert.is(await page.textContent("[data-testid=operator-status]"), "locked");
  await startFromPage(page);
  await page.click("[data-testid=estop]");
  await page.waitForFunction(
    `document.querySelector("[data-testid=estop]").dataset.status === "delivered"`,
  );
  assert.match((await page.textContent("[data-testid=estop]")) ?? "", /DELIVERED/);
  assert.is(await page.getAttribute("[data-testid=limit]", "data-limit"), "estop");
  assert.is(await page.getAttribute("[data-testid=current]", "data-ua"), "0");
  assert.is(rig.kiosk.runner.lastFrame?.limit, "estop");
  assert.is(rig.kiosk.store.auditLog()[0]?.action, "estop");
});

test("when the record cannot be written mid-session, output stops and the page says why in plain words", async () => {
  const page = await newPage();
  const other = new DatabaseSync(rig.kiosk.store.path);
  try {
    await showIdle(page, rig.kiosk.url);
    assert.is(await page.locator("[data-testid=stop-reason]").count(), 0);
    await startFromPage(page);
    other.exec("BEGIN EXCLUSIVE"); // the next checkpoint meets a real lock
    await page.waitForFunction(
      `/record cannot be saved \\(database is locked\\)/.test(${text("stop-reason")})`,
    );
    assert.is(await page.getAttribute("[data-testid=limit]", "data-limit"), "device-fault");
    assert.is(await page.getAttribute("[data-testid=current]", "data-ua"), "0");
  } finally {
    if (other.isTransaction) other.exec("ROLLBACK");
    other.close();
    await page.close();
  }
});

/** Starts a session from the page's own controls and waits for it to run. */
async function startFromPage(page: Page) {
  await answerAll(page, "no");
  await page.check("[data-testid=consent]");
  await page.click("[data-testid=start]");
  await running(page);
}

const count = (page: Page, testId: string) => page.locator(`[data-testid=${testId}]`).count();

test("a latched stop tells the person to ask staff and offers neither Start nor Resume, after End and on a fresh page", async () => {
  const page = await newPage();
  try {
    await showIdle(page, rig.kiosk.url);
    assert.is(await count(page, "latched"), 0, "no notice without a latch");
    await startFromPage(page);
    await page.click("[data-testid=estop]");
    await page.waitForSelector("[data-testid=latched]");
    assert.match(await page.textContent("[data-testid=latched]") ?? "", /Stopped — please ask staff/);
    assert.is(await page.getAttribute("[data-testid=state]", "data-state"), "stopped");
    assert.equal(
      [await count(page, "resume"), await count(page, "pause"), await count(page, "start")],
      [0, 0, 0],
      "no Resume that does nothing, no Start",
    );
    await page.click("[data-testid=end]");
    // The person sees their summary, with the stop still explained on it.
    await page.waitForSelector("[data-testid=summary-title]");
    assert.is(rig.kiosk.runner.state, "ended");
    assert.is(await count(page, "latched"), 1, "ending the session does not lift the stop");
    assert.equal([await count(page, "start"), await count(page, "screening")], [0, 0]);
  } finally {
    await page.close();
  }
  // The next person, on a freshly loaded phone-sized page: the stop is explained in view, nothing appears to
  // start a session.
  const next = await newPage({ width: 390, height: 844 });
  try {
    await next.goto(rig.kiosk.url);
    await passAttract(next);
    await next.waitForSelector("[data-testid=latched]");
    assert.match(await next.textContent("[data-testid=latched]") ?? "", /please ask staff/);
    const box = await next.locator("[data-testid=latched]").boundingBox();
    assert.ok(
      box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844,
      JSON.stringify(box),
    );
    assert.equal(
      [await count(next, "start"), await count(next, "screening"), await count(next, "comfort")],
      [0, 0, 0],
    );
    assert.match(await next.textContent("[data-testid=latched-hint]") ?? "", /staff must reset/);
    assert.is(rig.kiosk.runner.lastFrame?.limit, "estop");
    assert.is(rig.kiosk.runner.lastFrame?.currentUa, 0);
  } finally {
    await next.close();
  }
});

test("after the operator reset the page shows Resume, and the session runs again only when it is pressed", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  const seen: { state: string; ua: number }[] = [];
  const off = rig.kiosk.runner.observe({ frame: (f) => void seen.push({ state: f.state, ua: f.currentUa }) });
  try {
    await showIdle(page, rig.kiosk.url);
    await startFromPage(page);
    await page.click("[data-testid=estop]");
    await page.waitForSelector("[data-testid=latched]");
    await page.click("[data-testid=operator-panel] summary");
    await page.fill("[data-testid=operator-pin]", PIN);
    await page.click("[data-testid=operator-unlock]");
    await page.waitForFunction(`${text("operator-status")} === "unlocked"`);
    await page.click("[data-testid=reset]");
    await page.waitForSelector("[data-testid=resume]");
    const fromReset = seen.findLastIndex((f) => f.state !== "paused") + 1;
    assert.is(await count(page, "latched"), 0, "the notice goes with the latch");
    assert.is(await page.getAttribute("[data-testid=state]", "data-state"), "paused");
    assert.match(await page.textContent("[data-testid=paused-hint]") ?? "", /Press Resume/);
    assert.is(await page.getAttribute("[data-testid=estop]", "data-status"), "idle");
    // Left alone for a while, the session stays paused at 0 µA: nothing restarts by itself.
    const until = seen.length + 50;
    await page.waitForFunction(() => true);
    while (seen.length < until) await new Promise((r) => setTimeout(r, 50));
    const waited = seen.slice(fromReset);
    assert.ok(waited.length >= 50, `${waited.length} frames`);
    assert.ok(waited.every((f) => f.state === "paused" && f.ua === 0), JSON.stringify(waited.slice(-3)));
    await page.click("[data-testid=resume]");
    await running(page);
    assert.is(rig.kiosk.runner.state, "running");
    await page.click("[data-testid=end]");
  } finally {
    off();
    await page.close();
  }
});

test("an emergency stop pressed while the socket is down says NOT DELIVERED, is resent on reconnect, then confirmed", async () => {
  const { page, sent, cut, restore, dispose } = await relayedPage();
  try {
    await showIdle(page, rig.kiosk.url);
    await startFromPage(page);
    cut();
    await page.waitForFunction(`${shownState} === "disconnected"`);
    await page.click("[data-testid=estop]");
    assert.is(await page.textContent("[data-testid=estop]"), "E-STOP NOT DELIVERED — reconnecting");
    assert.is(sent.filter((m) => m.type === "estop").length, 0);
    assert.is.not(rig.kiosk.runner.lastFrame?.limit, "estop", "the kiosk has not heard of it yet");
    restore();
    await page.waitForFunction(
      `document.querySelector("[data-testid=estop]").dataset.status === "delivered"`,
      null,
      {
        timeout: 10_000,
      },
    );
    assert.is(sent.filter((m) => m.type === "estop").length, 1, "sent once, after the reconnect");
    assert.is(rig.kiosk.runner.lastFrame?.limit, "estop");
  } finally {
    await dispose();
  }
});

test("operator panel: a wrong PIN stays locked; the right PIN unlocks reset, cap and net-DC; Lock drops the rights", async () => {
  const page = await newPage({ width: 1280, height: 900 });
  await showIdle(page, rig.kiosk.url);
  await startFromPage(page);
  await page.click("[data-testid=estop]");
  await page.waitForFunction(
    `document.querySelector("[data-testid=estop]").dataset.status === "delivered"`,
  );
  await page.click("[data-testid=operator-panel] summary");
  await page.fill("[data-testid=operator-pin]", "0000");
  await page.click("[data-testid=operator-unlock]");
  await page.waitForSelector("text=operator PIN not accepted");
  assert.is(await page.textContent("[data-testid=operator-status]"), "locked");
  assert.is(await page.locator("[data-testid=reset]").count(), 0);
  await page.fill("[data-testid=operator-pin]", PIN);
  await page.click("[data-testid=operator-unlock]");
  await page.waitForFunction(`${text("operator-status")} === "unlocked"`);
  await page.click("[data-testid=reset]");
  await page.waitForFunction(`${data("limit", "limit")} !== "estop"`);
  assert.is(
    await page.getAttribute("[data-testid=estop]", "data-status"),
    "idle",
    "the stop button starts over",
  );
  assert.is(rig.kiosk.store.auditLog()[0]?.action, "reset");
  assert.is(rig.kiosk.store.auditLog()[0]?.actor, "operator");
  await page.click("[data-testid=end]");
  await leaveSummary(page);
  await idle(page);
  // The end of a session locked the panel (operator_lock.ts); cap and net-DC go with the next start. (The
  // session screen is new after the summary: the panel is closed again.)
  await page.waitForFunction(`${text("operator-status")} === "locked"`);
  await page.click("[data-testid=operator-panel] summary");
  await page.fill("[data-testid=operator-pin]", PIN);
  await page.click("[data-testid=operator-unlock]");
  await page.waitForFunction(`${text("operator-status")} === "unlocked"`);
  await page.fill("[data-testid=operator-cap]", "120");
  await page.click("[data-testid=operator-cap-apply]");
  await startFromPage(page);
  assert.is(rig.kiosk.store.sessions()[0]?.operatorCapUa, 120);
  // During a session the cap goes out at once.
  await page.fill("[data-testid=operator-cap]", "80");
  await page.click("[data-testid=operator-cap-apply]");
  await page.waitForFunction(() => true);
  for (let i = 0; i < 100 && rig.kiosk.store.auditLog()[0]?.action !== "cap"; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.is(rig.kiosk.store.auditLog()[0]?.action, "cap");
  assert.is(rig.kiosk.store.auditLog()[0]?.actor, "operator");
  // Locking mid-session swaps the socket without a gap: the kiosk sees no lost page and keeps running.
  await page.click("[data-testid=operator-lock]");
  await page.waitForFunction(`${text("operator-status")} === "locked"`);
  assert.is(await page.locator("[data-testid=reset]").count(), 0);
  await page.waitForFunction(`${shownState} === "running"`);
  assert.is(rig.kiosk.runner.state, "running");
  assert.is.not(rig.kiosk.store.auditLog()[0]?.action, "estop");
  await page.evaluate(() => document.querySelector<HTMLButtonElement>("[data-testid=end]")?.click());
});

test("demo mode on a simulated device runs the photo demo through the real pipeline, observations tagged source demo", async () => {
  const { page, sent, dispose } = await relayedPage();
  try {
    await showIdle(page, rig.kiosk.url);
    await page.waitForSelector("[data-testid=mirror][data-mode=demo] [data-testid=mirror-view]");
    await page.waitForFunction(() => true);
    const deadline = Date.now() + 60_000;
    while (!sent.some((m) => m.type === "probe") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const probes = sent.filter((m) => m.type === "probe");
    assert.ok(probes.length > 0, "the mirror sends observations");
    assert.ok(probes.every((m) => m.source === "demo"), JSON.stringify(probes.slice(0, 2)));
  } finally {
    await dispose();
  }
});

test("with a real device the demo scene is hidden and never used, even when the URL asks for it", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "gp-page-real-" });
  const real = await startKiosk({
    port: 0,
    dataDir: dir,
    sink: createNullSink(),
    buildUi: false,
    log: () => {},
  });
  const page = await newPage();
  const sent = await recordSent(page);
  try {
    assert.is((await (await fetch(`${real.url}api/health`)).json()).demoAllowed, false);
    await page.goto(`${real.url}?camera=demo`);
    await passAttract(page);
    await page.waitForSelector("[data-testid=mirror][data-mode=camera] [data-testid=mirror-view]");
    // No camera in headless Chromium: the mirror says so instead of falling back to the photo.
    await page.waitForSelector("[data-testid=mirror-view] [data-level=error]", { timeout: 60_000 });
    assert.is(await page.locator("option[value=demo]").count(), 0);
    assert.ok(!sent.some((m) => m.source === "demo"));
    assert.not.match(await page.textContent("[data-testid=mirror]") ?? "", /demo scene/i);
  } finally {
    await page.close();
    await real.shutdown();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

test("the page sends a clock ping on connect and every 10 s", async () => {
  const { page, sent, dispose } = await relayedPage();
  try {
    await page.clock.install();
    await showIdle(page, rig.kiosk.url);
    const pings = () => sent.filter((m) => m.type === "clock");
    assert.is(pings().length, 1, "one ping on connect");
    assert.type(pings()[0]!.pageMs, "number");
    await page.clock.runFor(10_000);
    await page.waitForFunction(() => true);
    assert.is(pings().length, 2, "the next after 10 s");
    assert.ok((pings()[1]!.pageMs as number) - (pings()[0]!.pageMs as number) >= 10_000);
  } finally {
    await dispose();
  }
});

test("kiosk controls are labelled, at least 44 px tall, and the emergency stop stays in view when the page scrolls", async () => {
  const page = await newPage({ width: 1280, height: 600 });
  await showIdle(page, rig.kiosk.url);
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    for (
      const el of document.querySelectorAll<HTMLElement>(
        ".side button, .side select, .side input, .side summary",
      )
    ) {
      const box = el.getBoundingClientRect();
      if (box.width === 0) continue; // collapsed (operator panel) or hidden
      const target = el.closest("label") ?? el;
      const name = (el.getAttribute("aria-label") ?? target.textContent ?? "").trim();
      if (!name) out.push(`${el.tagName} has no label`);
      const height = el.matches("input[type=radio], input[type=checkbox]")
        ? target.getBoundingClientRect().height
        : box.height;
      if (height < 44) out.push(`${el.tagName} "${name.slice(0, 30)}" is ${height.toFixed(0)} px tall`);
    }
    return out;
  });
  assert.equal(problems, []);
  await page.evaluate(() => globalThis.scrollTo(0, document.body.scrollHeight));
  const box = await page.locator("[data-testid=estop]").boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 600, `estop in view: ${JSON.stringify(box)}`);
});

test.run();
