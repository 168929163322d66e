/** The page half of the hop count (tools/event_path/page.ts): the real page in headless Chromium (launchChromium). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { countPageHops } from "../../tools/event_path/page.ts";
import { modulesOf } from "../../tools/event_path/hops.ts";
import { countPath } from "../../tools/event_path_hops.ts";

test("the page half runs one camera frame from its arrival to the socket send, and nothing else", async () => {
  const hops = await countPageHops();
  const modules = modulesOf(hops);
  for (
    const file of [
      "kiosk/ui/vision/camera_frames.ts",
      "kiosk/ui/vision/capture.ts",
      "kiosk/ui/vision/pipeline.ts",
      "plugins/locator-marker/marker_locator.ts",
      "core/geometry/face_mapper.ts",
      "core/geometry/uv_smoother.ts",
      "kiosk/ui/connection.ts",
    ]
  ) assert.ok(modules.includes(file), `${file} is on the path`);
  assert.ok(
    hops.some((h) => h.file === "kiosk/ui/connection.ts" && h.name === "send"),
    "it ends at the send",
  );
  // The overlay is drawn after the send, the chart on animation frames and the panels on engine frames: none
  // of them is the observation's work.
  for (
    const file of [
      "kiosk/ui/mirror/draw_overlay.ts",
      "kiosk/ui/mirror/overlay_model.ts",
      "kiosk/ui/CurrentChart.tsx",
      "kiosk/ui/state.ts",
    ]
  ) assert.not.ok(modules.includes(file), `${file} is not on the path`);
  // The loop sends the observation with its source itself; the mirror component no longer forwards each one.
  assert.not.ok(modules.includes("kiosk/ui/mirror/Mirror.tsx"), "the mirror's send wrapper is gone");
});

test("camera → device: fewer hops than the issue's 31 (page and kiosk together, docs/decisions.md)", async () => {
  const { page, server } = await countPath();
  const pageModules = modulesOf(page!), kioskModules = modulesOf(server);
  const hops = pageModules.length + kioskModules.length;
  assert.ok(hops <= 30, `${hops} hops: page ${pageModules.join(", ")}; kiosk ${kioskModules.join(", ")}`);
  // Merged, not dropped: the filter, the mesh map and the plane sampler still run, inside their one user.
  const has = (file: string, name: string) => page!.some((h) => h.file === file && h.name === name);
  assert.ok(has("core/geometry/uv_smoother.ts", "filter"), "the One Euro filter runs (was one_euro.ts)");
  assert.ok(has("core/geometry/face_mapper.ts", "barycentric"), "the mesh map runs (was mesh_map.ts)");
  assert.ok(has("kiosk/ui/vision/capture.ts", "sampleFrame"), "the plane sampler runs (was yuv_sample.ts)");
});

test.run();
