/** The demo scene as a camera: a canvas with the face photo and a marker that follows the routine's strokes. */
import type { ReadonlySignal } from "@preact/signals";
import type { EngineFrame } from "../../../core/engine/types.ts";
import type { FaceFrameMap } from "../../../core/geometry/mod.ts";
import { createDemoProbe } from "../../session/demo_probe.ts";
import { DEMO_SIZE, drawDemoScene } from "../vision/demo_scene.ts";

/** A running demo source; dispose() stops following the engine. */
export interface DemoSource {
  canvas: HTMLCanvasElement;
  /** Draws the next scene frame (the loop calls it right before each capture). */
  draw(): void;
  dispose(): void;
}

/**
 * Loads the photo and starts following engine frames with the same virtual-probe logic as the server's
 * demo. `currentMap` gives the latest mesh mapping of the photo's face (UV → pixels for the marker).
 */
export async function createDemoSource(
  frames: ReadonlySignal<EngineFrame | null>,
  currentMap: () => FaceFrameMap | null,
): Promise<DemoSource> {
  const canvas = document.createElement("canvas");
  [canvas.width, canvas.height] = [DEMO_SIZE.width, DEMO_SIZE.height];
  const ctx = canvas.getContext("2d")!;
  const photo = new Image();
  photo.src = "/assets/astronaut.png";
  await photo.decode();
  const probe = createDemoProbe({ glideMs: 2000 });
  let position: { u: number; v: number } | null = null;
  const unsubscribe = frames.subscribe((f) => {
    if (f) position = probe.step(f).points[0] ?? null;
  });
  return {
    canvas,
    draw() {
      const map = currentMap();
      const at = position && map ? map.toImage(position.u, position.v) : null;
      drawDemoScene(ctx, photo, { markers: at ? [at] : [] });
    },
    dispose: unsubscribe,
  };
}
