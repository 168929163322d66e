/** What ships: the page bundle the kiosk builds holds no test hook, frame tags, bench methods or removed paths. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildPage, stopBundler } from "../../kiosk/ui/build.ts";
import { harnessScript } from "../../tools/mirror/harness_route.ts";

// Strings that survive minification (global and property names, literals): each marks harness-only code.
const HARNESS_MARKERS = [
  "__mirror", // window.__mirror, the hook itself
  "pipelineFps", // bench methods
  "rawFps",
  "cell:14,bits:10", // FRAME_TAG, the frame-number tag of test videos
];
// Paths measured slower and removed: their switches and the vision worker.
const REMOVED = ["vision_worker", "readTags", '"worker"', '"crowd"', '"capture"', '"mesh"', "backToBack"];
// Looks that moved to app.css.
const STYLES = ["scaleX(-1)", "#3ecf7a", "#b3261ee6", "#8a5a00e6", "4 / 3"];

let dir: string;
let app: string;
let files: string[];

test.before(async () => {
  dir = await Deno.makeTempDir({ prefix: "gp-bundle-" });
  await buildPage({ outDir: dir });
  app = await Deno.readTextFile(`${dir}/app.js`);
  files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
});

test.after(async () => {
  await stopBundler();
  await Deno.remove(dir, { recursive: true });
});

test("the shipped app.js holds none of the harness hook, bench methods or frame tags", () => {
  for (const marker of HARNESS_MARKERS) assert.not.ok(app.includes(marker), `app.js contains ${marker}`);
});

test("the shipped page has no vision worker and no switches for the paths measured slower", () => {
  assert.equal(files, ["app.js", "crowd_worker.js"]);
  for (const marker of REMOVED) assert.not.ok(app.includes(marker), `app.js contains ${marker}`);
});

test("the mirror's look is in app.css, not in the bundle", async () => {
  for (const marker of STYLES) assert.not.ok(app.includes(marker), `app.js contains ${marker}`);
  const css = await Deno.readTextFile(new URL("../../kiosk/ui/app.css", import.meta.url));
  for (const marker of ["scaleX(-1)", "#3ecf7a", "#b3261ee6", "#8a5a00e6", "aspect-ratio: 4 / 3"]) {
    assert.ok(css.includes(marker), `app.css lacks ${marker}`);
  }
});

test("the harness build has the hook (so the markers above are the right ones)", async () => {
  const harness = await harnessScript();
  for (const marker of ["__mirror", "pipelineFps", "rawFps", "cell:14,bits:10"]) {
    assert.ok(harness.includes(marker), `the harness build lacks ${marker}`);
  }
});

test.run();
