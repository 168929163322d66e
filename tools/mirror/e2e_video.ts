/** The e2e/bench video, rendered once per content of its inputs into the temp folder and reused after. */
import { sha256Hex } from "../../kiosk/ui/vision/model_files.ts";
import { type RenderTruth, renderY4m } from "../render_y4m.ts";
import { ROOT } from "./browser.ts";

// The video depends only on these files.
const INPUTS = [
  "tools/mirror/e2e_path.ts",
  "tools/mirror/harness_page.ts",
  "tools/mirror/y4m.ts",
  "tools/render_y4m.ts",
  "kiosk/ui/vision/demo_scene.ts",
  "tools/mirror/frame_tag.ts",
  "kiosk/ui/assets/astronaut.png",
  "models/checksums.json",
];

/** Path of the (possibly cached) video and its ground truth. */
export async function e2eVideo(): Promise<{ file: string; truth: RenderTruth }> {
  const parts = await Promise.all(INPUTS.map((p) => Deno.readFile(ROOT + p)));
  const key = (await sha256Hex(new Uint8Array(await new Blob(parts).arrayBuffer()))).slice(0, 12);
  const file = `${Deno.env.get("TMPDIR") ?? "/tmp"}/glidepath-e2e-${key}.y4m`;
  try {
    return { file, truth: JSON.parse(await Deno.readTextFile(`${file}.json`)) };
  } catch {
    return { file, truth: await renderY4m(file) };
  }
}
