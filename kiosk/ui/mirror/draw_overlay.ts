/** Draws the overlay shapes on a canvas in source-image pixels (the canvas is mirrored with the video by CSS). */
import type { OverlayShapes, Px } from "./overlay_model.ts";

const COLOURS = {
  zone: "rgba(150, 200, 255, 0.35)",
  target: "rgba(90, 220, 140, 0.95)",
  targetFill: "rgba(90, 220, 140, 0.18)",
  keepOut: "rgba(255, 70, 70, 0.95)",
  keepOutFill: "rgba(255, 70, 70, 0.22)",
  arrow: "rgba(255, 255, 255, 0.95)",
  progress: "rgba(90, 220, 140, 1)",
  hold: "rgba(255, 210, 80, 0.95)",
};

function trace(ctx: CanvasRenderingContext2D, path: readonly Px[], close: boolean) {
  ctx.beginPath();
  path.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  if (close) ctx.closePath();
}

/** Clears the canvas and draws one frame's shapes. `scale` = canvas pixels per source pixel. */
export function drawOverlay(ctx: CanvasRenderingContext2D, shapes: OverlayShapes, scale = 1): void {
  const { width, height } = ctx.canvas;
  ctx.save();
  ctx.clearRect(0, 0, width, height);
  ctx.scale(scale, scale);
  ctx.lineJoin = "round";
  ctx.lineCap = "round";
  for (const z of shapes.zones) {
    trace(ctx, z.path, true);
    if (z.role === "target") {
      ctx.fillStyle = COLOURS.targetFill;
      ctx.fill();
      ctx.strokeStyle = COLOURS.target;
      ctx.lineWidth = 2.5;
    } else if (z.role === "near") {
      ctx.fillStyle = COLOURS.keepOutFill;
      ctx.fill();
      ctx.strokeStyle = COLOURS.keepOut;
      ctx.lineWidth = 2.5;
    } else {
      ctx.strokeStyle = COLOURS.zone;
      ctx.lineWidth = 1;
    }
    ctx.stroke();
  }
  if (shapes.arrow && shapes.arrow.path.length > 1) {
    const path = shapes.arrow.path;
    ctx.setLineDash([8, 6]);
    ctx.strokeStyle = COLOURS.arrow;
    ctx.lineWidth = 3;
    trace(ctx, path, false);
    ctx.stroke();
    ctx.setLineDash([]);
    const done = Math.round(Math.max(0, Math.min(1, shapes.arrow.progress)) * (path.length - 1));
    if (done > 0) {
      ctx.strokeStyle = COLOURS.progress;
      ctx.lineWidth = 4;
      trace(ctx, path.slice(0, done + 1), false);
      ctx.stroke();
    }
    const [x1, y1] = path[path.length - 1]!, [x0, y0] = path[path.length - 2]!;
    const a = Math.atan2(y1 - y0, x1 - x0);
    ctx.fillStyle = COLOURS.arrow;
    ctx.beginPath();
    ctx.moveTo(x1 + 10 * Math.cos(a), y1 + 10 * Math.sin(a));
    ctx.lineTo(x1 + 10 * Math.cos(a + 2.5), y1 + 10 * Math.sin(a + 2.5));
    ctx.lineTo(x1 + 10 * Math.cos(a - 2.5), y1 + 10 * Math.sin(a - 2.5));
    ctx.fill();
  }
  if (shapes.hold) {
    const [x, y] = shapes.hold.at;
    ctx.strokeStyle = COLOURS.hold;
    ctx.lineWidth = 4;
    ctx.beginPath();
    ctx.arc(x, y, 16, -Math.PI / 2, -Math.PI / 2 + shapes.hold.fraction * Math.PI * 2);
    ctx.stroke();
  }
  for (const d of shapes.dots) {
    ctx.beginPath();
    ctx.arc(d.at[0], d.at[1], 7, 0, Math.PI * 2);
    ctx.lineWidth = 3;
    ctx.strokeStyle = d.state === "blocked"
      ? COLOURS.keepOut
      : d.state === "active"
      ? COLOURS.target
      : "#fff";
    ctx.stroke();
  }
  ctx.restore();
}
