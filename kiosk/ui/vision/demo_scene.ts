/** The demo scene: the face photo with a coloured probe marker, drawn like a camera frame (page and video tool alike). */

/** Part of kiosk/ui/assets/astronaut.png (512×512) the scene shows, scaled to the scene size (4:3). */
export const DEMO_CROP = { sx: 85, sy: 0, sw: 280, sh: 210 } as const;

/** Scene size in pixels (what a webcam gives and the benchmarks assume). */
export const DEMO_SIZE = { width: 640, height: 480 } as const;

/** Marker colour (green, hue ~126°: matches the marker locator's default hue). */
export const DEMO_MARKER_RGB = [40, 200, 60] as const;

/** Marker radius in scene pixels (a ~12 mm sticker at arm's length). */
export const DEMO_MARKER_RADIUS = 9;

/** What to draw on top of the photo. */
export interface DemoSceneOptions {
  /** Marker centres in scene pixels (0, 1 or 2 probe tips). Default none. */
  markers?: readonly { x: number; y: number }[];
  /** Marker radius. Default DEMO_MARKER_RADIUS. */
  markerRadius?: number;
}

/** Draws one scene frame onto a 2D context sized DEMO_SIZE. */
export function drawDemoScene(
  ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D,
  photo: CanvasImageSource,
  options: DemoSceneOptions = {},
): void {
  const { sx, sy, sw, sh } = DEMO_CROP;
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(photo, sx, sy, sw, sh, 0, 0, DEMO_SIZE.width, DEMO_SIZE.height);
  const r = options.markerRadius ?? DEMO_MARKER_RADIUS;
  ctx.fillStyle = `rgb(${DEMO_MARKER_RGB.join(",")})`;
  for (const m of options.markers ?? []) {
    ctx.beginPath();
    ctx.arc(m.x, m.y, r, 0, Math.PI * 2);
    ctx.fill();
  }
}
