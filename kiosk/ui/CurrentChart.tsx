/** Canvas chart of the output current over the last HISTORY_S seconds, redrawn when frames came, at most 20 times a second. */
import { useEffect, useRef } from "preact/hooks";
import { gaugeMaxUa, history, HISTORY_S } from "./state.ts";

/** Props for CurrentChart. */
export interface CurrentChartProps {
  /** Top of the scale in µA. Default: the device's maximum (gaugeMaxUa). */
  maxUa?: number;
}

const REDRAW_MS = 50;
const POINT_PX = 3;
/** The charts' line colour (the live chart and the session summary's). */
export const CHART_LINE = "#5cc8a8";

/** Clears the canvas and draws the charts' grid: a faint line every 100 µA below `maxUa`. */
export function drawChartGrid(ctx: CanvasRenderingContext2D, w: number, h: number, maxUa: number): void {
  ctx.clearRect(0, 0, w, h);
  ctx.strokeStyle = "#2a313c";
  ctx.lineWidth = 1;
  for (let ua = 100; ua < maxUa; ua += 100) {
    const y = h - (ua / maxUa) * h;
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(w, y);
    ctx.stroke();
  }
}

/** The current-over-time chart. */
export function CurrentChart({ maxUa = gaugeMaxUa.value }: CurrentChartProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let raf = 0;
    // The page's thread also runs the face mesh: redraw only when new frames came (or the size changed), and
    // at most every REDRAW_MS (the engine sends 50 frames a second; a chart needs far fewer).
    // Its size comes from a ResizeObserver: reading clientWidth per frame would force a layout each time.
    let drawnAt = -Infinity, drawnNext = -1, drawnCount = -1, cw = 0, ch = 0;
    const sizes = new ResizeObserver(([entry]) => {
      if (!entry) return;
      cw = Math.round(entry.contentRect.width * devicePixelRatio);
      ch = Math.round(entry.contentRect.height * devicePixelRatio);
    });
    if (ref.current) sizes.observe(ref.current);
    const draw = (now: number) => {
      raf = requestAnimationFrame(draw);
      const canvas = ref.current;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx || cw === 0 || ch === 0) return;
      const resized = canvas.width !== cw || canvas.height !== ch;
      const changed = history.next !== drawnNext || history.count !== drawnCount;
      if (!resized && (!changed || now - drawnAt < REDRAW_MS)) return;
      if (resized) [canvas.width, canvas.height] = [cw, ch];
      [drawnAt, drawnNext, drawnCount] = [now, history.next, history.count];
      const w = cw, h = ch;
      drawChartGrid(ctx, w, h, maxUa);
      const size = history.values.length;
      const n = history.count;
      ctx.strokeStyle = CHART_LINE;
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.beginPath();
      // One point per POINT_PX pixels: the highest current of the frames that fall there (peaks stay visible).
      const perPoint = Math.max(1, Math.floor((HISTORY_S * 50 * POINT_PX) / w));
      for (let end = n; end > 0; end -= perPoint) {
        let ua = 0;
        for (let i = Math.max(0, end - perPoint); i < end; i++) {
          ua = Math.max(ua, history.values[(history.next - n + i + size) % size]!);
        }
        const x = w - ((n - end) / (HISTORY_S * 50)) * w;
        const y = h - Math.min(1, ua / maxUa) * h;
        if (end === n) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    };
    raf = requestAnimationFrame(draw);
    return () => (cancelAnimationFrame(raf), sizes.disconnect());
  }, [maxUa]);
  return <canvas ref={ref} class="chart" aria-label={`output current, last ${HISTORY_S} seconds`} />;
}
