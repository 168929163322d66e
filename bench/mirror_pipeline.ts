/** Benchmark: raw estimateFaces vs the mirror's full pipeline on the same live video, and capture → engine-frame latency. */
// Usage: deno run -A bench/mirror_pipeline.ts [seconds=30] [modes, comma-separated page params, e.g.
// frames=stream,frames=video; "coi=1" serves the page cross-origin isolated]
// The page is the harness build of the kiosk page (tools/mirror/harness_route.ts: window.__mirror).
// One headless Chromium run on the rendered test video (fake camera, 640×480 @ 30 fps) against the real kiosk
// (simulated device, routine "free"). Prints figures; no assertions. Method: docs/mirror.md "Benchmarks".
import { startKiosk } from "../kiosk/mod.ts";
import { launchChromium, stopBundler } from "../tools/mirror/browser.ts";
import { e2eVideo } from "../tools/mirror/e2e_video.ts";
import { newHarnessPage } from "../tools/mirror/harness_route.ts";
import { passAttract } from "../test/kiosk/_page_kiosk.ts";

interface Result {
  capturedAt: number;
  sentAt: number;
  tag: number | null;
  paced: boolean;
  meshMs: number;
  restMs: number;
  overlayMs: number;
  captureMs: number | null;
  sendMs: number | null;
  waitMs: number;
  workMs: number;
  captureMethod: string | null;
}
interface Hook {
  results: Result[];
  clock(): { offsetMs: number; timestampsMs: number[]; captureTimes: number[] } | null;
  timeOrigin: number;
  backend: string;
  rawFps(ms: number, input?: "mesh" | "element"): Promise<number>;
  pipelineFps(ms: number): Promise<number>;
}

const seconds = Number(Deno.args[0] ?? 30);
const modes = Deno.args[1] ? Deno.args[1].split(",") : ["frames=stream"];
const { file, truth } = await e2eVideo();
const dataDir = await Deno.makeTempDir({ prefix: "glidepath-bench-" });
// The kiosk's own log lines about the device (a fault shows in the figures as device-fault frames).
const deviceLog: string[] = [];
const kiosk = await startKiosk({
  port: 0,
  demo: false,
  dataDir,
  log: (line: string) => void (/fault|disconnect/i.test(line) && deviceLog.push(line)),
  device: "simulated",
});
const wall = () => performance.timeOrigin + performance.now();
const frames: { at: number; zone: string | null; limit: string; currentUa: number }[] = [];
kiosk.runner.observe({
  frame: (f) => void frames.push({ at: wall(), zone: f.zone, limit: f.limit, currentUa: f.currentUa }),
});
const browser = await launchChromium([
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  `--use-file-for-fake-video-capture=${file}`,
  // Only for the coi=1 mode: a page whose headers come through page.route counts as non-local.
  "--disable-features=LocalNetworkAccessChecks",
]);

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f1 = (x: number) => x.toFixed(1);

async function measure(mode: string) {
  const page = await newHarnessPage(browser, { viewport: { width: 1100, height: 620 } });
  const mirror = <T>(fn: (m: Hook) => T) =>
    page.evaluate(`(${fn.toString()})(globalThis.__mirror)`) as Promise<Awaited<T>>;
  if (mode.includes("coi=1")) {
    // What the kiosk would serve for cross-origin isolation (SharedArrayBuffer → tfjs wasm threads).
    await page.route("**/*", async (route) => {
      // The harness build of /app.js (registered first, so asked after this) needs no headers of its own.
      if (new URL(route.request().url()).pathname === "/app.js") return route.fallback();
      const response = await route.fetch();
      await route.fulfill({
        response,
        headers: {
          ...response.headers(),
          "cross-origin-opener-policy": "same-origin",
          "cross-origin-embedder-policy": "require-corp",
        },
      });
    });
  }
  try {
    await page.goto(`${kiosk.url}?${mode}`);
    // The page opens on the attract screen (issue 9): on as a guest to the mirror, where the camera starts.
    await passAttract(page);
    await page.waitForFunction(() =>
      (globalThis as { __mirror?: { results: unknown[] } }).__mirror?.results.length
    );
    // A fresh session per mode, started once this page is connected: a page that leaves mid-session stops
    // the session with an estop that only an operator reset lifts (a new start does not), so the previous
    // mode's page has stopped the last one.
    kiosk.runner.submit({ type: "reset" }, "operator");
    kiosk.runner.submit({ type: "end" }, "operator");
    kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} }, "operator");
    kiosk.runner.submit({ type: "contact", on: true, impedanceOhm: 4000 }, "operator");
    await new Promise((r) => setTimeout(r, 3000)); // warm-up: JIT, tracking mode, first crowd check

    // Rounds of windows, alternated so background load hits all alike: raw estimateFaces back to back (on
    // the mesh's own input, then on the video element), the whole pipeline back to back, raw again in the
    // reverse order, then the pipeline paced by the camera. The machine's speed drifts by a quarter within
    // a minute, so each round's ratio takes the pipeline against the mean of the raw windows around it, and
    // the figure is the median of the rounds' ratios.
    const raw: number[] = [], rawElement: number[] = [], b2b: number[] = [], delivered: number[] = [];
    const ratios: number[] = [], ratiosElement: number[] = [];
    const rounds = Math.max(1, Math.round(seconds / 14));
    for (let i = 0; i < rounds; i++) {
      const before = await mirror((m) => m.rawFps(1200));
      const beforeElement = await mirror((m) => m.rawFps(1200, "element"));
      const pipeline = await mirror((m) => m.pipelineFps(1500));
      const afterElement = await mirror((m) => m.rawFps(1200, "element"));
      const after = await mirror((m) => m.rawFps(1200));
      raw.push(before, after);
      rawElement.push(beforeElement, afterElement);
      b2b.push(pipeline);
      ratios.push(pipeline / ((before + after) / 2));
      ratiosElement.push(pipeline / ((beforeElement + afterElement) / 2));
      const n0 = await mirror((m) => m.results.length);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 8000));
      const n1 = await mirror((m) => m.results.length);
      delivered.push(((n1 - n0) * 1000) / (performance.now() - t0));
    }
    const hook = await mirror((m) => ({
      results: m.results,
      timeOrigin: m.timeOrigin,
      backend: m.backend,
      clock: m.clock(),
    }));
    // Frames read as they arrive carry the camera's own timestamp; the page maps it to its clock with an
    // offset it learns (camera_frames.ts). The video element's requestVideoFrameCallback reports the same
    // frames' capture times on the page clock, so the true offset is the one difference (timestamp −
    // capture time) that nearly every pair shares. Latencies below are corrected by (true − used).
    let correction = 0;
    if (hook.clock && hook.clock.captureTimes.length > 4) {
      const votes = new Map<number, number>();
      for (const ts of hook.clock.timestampsMs) {
        for (const c of hook.clock.captureTimes) {
          const key = Math.round((ts - c) * 10) / 10;
          votes.set(key, (votes.get(key) ?? 0) + 1);
        }
      }
      const [trueOffset] = [...votes].sort((a, b) => b[1] - a[1])[0]!;
      correction = trueOffset - hook.clock.offsetMs;
      for (const r of hook.results) {
        if (r.paced) (r.capturedAt -= correction, r.waitMs += correction);
      }
    }
    const wasm = await page.evaluate(() => ({
      isolated: globalThis.crossOriginIsolated,
      threads: performance.getEntriesByType("resource").some((e) => e.name.endsWith("threaded-simd.wasm")),
      simd: performance.getEntriesByType("resource").some((e) => /-simd\.wasm$/.test(e.name)),
    }));
    const paced = hook.results.filter((r) => r.paced).slice(30); // after warm-up
    const backToBack = hook.results.filter((r) => !r.paced);
    const parts = (rs: Result[]) => {
      const work = pct(rs.map((r) => r.workMs), 0.5);
      const capture = pct(rs.map((r) => r.captureMs ?? 0), 0.5);
      const mesh = pct(rs.map((r) => r.meshMs), 0.5);
      const rest = pct(rs.map((r) => r.restMs), 0.5);
      const send = pct(rs.map((r) => r.sendMs ?? 0), 0.5);
      const overlay = pct(rs.map((r) => r.overlayMs), 0.5);
      return `p50 ${f1(work)} ms (p95 ${f1(pct(rs.map((r) => r.workMs), 0.95))}): capture ${
        f1(capture)
      }, mesh ${f1(mesh)}, locator+UV+smoothing ${f1(rest)}, send ${f1(send)}, overlay ${
        f1(overlay)
      }, other ${f1(work - capture - mesh - rest - send - overlay)}`;
    };

    // Latency: the first frame showing a zone change of the path (by its tag) → the first engine frame that
    // reacts (the new zone; for a keep-out entry a 0 µA keep-out frame; for "none" a not-located frame).
    const zoneAt = (tag: number) => truth.frames[tag]?.zone ?? null;
    const changes: {
      ms: number;
      toSend: number;
      wait: number;
      from: string;
      to: string;
      keepOut: boolean;
    }[] = [];
    const rs = hook.results.filter((r) => r.tag !== null && r.paced);
    for (let i = 1; i < rs.length; i++) {
      const a = zoneAt(rs[i - 1]!.tag!), b = zoneAt(rs[i]!.tag!);
      // Only changes between consecutive camera-paced results (not across a back-to-back window).
      if (a === b || rs[i]!.sentAt - rs[i - 1]!.sentAt > 200) continue;
      const captured = hook.timeOrigin + rs[i]!.capturedAt;
      const keepOut = b?.startsWith("eye") ?? false;
      const f = frames.find((x) =>
        x.at >= captured &&
        (keepOut
          ? x.limit.startsWith("keep-out") && x.currentUa === 0
          : b === null
          ? x.limit === "not-located"
          : x.zone === b)
      );
      if (!f) continue;
      changes.push({
        ms: f.at - captured,
        toSend: rs[i]!.sentAt - rs[i]!.capturedAt,
        wait: rs[i]!.waitMs,
        from: a ?? "none",
        to: b ?? "none",
        keepOut,
      });
    }
    const general = changes.filter((c) => !c.keepOut), keep = changes.filter((c) => c.keepOut);
    const since = hook.timeOrigin + (hook.results[0]?.capturedAt ?? 0);
    const limits = new Map<string, number>();
    for (const f of frames) if (f.at >= since) limits.set(f.limit, (limits.get(f.limit) ?? 0) + 1);
    const rawFps = mean(raw), b2bFps = mean(b2b);
    const methods = [...new Set(paced.map((r) => r.captureMethod))].join("/");
    console.log(
      `mirror pipeline bench [${mode}] — backend ${hook.backend} (simd ${wasm.simd}, threads ${wasm.threads}, ` +
        `cross-origin isolated ${wasm.isolated}), capture ${methods}, 640×480 fake camera @ ${truth.fps} fps, ${rounds} rounds`,
    );
    console.log(
      hook.clock
        ? `  capture times: camera frame timestamps mapped to the page clock; checked against the video's own capture times, the mapping was ${
          f1(correction)
        } ms late (added back below)`
        : `  capture times: requestVideoFrameCallback's captureTime`,
    );
    console.log(
      `  load average ${
        Deno.loadavg().map((x) => x.toFixed(1)).join(" ")
      } (2 cores; other work skews it all)`,
    );
    console.log(`  back to back on the live video (neither waits for the camera):`);
    const rawElementFps = mean(rawElement);
    console.log(
      `    raw estimateFaces on the video element (the library's plain use): ${f1(rawElementFps)} fps = ${
        f1(1000 / rawElementFps)
      } ms/frame  (windows ${rawElement.map(f1).join(", ")})`,
    );
    console.log(
      `    raw estimateFaces on the mesh's own input (the 320×240 sample, taking it not timed): ${
        f1(rawFps)
      } fps = ${f1(1000 / rawFps)} ms/frame  (windows ${raw.map(f1).join(", ")})`,
    );
    console.log(
      `    whole pipeline: ${f1(b2bFps)} fps  (rounds ${b2b.map(f1).join(", ")}); ${parts(backToBack)}`,
    );
    const ratioLine = (label: string, rs: number[], rawMean: number) =>
      console.log(
        `      = ${median(rs).toFixed(2)} × raw ${label}, median of the rounds (${
          rs.map((r) => r.toFixed(2)).join(", ")
        }; ratio of the means ${(b2bFps / rawMean).toFixed(2)}) (target ≥ 0.85)`,
      );
    ratioLine("on the video element", ratiosElement, rawElementFps);
    ratioLine("on the mesh's own input", ratios, rawFps);
    console.log(`  paced by the ${truth.fps} fps camera (what the kiosk runs):`);
    console.log(
      `    delivered observations ${f1(mean(delivered))} fps; per frame ${parts(paced)}; per-frame cost ${
        (1000 / rawFps / pct(paced.map((r) => r.workMs), 0.5)).toFixed(2)
      } × raw`,
    );
    const line = (label: string, cs: typeof changes) =>
      console.log(
        cs.length === 0
          ? `  capture → engine frame, ${label}: none seen (too few camera-paced frames under this load)`
          : `  capture → engine frame, ${label} (${cs.length}): p50 ${
            f1(pct(cs.map((c) => c.ms), 0.5))
          } ms, max ${f1(Math.max(...cs.map((c) => c.ms)))} ms (target ≤ ${
            (1000 / truth.fps + 20).toFixed(0)
          } ms); capture → sent p50 ${
            f1(pct(cs.map((c) => c.toSend), 0.5))
          } ms, of which waiting to start p50 ${f1(pct(cs.map((c) => c.wait), 0.5))} ms`,
      );
    console.log(
      `  engine frames by limit: ${
        [...limits].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")
      }`,
    );
    if (deviceLog.length > 0) console.log(`  device log: ${deviceLog.splice(0).slice(0, 5).join(" | ")}`);
    line("zone changes", general);
    line("keep-out entries", keep);
    for (const c of changes) {
      console.log(`    ${c.from} → ${c.to}: ${f1(c.ms)} ms (sent after ${f1(c.toSend)})`);
    }
  } finally {
    await page.close();
  }
}

try {
  for (const mode of modes) await measure(mode);
} finally {
  await browser.close();
  await kiosk.shutdown("bench end");
  await stopBundler();
  await Deno.remove(dataDir, { recursive: true });
}
