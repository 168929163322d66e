/** Browser side of the mirror tools: exposes the detector and the demo scene to playwright as window.harness. */
import { createFaceDetector } from "../../kiosk/ui/vision/face_detector.ts";
import { DEMO_SIZE, drawDemoScene } from "../../kiosk/ui/vision/demo_scene.ts";
import { drawFrameTag } from "./frame_tag.ts";
import { rgbaToI420 } from "./y4m.ts";

async function loadPhoto(): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = "/assets/astronaut.png";
  await img.decode();
  return img;
}

const canvas = document.createElement("canvas");
[canvas.width, canvas.height] = [DEMO_SIZE.width, DEMO_SIZE.height];
const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
let photo: HTMLImageElement | null = null;

const harness = {
  /** Keypoints (468 × [x, y]) of the demo scene's face without a marker. */
  async sceneKeypoints(backend: "wasm" | "webgl" | "cpu" = "wasm") {
    photo ??= await loadPhoto();
    drawDemoScene(ctx, photo);
    const detector = await createFaceDetector({ backend, maxFaces: 1 });
    const faces = await detector.estimate(canvas);
    detector.dispose();
    return faces.map((f) =>
      f.keypoints.map((k) => [Math.round(k.x * 100) / 100, Math.round(k.y * 100) / 100])
    );
  },
  /**
   * Two people: the photo's face at two sizes side by side on a 640×480 canvas; returns the boxes the
   * two-face detector finds, largest first.
   */
  async twoFaces(backend: "wasm" | "webgl" | "cpu" = "wasm") {
    photo ??= await loadPhoto();
    ctx.fillStyle = "#888";
    ctx.fillRect(0, 0, 640, 480);
    ctx.drawImage(photo, 120, 0, 230, 230, 0, 80, 340, 340); // large face on the left
    ctx.drawImage(photo, 120, 0, 230, 230, 400, 150, 200, 200); // smaller face on the right
    const detector = await createFaceDetector({ backend, maxFaces: 2 });
    const faces = await detector.estimate(canvas);
    detector.dispose();
    return faces.map((f) => f.box).sort((a, b) => b.width * b.height - a.width * a.height);
  },
  /** Renders scene frames (markers and tag per frame); returns their I420 bytes, concatenated, as base64. */
  async renderFrames(frames: { markers: { x: number; y: number }[]; tag: number | null }[]) {
    photo ??= await loadPhoto();
    const { width, height } = DEMO_SIZE;
    const size = (width * height * 3) / 2;
    const out = new Uint8Array(size * frames.length);
    frames.forEach((f, i) => {
      drawDemoScene(ctx, photo!, { markers: f.markers });
      if (f.tag !== null) drawFrameTag(ctx, f.tag);
      out.set(rgbaToI420(ctx.getImageData(0, 0, width, height).data, width, height), i * size);
    });
    let s = "";
    for (let i = 0; i < out.length; i += 0x8000) s += String.fromCharCode(...out.subarray(i, i + 0x8000));
    return btoa(s);
  },
};
(globalThis as unknown as { harness: typeof harness }).harness = harness;
document.title = "harness ready";
