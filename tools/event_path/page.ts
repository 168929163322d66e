/**
 * The page half of the hop count: one camera frame in the real kiosk page (headless Chromium, the fake camera
 * playing the e2e video) from its arrival to the WebSocket send of its observation, by V8 call counts
 * (docs/decisions.md "Hops from camera to device").
 */
import type { CDPSession, Page } from "playwright-core";
import { startKiosk } from "../../kiosk/mod.ts";
import { bundle, launchChromium, stopBundler } from "../mirror/browser.ts";
import { e2eVideo } from "../mirror/e2e_video.ts";
import { type Hop, isProjectFile, ROOT } from "./hops.ts";

/** The page's bundle, not minified, so every module keeps esbuild's `// path` line where its code starts. */
const pageBundle = () => bundle(`${ROOT}tools/event_path/page_entry.ts`);

/** Maps an offset in the bundle to the project file its code came from. */
function moduleMap(script: string): (offset: number) => string {
  const starts: { at: number; file: string }[] = [];
  for (const m of script.matchAll(/^\/\/ (\S+\.[jt]sx?)$/gm)) starts.push({ at: m.index!, file: m[1]! });
  return (offset) => {
    let file = "";
    for (const s of starts) {
      if (s.at > offset) break;
      file = s.file;
    }
    return file;
  };
}

/**
 * Installed before the page's own code: while `__hopsQuiet` is set, incoming socket messages and animation
 * frames wait (the engine's frames and the chart redraw are not the camera frame's work), and while
 * `__hopsArmed` is set the first probe observation the page sends stops the page in the debugger, where the
 * count is read. Every message sent meanwhile is listed, so a window that also sent a tracking report or a
 * clock ping is not used.
 */
function quietPage() {
  const g = globalThis as unknown as Record<string, unknown> & { __hopsHeld: (() => void)[] };
  g.__hopsQuiet = false;
  g.__hopsArmed = false;
  g.__hopsHeld = [];
  g.__hopsSent = [];
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data: Parameters<WebSocket["send"]>[0]) {
    if (g.__hopsArmed && typeof data === "string") {
      const message = JSON.parse(data);
      (g.__hopsSent as string[]).push(message.type);
      if (message.type === "probe") {
        g.__hopsArmed = false;
        g.__hopsObservation = message;
        // deno-lint-ignore no-debugger
        debugger;
      }
    }
    return send.call(this, data);
  };
  const onmessage = Object.getOwnPropertyDescriptor(WebSocket.prototype, "onmessage")!;
  Object.defineProperty(WebSocket.prototype, "onmessage", {
    get() {
      return onmessage.get!.call(this);
    },
    set(fn: (e: MessageEvent) => void) {
      onmessage.set!.call(this, function (this: WebSocket, e: MessageEvent) {
        if (g.__hopsQuiet) g.__hopsHeld.push(() => fn.call(this, e));
        else fn.call(this, e);
      });
    },
  });
  const raf = globalThis.requestAnimationFrame;
  globalThis.requestAnimationFrame = (cb) =>
    raf((t) => g.__hopsQuiet ? g.__hopsHeld.push(() => globalThis.requestAnimationFrame(cb)) : cb(t));
}

interface Coverage {
  result: {
    url: string;
    functions: { functionName: string; ranges: { startOffset: number; count: number }[] }[];
  }[];
}

/** The page's once-a-second face count (its client; the worker is another script). */
const FACE_COUNT = /^kiosk\/ui\/vision\/crowd_client\.ts$/;

/** One window: the loop paused and the page quiet, counters cleared, then the next camera frame to its send. */
async function oneFrame(
  page: Page,
  cdp: CDPSession,
): Promise<{ coverage: Coverage; sent: string[]; points: number }> {
  // One located frame of the running loop first, uncounted: the face count the pipeline makes once a second (of
  // capture time) catches up there when windows come more than a second apart (a loaded machine), instead of in
  // every counted frame. A typical frame is what is counted; the two-of-three rule relies on it.
  const before = await page.evaluate(() =>
    (globalThis as unknown as { __hops: { probes: number } }).__hops.probes
  );
  await page.waitForFunction(
    (n) => (globalThis as unknown as { __hops: { probes: number } }).__hops.probes > n,
    before,
    { timeout: 60_000 },
  );
  await page.evaluate(async () => {
    const h =
      (globalThis as unknown as { __hops: { session: { loop: { pause(): void; idle(): Promise<void> } } } })
        .__hops;
    h.session.loop.pause();
    await h.session.loop.idle();
    (globalThis as unknown as { __hopsQuiet: boolean }).__hopsQuiet = true;
  });
  await new Promise((r) => setTimeout(r, 50));
  let paused!: (coverage: Coverage) => void;
  const reached = new Promise<Coverage>((resolve) => (paused = resolve));
  const onPaused = async () => {
    const coverage = await cdp.send("Profiler.takePreciseCoverage") as unknown as Coverage;
    await cdp.send("Debugger.resume");
    paused(coverage);
  };
  cdp.once("Debugger.paused", onPaused);
  await cdp.send("Profiler.takePreciseCoverage"); // clears the counters
  // The frame waiting since the pause is dropped: the next one is counted from its arrival.
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      __hopsArmed: boolean;
      __hopsSent: string[];
      __hops: {
        session: { loop: { resume(): void }; cameraFrames: { take(): { frame: VideoFrame } | null } | null };
      };
    };
    g.__hopsSent = [];
    g.__hopsArmed = true;
    g.__hops.session.cameraFrames?.take()?.frame.close();
    g.__hops.session.loop.resume();
  });
  const coverage = await reached;
  const { sent, points } = await page.evaluate(() => {
    const g = globalThis as unknown as {
      __hopsQuiet: boolean;
      __hopsHeld: (() => void)[];
      __hopsSent: string[];
      __hopsObservation: { points: unknown[] };
    };
    g.__hopsQuiet = false;
    for (const run of g.__hopsHeld.splice(0)) run();
    return { sent: g.__hopsSent, points: g.__hopsObservation.points.length };
  });
  return { coverage, sent, points };
}

/**
 * The page's hops: the project functions that ran for one camera frame, from its arrival to the send of its
 * observation, in at least two of `windows` frames (default 3) that each located the probe and sent nothing
 * else; `calls` is the median over those frames.
 */
export async function countPageHops(options: { windows?: number } = {}): Promise<Hop[]> {
  const windows = options.windows ?? 3;
  const video = await e2eVideo();
  const script = await pageBundle();
  await stopBundler();
  const fileAt = moduleMap(script);
  const dataDir = await Deno.makeTempDir({ prefix: "gp-hops-page-" });
  const kiosk = await startKiosk({
    port: 0,
    dataDir,
    device: "simulated",
    demo: false,
    deviceHost: { telemetryTimeoutMs: 1000, staleReconnectMs: 3000 },
    log: () => {},
  });
  const browser = await launchChromium([
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${video.file}`,
  ]);
  try {
    const page = await browser.newPage();
    await page.route(
      (url) => url.pathname === "/app.js",
      (route) => route.fulfill({ body: script, contentType: "text/javascript; charset=utf-8" }),
    );
    await page.addInitScript(quietPage);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
    await cdp.send("Debugger.enable");
    await page.goto(kiosk.url);
    // The page opens on the attract screen, then "Who's here?": on as a guest to the mirror (the camera starts there).
    await page.click("[data-testid=attract-go]");
    await page.click("[data-testid=profile-guest]");
    await page.waitForFunction(
      () => (globalThis as { __hops?: { probes: number } }).__hops?.probes! >= 5,
      null,
      {
        timeout: 120_000,
      },
    );
    const seen = new Map<string, { file: string; name: string; counts: number[] }>();
    let used = 0;
    for (let attempt = 0; used < windows; attempt++) {
      if (attempt >= windows * 4) throw new Error(`only ${used} of ${windows} frames could be counted`);
      const { coverage, sent, points } = await oneFrame(page, cdp);
      if (points === 0 || sent.length !== 1) continue;
      const ran = coverage.result.filter((script) =>
        new URL(script.url || "about:blank").pathname.endsWith("/app.js")
      ).flatMap((script) => script.functions.filter((f) => f.ranges[0]!.count > 0));
      // A window the once-a-second face count fell into (its request or the worker's answer) is not a typical
      // frame either, like one that sent a tracking report: the count leaves it out (it did by the two-of-three
      // rule alone until windows came a second apart on a loaded machine).
      if (ran.some((f) => FACE_COUNT.test(fileAt(f.ranges[0]!.startOffset)))) continue;
      used++;
      for (const script of coverage.result) {
        if (!new URL(script.url || "about:blank").pathname.endsWith("/app.js")) continue;
        for (const f of script.functions) {
          const r = f.ranges[0]!;
          const file = fileAt(r.startOffset);
          if (r.count === 0 || !isProjectFile(file)) continue;
          const key = `${file}:${r.startOffset}`;
          const entry = seen.get(key) ??
            { file, name: f.functionName || `(anonymous @${r.startOffset})`, counts: [] };
          entry.counts.push(r.count);
          seen.set(key, entry);
        }
      }
    }
    return [...seen.values()]
      .filter((e) => e.counts.length * 2 > windows)
      .map((e) => ({
        file: e.file,
        name: e.name,
        calls: e.counts.sort((a, b) => a - b)[e.counts.length >> 1]!,
      }));
  } finally {
    await browser.close();
    await kiosk.shutdown();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}
