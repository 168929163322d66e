/** "Who's here?" in headless Chromium against a real kiosk: add a person, skip a zone and set a ceiling in their settings, then the engine holds that zone at 0 and the level at the ceiling; the salon's client code. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Page } from "playwright-core";
import { type Kiosk, startKiosk } from "../../kiosk/mod.ts";
import {
  consentAndStart,
  data,
  pageSuite,
  passAttract,
  screenshot,
  shownIdle,
  shownState,
  text,
} from "./_page_kiosk.ts";
import { createNullSink } from "./_null_sink.ts";

const rig = pageSuite(test, "gp-profiles-page-");

async function openPage(k: Kiosk, width = 1080, height = 1920): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(90_000);
  await page.goto(k.url);
  await passAttract(page);
  // A salon station asks for the client code after the attract screen; a home one went on as a guest.
  if (await page.locator("[data-testid=client-code]").count() === 0) {
    await page.waitForFunction(shownIdle);
  }
  return page;
}

/** Starts the free routine from the page (the demo's probe rests on the right cheek, zone cheek-left). */
async function startFree(page: Page) {
  await page.selectOption(".controls select", "free");
  await consentAndStart(page);
  await page.waitForFunction(`${shownState} === "running"`);
}

async function end(page: Page) {
  await page.click("[data-testid=end]");
  // The summary follows; "Another session" goes back to the mirror for the same person (and salon visit).
  await page.click("[data-testid=summary-again]");
  await page.waitForFunction(shownIdle);
}

test("a person added on the mirror skips a zone and has a ceiling: the engine holds 0 µA there and the level at the ceiling", async () => {
  const page = await openPage(rig.kiosk);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // From the session screen to "Who's here?"; two people already live here.
  rig.kiosk.store.profiles.create({
    id: "seed-1",
    kind: "home",
    name: "Marta",
    language: "es",
    createdAt: 1,
  });
  rig.kiosk.store.profiles.create({
    id: "seed-2",
    kind: "home",
    name: "Joe",
    language: "en",
    createdAt: 2,
  });
  await page.click("[data-testid=profile-who]");
  await page.waitForSelector("[data-testid=profile-Joe]");
  assert.equal(await page.locator(".people .person").allTextContents(), ["Joe", "Marta"]);
  await page.fill("[data-testid=profile-name]", "Ana");
  await page.check("input[name=new-language][value=es]");
  await screenshot(page, "profiles.png");
  await page.click("[data-testid=profile-add]");
  // Chosen: the journey moves on to the first-run guide (new to this person), skipped here, then the mirror.
  await page.click("[data-testid=guide-skip]");
  await page.waitForSelector("[data-testid=profile-chip]");
  assert.is(await page.textContent("[data-testid=profile-current]"), "Ana");
  assert.is(
    await page.textContent("[data-testid=profile-open-settings]"),
    "Mis ajustes",
  );
  const ana = rig.kiosk.store.profiles.findByName("home", "Ana")!;
  assert.equal([ana.language, ana.exclusions, ana.maxComfort], ["es", [], null]);

  // Settings: skip the right cheek (zone cheek-left), level at most 3 of 10.
  await page.click("[data-testid=profile-open-settings]");
  await page.waitForSelector("[data-testid=profile-settings]");
  assert.is(
    await page.evaluate(() =>
      document.querySelector("[data-testid=skip-jawline-left]")?.parentElement?.textContent
    ),
    "Mandíbula (tu derecha)",
  );
  await page.check("[data-testid=skip-cheek-left]");
  await page.uncheck("[data-testid=no-ceiling]");
  await page.$eval("[data-testid=ceiling]", (el) => {
    (el as HTMLInputElement).value = "3";
    el.dispatchEvent(new Event("input", { bubbles: true }));
  });
  assert.match(await page.textContent("[data-testid=ceiling-value]") ?? "", /nivel 3 de 10/);
  await screenshot(page, "profile-settings.png");
  await page.click("[data-testid=profile-save]");
  await page.waitForFunction(`${text("profile-saved")} === "Guardado."`);
  assert.equal(rig.kiosk.store.profiles.get(ana.id)!.exclusions, ["cheek-left"]);
  assert.is(rig.kiosk.store.profiles.get(ana.id)!.maxComfort, 3);
  await page.click("[data-testid=profile-done]");
  await page.waitForSelector("[data-testid=profile-skips]");

  // The demo's probe rests on the right cheek: the skipped zone. 0 µA there, named as this person's skip.
  await startFree(page);
  await page.waitForFunction(`${data("limit", "limit")} === "excluded:cheek-left"`);
  const session = rig.kiosk.store.sessions({ limit: 1 })[0]!;
  assert.is(session.profileId, ana.id, "the session is Ana's");
  for (let i = 0; i < 25; i++) {
    const f = rig.kiosk.runner.lastFrame!;
    if (f.zone === "cheek-left") {
      assert.is(f.currentUa, 0, `0 µA in the skipped zone: ${JSON.stringify(f)}`);
    }
    await new Promise((r) => setTimeout(r, 40));
  }
  assert.match(await page.textContent(".mirror-prompts") ?? "", /omite esta zona/, "in her language");
  await end(page);

  // Without the skip, the ceiling: the slider stops at 3 and the right cheek's 250 µA runs at 3/10 = 75 µA.
  await page.click("[data-testid=profile-open-settings]");
  await page.uncheck("[data-testid=skip-cheek-left]");
  await page.click("[data-testid=profile-save]");
  await page.waitForFunction(`${text("profile-saved")} === "Guardado."`);
  await page.click("[data-testid=profile-done]");
  assert.is(await page.getAttribute("[data-testid=comfort]", "max"), "3");
  await startFree(page);
  await page.waitForFunction(`${data("limit", "limit")} === "zone"`, undefined, { timeout: 120_000 });
  assert.is(rig.kiosk.runner.lastFrame!.currentUa, 75);
  assert.is(rig.kiosk.store.sessions({ limit: 1 })[0]!.comfort, 3);
  await end(page);

  // "Not you?": nothing of Ana's stays; the page speaks English again.
  await page.click("[data-testid=profile-change]");
  await page.waitForSelector("[data-testid=profiles-screen]");
  assert.is(await page.textContent("h1"), "Who's here?");
  assert.equal(errors, []);
});

test("a salon station takes a client code, lists no one, and a second session of the visit reuses the screening", async () => {
  const salonDir = Deno.makeTempDirSync({ prefix: "gp-salon-page-" });
  const salon = await startKiosk({
    port: 0,
    dataDir: salonDir,
    demo: true,
    sink: createNullSink(),
    sinkSimulated: true,
    operatorPin: "2468",
    station: "salon",
    buildUi: false, // the first kiosk built the page
    log: () => {},
  });
  const page = await openPage(salon);
  try {
    salon.store.profiles.create({ id: "other", kind: "walk-in", name: "ZZ99", language: "en", createdAt: 1 });
    // After the attract screen a salon station asks for the client code at once.
    await page.waitForSelector("[data-testid=client-code]");
    assert.is(await page.locator(".people").count(), 0, "no list of clients at a salon");
    await page.fill("[data-testid=client-code]", "ab1");
    await page.click("[data-testid=client-code-go]");
    await page.waitForFunction(`(${text("profile-error")} ?? "").includes("4 to 8")`);
    await page.fill("[data-testid=client-code]", "k7q2");
    await screenshot(page, "client-code.png");
    await page.click("[data-testid=client-code-go]");
    await page.click("[data-testid=guide-skip]");
    await page.waitForSelector("[data-testid=profile-chip]");
    assert.is(await page.textContent("[data-testid=profile-current]"), "K7Q2");
    await startFree(page);
    const first = salon.store.sessions({ limit: 1 })[0]!;
    await end(page);
    // The second session of the visit: no questions, consent only.
    await page.waitForSelector("[data-testid=screening-reused]");
    assert.is(await page.locator("[data-question]").count(), 0);
    await page.check("[data-testid=consent]");
    await page.click("[data-testid=start]");
    await page.waitForFunction(`${shownState} === "running"`);
    const second = salon.store.sessions({ limit: 1 })[0]!;
    assert.is.not(second.id, first.id);
    assert.is(salon.store.screenings(second.id)[0]!.reusedFrom, first.id);
    await end(page);
    // The client leaves: the next one sees an empty code box and no name.
    await page.click("[data-testid=profile-change]");
    await page.waitForSelector("[data-testid=client-code]");
    assert.is(await page.inputValue("[data-testid=client-code]"), "");
    assert.not.match(await page.textContent("body") ?? "", /K7Q2/);
  } finally {
    await page.close();
    await salon.shutdown();
    await Deno.remove(salonDir, { recursive: true }).catch(() => {});
  }
});

test.run();
