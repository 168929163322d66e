/** The real face model in headless Chromium: two people are both found (so the mirror can use the largest and say so). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { bundle, launchChromium, ROOT, serveToolPage, stopBundler } from "../../tools/mirror/browser.ts";

test("the two-face detector finds both faces in a frame with two people, the larger one left", async () => {
  const server = serveToolPage(await bundle(`${ROOT}tools/mirror/harness_page.ts`));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === "harness ready");
    const boxes = await page.evaluate(() =>
      (globalThis as unknown as { harness: { twoFaces(): Promise<{ xMin: number; width: number }[]> } })
        .harness
        .twoFaces()
    );
    assert.is(boxes.length, 2, JSON.stringify(boxes));
    assert.ok(boxes[0]!.xMin < 320 && boxes[1]!.xMin >= 320, JSON.stringify(boxes));
    assert.ok(boxes[0]!.width > boxes[1]!.width * 1.3);
  } finally {
    await browser.close();
    await server.close();
    await stopBundler();
  }
});

test.run();
