/** Live coaching in the browser: when the demo moves to a new step, the banner shows its words, a beep plays and they are spoken. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { moveText } from "../../kiosk/ui/coach.ts";
import { consentAndStart, data, pageSuite, showIdle, shownState } from "./_page_kiosk.ts";

const rig = pageSuite(test, "gp-page-coach-");

/**
 * Stands in for the browser's voice and audio (headless Chromium has neither) and records what the page asked of
 * them, and every text the cue banner showed.
 */
function recorders() {
  const w = globalThis as unknown as Record<string, unknown>;
  const spoken: string[] = [], beeps: number[] = [], banners: string[] = [];
  Object.assign(w, { __spoken: spoken, __beeps: beeps, __banners: banners });
  w.SpeechSynthesisUtterance = class {
    constructor(public text: string) {}
  };
  Object.defineProperty(globalThis, "speechSynthesis", {
    configurable: true,
    value: {
      getVoices: () => [{ name: "stub", lang: "en-US" }],
      cancel() {},
      speak: (u: { text: string }) => spoken.push(u.text),
    },
  });
  const node = () => ({
    connect: (n: unknown) => n,
    frequency: { value: 0 },
    gain: { setValueAtTime() {}, linearRampToValueAtTime() {} },
  });
  w.AudioContext = class {
    currentTime = 0;
    destination = {};
    createGain = node;
    createOscillator = () => ({ ...node(), start: () => beeps.push(Date.now()), stop() {} });
  };
  new MutationObserver(() => {
    const shown = document.querySelector("[data-testid=cue]")?.textContent;
    if (shown && banners.at(-1) !== shown) banners.push(shown);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

test("when the demo moves to the next step the banner shows its move, a beep plays and the words are spoken", async () => {
  const page = await rig.browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(150_000);
  await page.addInitScript(recorders);
  await showIdle(page, rig.kiosk.url);
  await consentAndStart(page);
  await page.waitForFunction(`${shownState} === "running"`);
  await page.waitForFunction(`${data("step", "step")} === "2"`).catch(() => {
    throw new Error(
      `the demo did not reach step 2; engine at ${JSON.stringify(rig.kiosk.runner.lastFrame?.guidance)}`,
    );
  });
  const g = rig.kiosk.runner.lastFrame?.guidance;
  assert.ok(g && g.stepIndex === 1, `engine still on step 2: ${JSON.stringify(g)}`);
  const words = moveText(g, "en");
  await page.waitForFunction(
    (w) => (globalThis as unknown as { __banners: string[] }).__banners.includes(w),
    words,
  );
  const seen = await page.evaluate(() => {
    const w = globalThis as unknown as { __spoken: string[]; __beeps: number[]; __banners: string[] };
    return { spoken: w.__spoken, beeps: w.__beeps.length, banners: w.__banners };
  });
  assert.ok(seen.spoken.includes(words), `spoken ${JSON.stringify(seen.spoken)}, want ${words}`);
  assert.ok(seen.beeps >= 2, `a beep for step 1 and for step 2; got ${seen.beeps}`);
  assert.ok(seen.banners.length >= 2, `banners ${JSON.stringify(seen.banners)}`);
  // Speech and the banner come from the same cue: every banner was spoken too.
  for (const b of seen.banners) assert.ok(seen.spoken.includes(b), `banner "${b}" not spoken`);
  assert.match(await page.textContent("[data-testid=left]") ?? "", /passes? on this step/);
});

test.run();
