/** The summary's chart of the treatment's strength over the session: the mean line over a band up to each moment's peak (the live chart's grid and colour). */
import type { CurrentSeries } from "../../core/session/mod.ts";
import { CHART_LINE, drawChartGrid } from "./CurrentChart.tsx";
import { gaugeMaxUa } from "./state.ts";
import { useSizedCanvas } from "./use_sized_canvas.ts";

/** Props for SummaryChart. */
export interface SummaryChartProps {
  series: CurrentSeries;
  /** Accessible name (the page's words, no units). */
  label: string;
  /** Top of the scale in µA, as the live chart's (the device's maximum), so "strong" means the same in both. */
  maxUa?: number;
}

/** Draws the series over the canvas: x is time from the session's start, y strength from 0 to `maxUa`. */
export function drawSeries(
  ctx: CanvasRenderingContext2D,
  w: number,
  h: number,
  series: CurrentSeries,
  maxUa: number,
): void {
  const n = series.meanUa.length;
  const top = Math.max(1, maxUa, ...series.maxUa);
  drawChartGrid(ctx, w, h, top);
  if (n === 0) return;
  const x = (i: number) => (n === 1 ? w / 2 : (i / (n - 1)) * w);
  const y = (ua: number) => h - (ua / top) * h;
  ctx.beginPath();
  ctx.moveTo(x(0), h);
  series.maxUa.forEach((ua, i) => ctx.lineTo(x(i), y(ua)));
  ctx.lineTo(x(n - 1), h);
  ctx.closePath();
  ctx.fillStyle = "rgba(92, 200, 168, 0.22)";
  ctx.fill();
  ctx.beginPath();
  series.meanUa.forEach((ua, i) => (i === 0 ? ctx.moveTo(x(i), y(ua)) : ctx.lineTo(x(i), y(ua))));
  ctx.strokeStyle = CHART_LINE;
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.lineJoin = "round";
  ctx.stroke();
}

/** The chart; redrawn when its size or the series changes. */
export function SummaryChart({ series, label, maxUa = gaugeMaxUa.value }: SummaryChartProps) {
  const ref = useSizedCanvas((ctx, width, height) => drawSeries(ctx, width, height, series, maxUa), [
    series,
    maxUa,
  ]);
  return <canvas ref={ref} class="summary-chart" role="img" aria-label={label} data-testid="summary-chart" />;
}
