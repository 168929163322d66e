/** Benchmark: raw estimateFaces throughput vs the mirror's full pipeline, and capture → engine-frame latency. */
// Usage: deno run -A bench/mirror_pipeline.ts [seconds=24] [modes, comma-separated page params, e.g. worker=0,worker=1]   — one headless Chromium run on the rendered test
// video (fake camera, 640×480 @ 30 fps) against the real kiosk. Prints figures; no assertions.
import { startKiosk } from "../kiosk/mod.ts";
import { launchChromium, stopBundler } from "../tools/mirror/browser.ts";
import { e2eVideo } from "../tools/mirror/e2e_video.ts";

interface Result {
  capturedAt: number;
  sentAt: number;
  tag: number | null;
  meshMs: number;
  restMs: number;
  overlayMs: number;
  workMs: number;
}
interface Hook {
  results: Result[];
  timeOrigin: number;
  backend: string;
  rawFps(ms: number): Promise<number>;
}

const seconds = Number(Deno.args[0] ?? 24);
const modes = Deno.args[1] ? Deno.args[1].split(",") : ["worker=0", "worker=1"];
const { file, truth } = await e2eVideo();
const dataDir = await Deno.makeTempDir({ prefix: "glidepath-bench-" });
const kiosk = await startKiosk({ port: 0, demo: false, dataDir, log: () => {}, preferHardware: false });
const wall = () => performance.timeOrigin + performance.now();
const frames: { at: number; zone: string | null; limit: string }[] = [];
kiosk.runner.observe({ frame: (f) => void frames.push({ at: wall(), zone: f.zone, limit: f.limit }) });
const browser = await launchChromium([
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  `--use-file-for-fake-video-capture=${file}`,
]);
kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} }, "operator");

// One page per mode: the page's own thread (default) and the vision worker (?worker=1).
async function measure(mode: string) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 620 } });
  const mirror = <T>(fn: (m: Hook) => T) =>
    page.evaluate(`(${fn.toString()})(globalThis.__mirror)`) as Promise<Awaited<T>>;
  try {
    await page.goto(`${kiosk.url}?test=1&${mode}`);
    await page.waitForFunction(() =>
      (globalThis as { __mirror?: { results: unknown[] } }).__mirror?.results.length
    );
    await new Promise((r) => setTimeout(r, 3000)); // warm-up: JIT, tracking mode, first crowd check

    // Alternate raw and pipeline windows so background load hits both alike.
    const raw: number[] = [],
      pipe: { fps: number; work: number[]; mesh: number[]; rest: number[]; overlay: number[] }[] = [];
    const rounds = Math.max(1, Math.round(seconds / 8));
    for (let i = 0; i < rounds; i++) {
      raw.push(await mirror((m) => m.rawFps(3000)));
      const n0 = await mirror((m) => m.results.length);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 5000));
      const rs = await mirror((m) => m.results);
      const window = rs.slice(n0);
      pipe.push({
        fps: (window.length * 1000) / (performance.now() - t0),
        work: window.map((r) => r.workMs),
        mesh: window.map((r) => r.meshMs),
        rest: window.map((r) => r.restMs),
        overlay: window.map((r) => r.overlayMs),
      });
    }
    const hook = await mirror((m) => ({ results: m.results, timeOrigin: m.timeOrigin, backend: m.backend }));

    // Latency at each zone change of the path: capture of the first frame showing it → first engine frame with it.
    const zoneAt = (tag: number) => truth.frames[tag]?.zone ?? null;
    const latencies: { ms: number; toSend: number; from: string; to: string }[] = [];
    const rs = hook.results.filter((r) => r.tag !== null);
    for (let i = 1; i < rs.length; i++) {
      const a = zoneAt(rs[i - 1]!.tag!), b = zoneAt(rs[i]!.tag!);
      // Only changes between consecutive results (not across a raw-fps window, when the pipeline was paused).
      const gapMs = rs[i]!.sentAt - rs[i - 1]!.sentAt;
      if (a === b || gapMs > 500) continue;
      const captured = hook.timeOrigin + rs[i]!.capturedAt;
      const f = frames.find((x) =>
        x.at >= captured && (b === null ? x.limit === "not-located" : x.zone === b)
      );
      if (!f) continue;
      latencies.push({
        ms: f.at - captured,
        toSend: rs[i]!.sentAt - rs[i]!.capturedAt,
        from: a ?? "none",
        to: b ?? "none",
      });
    }

    const all = pipe.flatMap((p) => p.work).sort((x, y) => x - y);
    const mesh = pipe.flatMap((p) => p.mesh).sort((x, y) => x - y);
    const rest = pipe.flatMap((p) => p.rest).sort((x, y) => x - y);
    const over = pipe.flatMap((p) => p.overlay).sort((x, y) => x - y);
    const pct = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const rawFps = mean(raw);
    const throughput = 1000 / mean(all);
    const delivered = mean(pipe.map((p) => p.fps));
    const lat = latencies.map((l) => l.ms).sort((x, y) => x - y);
    console.log(
      `mirror pipeline bench [${mode}] — backend ${hook.backend}, 640×480 fake camera @ ${truth.fps} fps, ${Deno.build.os}`,
    );
    console.log(
      `  raw estimateFaces (back-to-back, tracking mode): ${rawFps.toFixed(1)} fps  (rounds: ${
        raw.map((x) => x.toFixed(1)).join(", ")
      })`,
    );
    console.log(
      `  full pipeline per frame (capture+mesh+locator+UV+smoothing+send+overlay): mean ${
        mean(all).toFixed(1)
      } ms, p50 ${pct(all, 0.5).toFixed(1)}, p95 ${pct(all, 0.95).toFixed(1)}`,
    );
    console.log(
      `  p50 parts: mesh ${pct(mesh, 0.5).toFixed(1)} ms, locator+UV+smoothing ${
        pct(rest, 0.5).toFixed(1)
      } ms, ` +
        `overlay+prompts ${pct(over, 0.5).toFixed(1)} ms, capture+send ≈ ${
          (pct(all, 0.5) - pct(mesh, 0.5) - pct(rest, 0.5) - pct(over, 0.5)).toFixed(1)
        } ms`,
    );
    console.log(
      `  full pipeline throughput: ${throughput.toFixed(1)} fps = ${
        (throughput / rawFps).toFixed(2)
      } × raw (target ≥ 0.85)`,
    );
    console.log(
      `  delivered observations: ${delivered.toFixed(1)} fps (capped by the ${truth.fps} fps camera)`,
    );
    console.log(
      `  capture → engine frame latency over ${lat.length} zone changes: p50 ${
        pct(lat, 0.5).toFixed(1)
      } ms, max ${(lat.at(-1) ?? NaN).toFixed(1)} ms ` +
        `(target ≤ ${(1000 / truth.fps + 20).toFixed(0)} ms = one camera frame + 20 ms); capture → sent p50 ${
          pct(latencies.map((l) => l.toSend).sort((x, y) => x - y), 0.5).toFixed(1)
        } ms`,
    );
    for (const l of latencies.slice(0, 8)) console.log(`    ${l.from} → ${l.to}: ${l.ms.toFixed(1)} ms`);
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
