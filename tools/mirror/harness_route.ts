/** Serves the harness build of the kiosk page (harness_app.ts: the page plus window.__mirror) to a Playwright page. */
import type { Browser, Page } from "playwright-core";
import { bundle, ROOT } from "./browser.ts";

let script: Promise<string> | null = null;

/** The harness build's text (bundled once per process, minified like the shipped app.js). */
export function harnessScript(): Promise<string> {
  script ??= bundle(`${ROOT}tools/mirror/harness_app.ts`, { minify: true });
  return script;
}

/**
 * A new page whose /app.js is the harness build instead of the kiosk's shipped bundle; everything else
 * (index.html, app.css, the crowd worker, models, the socket) comes from the kiosk as usual.
 */
export async function newHarnessPage(
  browser: Browser,
  options: Parameters<Browser["newPage"]>[0] = {},
): Promise<Page> {
  const body = await harnessScript();
  const page = await browser.newPage(options);
  await page.route(
    (url) => url.pathname === "/app.js",
    (route) => route.fulfill({ body, contentType: "text/javascript; charset=utf-8" }),
  );
  return page;
}
