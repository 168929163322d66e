/** Renders the mirror's test video: the face photo with a green probe marker on a known UV path, as I420 y4m. */
// Usage: deno run -A tools/render_y4m.ts [OUT.y4m]   (default /tmp/glidepath-e2e.y4m; writes OUT.json ground truth)
import { createFaceMapper } from "../core/geometry/mod.ts";
import { DEMO_SIZE } from "../kiosk/ui/vision/demo_scene.ts";
import { bundle, launchChromium, ROOT, serveToolPage, stopBundler } from "./mirror/browser.ts";
import { E2E_PATH, pathAt, pathDuration, type PathSegment } from "./mirror/e2e_path.ts";
import { y4mHeader } from "./mirror/y4m.ts";

/** Ground truth written next to the video. */
export interface RenderTruth {
  fps: number;
  width: number;
  height: number;
  /** Keypoints of the face in the scene (marker-free frame). */
  keypoints: [number, number][];
  /** Per frame (index = frame tag): marker UV and pixels, and the path's zone; null = no marker. */
  frames: ({ u: number; v: number; x: number; y: number; zone: string | null } | null)[];
}

/** Options for renderY4m. */
export interface RenderOptions {
  fps?: number;
  path?: readonly PathSegment[];
  /** Draw the frame-number tag (the page reads it in test mode). Default true. */
  tag?: boolean;
}

/** Renders `out` (y4m) and `out + ".json"` (ground truth). Starts and stops its own Chromium. */
export async function renderY4m(out: string, options: RenderOptions = {}): Promise<RenderTruth> {
  const fps = options.fps ?? 30;
  const path = options.path ?? E2E_PATH;
  const { width, height } = DEMO_SIZE;
  const server = serveToolPage(await bundle(`${ROOT}tools/mirror/harness_page.ts`));
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => console.error("page error:", e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => document.title === "harness ready");
    const faces = await page.evaluate(() =>
      (globalThis as unknown as { harness: { sceneKeypoints(): Promise<[number, number][][]> } }).harness
        .sceneKeypoints()
    );
    if (faces.length !== 1) {
      throw new Error(`The demo scene should show one face, the face mesh found ${faces.length}`);
    }
    const keypoints = faces[0]!;
    const faceUv = JSON.parse(await Deno.readTextFile(`${ROOT}models/face_uv.json`));
    const map = createFaceMapper(faceUv).frame(keypoints.map(([x, y]) => ({ x, y })));
    const count = Math.round(pathDuration(path) * fps);
    const frames: RenderTruth["frames"] = [];
    const file = await Deno.open(out, { write: true, create: true, truncate: true });
    try {
      await file.write(new TextEncoder().encode(y4mHeader(width, height, fps)));
      const batch = 15, frameBytes = (width * height * 3) / 2;
      const frameHeader = new TextEncoder().encode("FRAME\n");
      for (let first = 0; first < count; first += batch) {
        const specs = [];
        for (let n = first; n < Math.min(count, first + batch); n++) {
          const at = pathAt(path, n / fps);
          const px = at ? map.toImage(at.point.u, at.point.v) : null;
          frames.push(at && px ? { ...at.point, x: px.x, y: px.y, zone: at.zone } : null);
          specs.push({ markers: px ? [{ x: px.x, y: px.y }] : [], tag: options.tag === false ? null : n });
        }
        const b64 = await page.evaluate(
          (s) =>
            (globalThis as unknown as { harness: { renderFrames(s: unknown): Promise<string> } }).harness
              .renderFrames(s),
          specs,
        );
        const bytes = (Uint8Array as unknown as { fromBase64(s: string): Uint8Array }).fromBase64(b64);
        for (let i = 0; i < specs.length; i++) {
          await file.write(frameHeader);
          await file.write(bytes.subarray(i * frameBytes, (i + 1) * frameBytes));
        }
      }
    } finally {
      file.close();
    }
    const truth: RenderTruth = { fps, width, height, keypoints, frames };
    await Deno.writeTextFile(`${out}.json`, JSON.stringify(truth));
    return truth;
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.main) {
  const out = Deno.args[0] ?? "/tmp/glidepath-e2e.y4m";
  const started = performance.now();
  const truth = await renderY4m(out);
  await stopBundler();
  console.log(
    `${out}: ${truth.frames.length} frames ${truth.width}×${truth.height} @ ${truth.fps} fps ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s); ground truth in ${out}.json`,
  );
}
