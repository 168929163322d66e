/** End to end in headless Chromium: the rendered face video plays as a fake camera to the real kiosk page with the real model. */
import { passAttract } from "../kiosk/_page_kiosk.ts";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Buffer } from "node:buffer";
import type { Browser, Page } from "playwright-core";
import { type Kiosk, startKiosk } from "../../kiosk/mod.ts";
import type { RenderTruth } from "../../tools/render_y4m.ts";
import { launchChromium, ROOT, stopBundler } from "../../tools/mirror/browser.ts";
import { e2eVideo } from "../../tools/mirror/e2e_video.ts";
import { newHarnessPage } from "../../tools/mirror/harness_route.ts";

interface HookResult {
  capturedAt: number;
  sentAt: number;
  sent: boolean;
  tag: number | null;
  faceCount: number;
  points: { u: number; v: number }[];
  confidence: number;
}
interface ServerFrame {
  t: number;
  currentUa: number;
  zone: string | null;
  limit: string;
}

// Every request the page (and its workers) makes that is not to the kiosk itself: must stay empty, so the
// bundled library's default model URLs (tfhub.dev, kaggle) or any CDN can never be fetched.
function watchForeignRequests(page: Page): string[] {
  const own = new URL(kiosk.url).origin;
  const foreign: string[] = [];
  page.context().on("request", (r) => {
    const url = r.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    if (new URL(url).origin !== own) foreign.push(url);
  });
  return foreign;
}

// Resolves once the page reports to /api/health that it is connected and tracking nothing (its error state).
async function pageReportsIdle(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    const t = health.tracking;
    if (t && t.fps === 0 && t.faceSeen === false && t.probeSeen === false) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the page never reported its idle tracking state to /api/health");
}

let kiosk: Kiosk;
let browser: Browser;
let truth: RenderTruth;
let dataDir: string;

test.before(async () => {
  const rendered = await e2eVideo();
  truth = rendered.truth;
  dataDir = await Deno.makeTempDir({ prefix: "glidepath-e2e-" });
  // The simulated device runs in this process, beside Playwright and its traffic with Chromium, on a 2-core
  // machine: under load its telemetry can pause past the 200 ms watchdog, a fault the engine latches for
  // every later case. This test is about the mirror, so the device host here allows 1 s of silence; the
  // watchdog itself is tested in test/device (device_host.test.ts, host_stall_realtime.test.ts).
  // Device faults and disconnects are printed.
  kiosk = await startKiosk({
    port: 0,
    demo: false,
    deviceHost: { telemetryTimeoutMs: 1000, staleReconnectMs: 3000 },
    dataDir,
    log: (line: string) => void (/fault|disconnect/i.test(line) && console.error(`kiosk: ${line}`)),
    device: "simulated",
  });
  browser = await launchChromium([
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${rendered.file}`,
  ]);
});

test.after(async () => {
  await browser?.close();
  await kiosk?.shutdown("test end");
  await stopBundler();
  if (dataDir) await Deno.remove(dataDir, { recursive: true });
});

// The camera case runs twice: frames read as they arrive (the default, MediaStreamTrackProcessor), and the
// fallback for browsers without it (requestVideoFrameCallback on the video, ?frames=video). Every page here
// is the harness build of the kiosk page (window.__mirror; the shipped app.js has no hook).
for (
  const [label, params, source] of [
    ["camera frames as they arrive", "", "stream"],
    ["the video's frame callback (fallback)", "frames=video", "video"],
  ] as const
) {
  test(`mirror drives the engine from the camera (${label}): zone order, keep-out at 0, output in the treatment zone`, () =>
    cameraCase(params, source));
}

async function cameraCase(params: string, source: "stream" | "video") {
  const page = await newHarnessPage(browser, { viewport: { width: 1100, height: 620 } });
  try {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const foreign = watchForeignRequests(page);
    // The engine's own record, on the engine clock: every probe event the page sent and every frame.
    const events: { t: number; points: { u: number; v: number }[]; confidence: number }[] = [];
    const frames: ServerFrame[] = [];
    kiosk.runner.observe({
      event: (e, { source }) => void (e.type === "probe" && source === "page" && events.push(e)),
      frame: (f) => void frames.push({ t: f.t, currentUa: f.currentUa, zone: f.zone, limit: f.limit }),
    });
    await page.goto(`${kiosk.url}?${params}${Deno.env.get("MIRROR_PARAMS") ?? ""}`);
    await passAttract(page);
    await page.waitForFunction(
      () => (globalThis as { __mirror?: { results: unknown[] } }).__mirror?.results.length,
      null,
      {
        timeout: 60_000,
      },
    );
    assert.is(
      await page.evaluate(() =>
        (globalThis as unknown as { __mirror: { frameSource: string } }).__mirror.frameSource
      ),
      source,
    );
    kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} }, "operator");
    const tensorsAtStart = await page.evaluate(() =>
      (globalThis as unknown as { __mirror: { tensors(): number } }).__mirror.tensors()
    );
    // One full pass of the path after the session started: the tag wraps to the start, then reaches the end.
    await page.waitForFunction(
      () => {
        const r =
          (globalThis as unknown as { __mirror: { results: { tag: number | null }[] } }).__mirror.results;
        const wrapped = r.findLastIndex((x) => x.tag !== null && x.tag < 20);
        return wrapped > 0 && r.slice(wrapped).some((x) => (x.tag ?? 0) >= 225);
      },
      null,
      { timeout: 40_000, polling: 200 },
    );
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    const tensorsAtEnd = await page.evaluate(() =>
      (globalThis as unknown as { __mirror: { tensors(): number } }).__mirror.tensors()
    );
    // Stop sending before reading both sides, so the two records cover the same observations.
    await page.evaluate(() => (globalThis as unknown as { __mirror: { pause(): void } }).__mirror.pause());
    await new Promise((r) => setTimeout(r, 300));
    const hook = await page.evaluate(() =>
      (globalThis as unknown as { __mirror: { results: HookResult[]; backend: string } }).__mirror.results
    );

    // The kiosk drops observations that arrive out of order or too long after capture (ws_hub), so the
    // engine's probe events are an in-order subsequence of what the page sent: each pairs with the next
    // page observation carrying the same points and confidence.
    const sent = hook.filter((r) => r.sent);
    const observed: { t: number; tag: number | null; points: { u: number; v: number }[] }[] = [];
    for (let i = 0, j = 0; i < events.length; i++, j++) {
      const e = events[i]!;
      const key = JSON.stringify([e.points, e.confidence]);
      while (j < sent.length && JSON.stringify([sent[j]!.points, sent[j]!.confidence]) !== key) j++;
      assert.ok(
        j < sent.length,
        `engine probe event ${i} (${key}) is not among the page's ${sent.length} observations`,
      );
      observed.push({ t: e.t, tag: sent[j]!.tag, points: sent[j]!.points });
    }

    // Only the last full pass counts (the session started part-way through an earlier one).
    // Its ends are taken in the path's "none" segments (first 1.5 s, last 1 s), wide enough that the kiosk
    // dropping a late observation at either end does not lose the pass.
    const noneAtStart = truth.frames.findIndex((f) => f !== null);
    const noneAtEnd = truth.frames.findLastIndex((f) => f !== null) + 1;
    const last = observed.findLastIndex((x) => (x.tag ?? 0) >= noneAtEnd);
    const first = observed.slice(0, last).findLastIndex((x) => x.tag !== null && x.tag < noneAtStart);
    const pass = observed.slice(first, last + 1).filter((r) => r.tag !== null && r.tag < truth.frames.length);
    assert.ok(
      pass.length >= 24,
      `only ${pass.length} camera frames processed in one 8 s pass (page sent ${sent.length}, engine took ${events.length})`,
    );
    assert.is(errors.length, 0, errors.join("\n"));

    // Located probe points match the rendered marker's UV (mesh + locator + UV mapping accuracy).
    const errs = pass.flatMap((r) => {
      const gt = truth.frames[r.tag!];
      return gt && r.points[0] ? [Math.hypot(r.points[0].u - gt.u, r.points[0].v - gt.v)] : [];
    }).sort((a, b) => a - b);
    const median = errs[Math.floor(errs.length / 2)]!;
    assert.ok(errs.length > 20 && median < 0.03, `median UV error ${median} over ${errs.length} frames`);

    // Ground truth for engine frame i: where the marker was in the newest observation applied before it.
    // One frame of latency is allowed: a frame must be 0 when the marker was in the keep-out both before
    // this frame and before the previous one.
    const passFrames = frames.filter((f) => f.t >= pass[0]!.t && f.t <= pass[pass.length - 1]!.t + 100);
    const at = (t: number) => {
      const r = pass.findLast((x) => x.t <= t);
      return r ? truth.frames[r.tag!] ?? null : undefined;
    };
    const truthOf = (i: number) => {
      const now = at(passFrames[i]!.t), before = at(passFrames[i - 1]?.t ?? -Infinity);
      return now?.zone === "eye-left" && before?.zone !== "eye-left" ? null : now;
    };
    let inEye = 0, cheekMax = 0, foreheadMax = 0;
    passFrames.forEach((f, i) => {
      const gt = truthOf(i);
      if (gt?.zone === "eye-left") {
        inEye++;
        assert.is(
          f.currentUa,
          0,
          `frame t=${f.t} while the marker is in the eye keep-out: ${JSON.stringify(f)}`,
        );
      }
      if (gt?.zone === "cheek-left") cheekMax = Math.max(cheekMax, f.currentUa);
      if (gt?.zone === "forehead") foreheadMax = Math.max(foreheadMax, f.currentUa);
    });
    assert.ok(inEye > 30, `only ${inEye} engine frames while the marker was in the eye`);
    assert.ok(cheekMax > 0, "no output while the marker glided on the cheek with contact");
    assert.ok(foreheadMax > 0, "no output while the marker glided on the forehead with contact");

    // Zones in the order the marker visits them.
    const order = passFrames.map((f) => f.zone).filter((z, i, a) => z !== null && z !== a[i - 1]);
    const wanted = ["cheek-left", "eye-left", "forehead"];
    let k = 0;
    for (const z of order) if (z === wanted[k]) k++;
    assert.is(k, wanted.length, `zone order ${order.join(" → ")}`);

    // Hundreds of frames later the page holds no more tensors than before (nothing leaks per frame).
    assert.ok(tensorsAtEnd <= tensorsAtStart + 2, `tensors ${tensorsAtStart} → ${tensorsAtEnd}`);
    assert.ok(health.tracking?.faceSeen === true, JSON.stringify(health.tracking));
    assert.ok(health.tracking.fps > 0);

    // Nothing but the kiosk was asked for anything; and the watcher does see a foreign request.
    assert.equal(foreign, [], `requests to other origins: ${foreign.join(", ")}`);
    await page.evaluate(() =>
      fetch("https://tfhub.dev/mediapipe/tfjs-model/face_landmarks_detection").catch(() => {})
    );
    assert.ok(
      foreign.some((u) => u.startsWith("https://tfhub.dev/")),
      "origin watcher missed a tfhub.dev request",
    );
  } finally {
    // End first: a page that leaves a running session behind stops it with an estop that only a reset lifts.
    kiosk.runner.submit({ type: "end" }, "operator");
    await page.close();
  }
}

test("the crowd worker counts one face in the camera frame and two in a picture of two people", async () => {
  const page = await newHarnessPage(browser, { viewport: { width: 1100, height: 620 } });
  try {
    await page.goto(kiosk.url);
    await passAttract(page);
    await page.waitForFunction(
      () => (globalThis as { __mirror?: { results: unknown[] } }).__mirror?.results.length,
      null,
      { timeout: 60_000 },
    );
    const counts = await page.evaluate(async () => {
      const m =
        (globalThis as unknown as { __mirror: { countFaces(i: ImageData): Promise<number> } }).__mirror;
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = [320, 240];
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(document.querySelector("video")!, 0, 0, 320, 240);
      const camera = await m.countFaces(ctx.getImageData(0, 0, 320, 240));
      // Two people: the demo photo's face twice, large and small, side by side.
      const photo = new Image();
      photo.src = "/assets/astronaut.png";
      await photo.decode();
      ctx.fillStyle = "#888";
      ctx.fillRect(0, 0, 320, 240);
      ctx.drawImage(photo, 120, 0, 230, 230, 0, 40, 170, 170);
      ctx.drawImage(photo, 120, 0, 230, 230, 200, 75, 100, 100);
      const two = await m.countFaces(ctx.getImageData(0, 0, 320, 240));
      ctx.fillRect(0, 0, 320, 240);
      const none = await m.countFaces(ctx.getImageData(0, 0, 320, 240));
      return { camera, two, none };
    });
    assert.equal(counts, { camera: 1, two: 2, none: 0 });
  } finally {
    await page.close();
  }
});

test("demo scene: the marker follows a guided routine's strokes and is located", async () => {
  const page = await newHarnessPage(browser, { viewport: { width: 1100, height: 620 } });
  try {
    await page.goto(`${kiosk.url}?camera=demo`);
    await passAttract(page);
    await page.waitForFunction(
      () => (globalThis as { __mirror?: { results: unknown[] } }).__mirror?.results.length,
      null,
      {
        timeout: 60_000,
      },
    );
    kiosk.runner.submit({ type: "start", routine: "express-lift", comfort: 6, screening: {} }, "operator");
    await page.waitForFunction(
      () => {
        const r =
          (globalThis as unknown as { __mirror: { results: { points: unknown[] }[] } }).__mirror.results;
        return r.slice(-20).filter((x) => x.points.length === 1).length >= 15;
      },
      null,
      { timeout: 30_000, polling: 250 },
    );
    const source = await page.evaluate(() =>
      (globalThis as unknown as { __mirror: { source: string } }).__mirror.source
    );
    assert.is(source, "demo");
    // The engine locates the demo probe in the first step's zone (polled: a loaded machine may drop frames).
    const deadline = Date.now() + 20_000;
    while (kiosk.runner.lastFrame?.zone !== "forehead" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const frame = kiosk.runner.lastFrame!;
    assert.is(frame.guidance?.targetZone, "forehead");
    assert.is(frame.zone, "forehead", JSON.stringify(frame));
    // The README's picture; only rewritten on request so a test run leaves the checkout clean.
    const shot = Deno.env.get("UPDATE_SCREENSHOT")
      ? `${ROOT}docs/mirror.png`
      : `${await Deno.makeTempDir()}/mirror.png`;
    await page.locator('[data-testid="mirror-view"]').screenshot({ path: shot });
    assert.ok((await Deno.stat(shot)).size > 10_000);
  } finally {
    await page.close();
  }
});

// A bad-input case: `prepare` breaks something before the page loads; the message on screen must match
// `message` and say output stays off, the page must report itself idle, and no probe may reach the engine.
async function badInputCase(prepare: (page: Page) => Promise<unknown>, message: RegExp): Promise<void> {
  const page = await newHarnessPage(browser, { viewport: { width: 1100, height: 620 } });
  let probes = 0;
  const detach = kiosk.runner.observe({
    event: (e, { source }) => void (e.type === "probe" && source === "page" && probes++),
  });
  const foreign = watchForeignRequests(page);
  try {
    await prepare(page);
    await page.goto(`${kiosk.url}?${Deno.env.get("MIRROR_PARAMS") ?? ""}`);
    await passAttract(page);
    const prompt = page.getByText(message);
    await prompt.waitFor({ timeout: 30_000 });
    assert.match((await prompt.textContent())!, /Output stays off/);
    // The page is alive and says it tracks nothing; by then a running loop would have sent probes.
    await pageReportsIdle();
    assert.is(probes, 0);
    assert.equal(foreign, [], `requests to other origins: ${foreign.join(", ")}`);
  } finally {
    detach();
    await page.close();
  }
}

test("a corrupt weight file stops the mirror with a message naming it, and nothing reaches the engine", () =>
  badInputCase(
    (page) =>
      page.route("**/models/facemesh/facemesh.bin", async (route) => {
        // The page and its crowd worker both load the file; one may still be loading when the case ends
        // and the page closes, which ends the request: nothing to do then.
        try {
          const body = Buffer.from(await (await route.fetch()).body());
          body[1000] = body[1000]! ^ 0xff;
          await route.fulfill({ status: 200, body, contentType: "application/octet-stream" });
        } catch (err) {
          if (!page.isClosed()) throw err;
        }
      }),
    /facemesh\/facemesh\.bin" is corrupt/,
  ));

test("a denied camera is explained on screen and nothing reaches the engine", () =>
  badInputCase(
    (page) =>
      page.addInitScript(() => {
        navigator.mediaDevices.getUserMedia = () =>
          Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
      }),
    /Camera access was denied/,
  ));

test.run();
