/** Canvas chart of the output current over the last HISTORY_S seconds, redrawn per animation frame. */
import { useEffect, useRef } from "preact/hooks";
import { history, HISTORY_S } from "./state.ts";

/** Props for CurrentChart. */
export interface CurrentChartProps {
  /** Top of the scale in µA. Default 500 (the hard ceiling). */
  maxUa?: number;
}

/** The current-over-time chart. */
export function CurrentChart({ maxUa = 500 }: CurrentChartProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let raf = 0;
    const draw = () => {
      raf = requestAnimationFrame(draw);
      const canvas = ref.current;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx) return;
      const w = (canvas.width = canvas.clientWidth * devicePixelRatio);
      const h = (canvas.height = canvas.clientHeight * devicePixelRatio);
      ctx.clearRect(0, 0, w, h);
      ctx.strokeStyle = "#2a313c";
      for (let ua = 100; ua < maxUa; ua += 100) {
        const y = h - (ua / maxUa) * h;
        ctx.beginPath();
        ctx.moveTo(0, y);
        ctx.lineTo(w, y);
        ctx.stroke();
      }
      const size = history.values.length;
      const n = history.count;
      ctx.strokeStyle = "#5cc8a8";
      ctx.lineWidth = 2 * devicePixelRatio;
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const ua = history.values[(history.next - n + i + size) % size]!;
        const x = w - ((n - 1 - i) / (HISTORY_S * 50)) * w;
        const y = h - Math.min(1, ua / maxUa) * h;
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      }
      ctx.stroke();
    };
    draw();
    return () => cancelAnimationFrame(raf);
  }, [maxUa]);
  return <canvas ref={ref} class="chart" aria-label={`output current, last ${HISTORY_S} seconds`} />;
}
