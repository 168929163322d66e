/** The page half of the hop count (tools/event_path/page.ts): the real page in headless Chromium (launchChromium). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { countPageHops } from "../../tools/event_path/page.ts";
import { modulesOf } from "../../tools/event_path/hops.ts";

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

test.run();
