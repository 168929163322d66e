/** The face coverage map: where stimulation actually happened, as a glow over the face outline, shown as in the mirror. */
import type { CoverageGrid } from "../../core/session/mod.ts";
import { defaultZoneMap, type UvPolygon } from "../../core/zones/mod.ts";
import { useSizedCanvas } from "./use_sized_canvas.ts";

/** Props for CoverageMap. */
export interface CoverageMapProps {
  coverage: CoverageGrid;
  /** Accessible name (the page's words). */
  label: string;
}

/** The part of the UV face drawn: the whole outline, forehead to the foot of the neck. */
export const VIEW = { u0: -0.04, u1: 1.04, v0: 0.06, v1: 1.38 } as const;
/** Width over height of the map. */
export const MAP_ASPECT = (VIEW.u1 - VIEW.u0) / (VIEW.v1 - VIEW.v0);

/**
 * Canvas x, y of a UV point, mirrored as the mirror shows the face: u grows to the left (the person's right,
 * u < 0.5, appears on the right, as in docs/zones.md).
 */
export function mapPoint(u: number, v: number, w: number, h: number): [number, number] {
  return [((VIEW.u1 - u) / (VIEW.u1 - VIEW.u0)) * w, ((v - VIEW.v0) / (VIEW.v1 - VIEW.v0)) * h];
}

/** The glow's colour at a share `k` (0..1) of the most treated cell's time: teal, warming to yellow-green. */
export function glowColour(k: number, alpha: number): string {
  const r = Math.round(92 + k * 120), g = Math.round(200 + k * 40), b = Math.round(168 - k * 70);
  return `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})`;
}

/** Cells with time, as UV centres with their share of the most treated cell's time (square root: faint spots show). */
export function coverageSpots(c: CoverageGrid): { u: number; v: number; k: number }[] {
  const most = Math.max(0, ...c.ms);
  if (most === 0) return [];
  const du = (c.u1 - c.u0) / c.cols, dv = (c.v1 - c.v0) / c.rows;
  return c.ms.flatMap((ms, i) =>
    ms > 0
      ? [{
        u: c.u0 + ((i % c.cols) + 0.5) * du,
        v: c.v0 + (Math.floor(i / c.cols) + 0.5) * dv,
        k: Math.sqrt(ms / most),
      }]
      : []
  );
}

function trace(ctx: CanvasRenderingContext2D, poly: UvPolygon, w: number, h: number) {
  poly.forEach(([u, v], i) => {
    const [x, y] = mapPoint(u, v, w, h);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.closePath();
}

/** Draws the face and neck, the glow where output flowed (inside them), and the eyes and lips to find one's way. */
export function drawCoverage(ctx: CanvasRenderingContext2D, w: number, h: number, c: CoverageGrid): void {
  const { face, neck } = defaultZoneMap.outline;
  ctx.clearRect(0, 0, w, h);
  ctx.beginPath();
  trace(ctx, face, w, h);
  trace(ctx, neck, w, h);
  ctx.fillStyle = "#232b35";
  ctx.fill("nonzero");
  ctx.save();
  ctx.clip("nonzero");
  // One soft spot per cell, a little wider than the cell, so neighbouring cells blend into one glow.
  const cellW = ((c.u1 - c.u0) / c.cols / (VIEW.u1 - VIEW.u0)) * w;
  const cellH = ((c.v1 - c.v0) / c.rows / (VIEW.v1 - VIEW.v0)) * h;
  const radius = 1.1 * Math.max(cellW, cellH);
  for (const spot of coverageSpots(c).sort((a, b) => a.k - b.k)) {
    const [x, y] = mapPoint(spot.u, spot.v, w, h);
    const glow = ctx.createRadialGradient(x, y, 0, x, y, radius);
    glow.addColorStop(0, glowColour(spot.k, 0.35 + 0.6 * spot.k));
    glow.addColorStop(1, glowColour(spot.k, 0));
    ctx.fillStyle = glow;
    ctx.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
  }
  ctx.restore();
  ctx.lineWidth = Math.max(1, w / 300);
  ctx.strokeStyle = "#5d6b7d";
  ctx.beginPath();
  trace(ctx, face, w, h);
  trace(ctx, neck, w, h);
  ctx.stroke();
  ctx.strokeStyle = "#8a94a3";
  for (const z of defaultZoneMap.zones) {
    if (z.kind !== "keep-out" || z.id === "neck-front") continue;
    ctx.beginPath();
    trace(ctx, z.polygon, w, h);
    ctx.stroke();
  }
}

/** The map; redrawn when its size or the grid changes. */
export function CoverageMap({ coverage, label }: CoverageMapProps) {
  const ref = useSizedCanvas((ctx, width, height) => drawCoverage(ctx, width, height, coverage), [coverage]);
  return (
    <canvas
      ref={ref}
      class="coverage-map"
      role="img"
      aria-label={label}
      data-testid="coverage-map"
      style={{ aspectRatio: String(MAP_ASPECT) }}
    />
  );
}
