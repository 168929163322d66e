/** Demo-mode stand-in for the camera mirror: the UV face outline, the guided stroke and the probe dot. */
import { useEffect, useRef } from "preact/hooks";
import type { UvPoint } from "../../core/engine/types.ts";
import { frame, probe } from "./state.ts";

interface FaceUv {
  uv: [number, number][];
  annotations: Record<string, number[]>;
}

const OUTLINES: [string, string | null][] = [
  ["silhouette", null],
  ["leftEyeUpper0", "leftEyeLower0"],
  ["rightEyeUpper0", "rightEyeLower0"],
  ["lipsUpperOuter", "lipsLowerOuter"],
  ["leftEyebrowUpper", null],
  ["rightEyebrowUpper", null],
];

/** Closed polylines (UV) from the face map's annotations. */
function outlines(face: FaceUv): UvPoint[][] {
  const at = (i: number): UvPoint => ({ u: face.uv[i]![0], v: face.uv[i]![1] });
  return OUTLINES.map(([a, b]) => {
    const first = (face.annotations[a] ?? []).map(at);
    const second = b ? (face.annotations[b] ?? []).map(at).reverse() : [];
    return [...first, ...second];
  }).filter((line) => line.length > 1);
}

/** Props for DemoFace. */
export interface DemoFaceProps {
  /** Where the UV map comes from. Default "/models/face_uv.json". */
  src?: string;
}

/** Draws the face in UV space with the current stroke and the (virtual) probe. */
export function DemoFace({ src = "/models/face_uv.json" }: DemoFaceProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let raf = 0;
    let lines: UvPoint[][] = [];
    fetch(src).then((r) => r.json()).then((face: FaceUv) => (lines = outlines(face))).catch(() => {});
    const draw = () => {
      raf = requestAnimationFrame(draw);
      const canvas = ref.current;
      const ctx = canvas?.getContext("2d");
      if (!canvas || !ctx) return;
      const w = (canvas.width = canvas.clientWidth * devicePixelRatio);
      const h = (canvas.height = canvas.clientHeight * devicePixelRatio);
      // UV box shown: u −0.1..1.1, v 0..1.3 (the neck lies below the chin at v 0.954).
      const scale = Math.min(w / 1.2, h / 1.3);
      const ox = (w - 1.2 * scale) / 2 + 0.1 * scale;
      const oy = (h - 1.3 * scale) / 2;
      const px = (p: UvPoint): [number, number] => [ox + p.u * scale, oy + p.v * scale];
      ctx.clearRect(0, 0, w, h);
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.strokeStyle = "#4a5566";
      for (const line of lines) {
        ctx.beginPath();
        line.forEach((p, i) => (i === 0 ? ctx.moveTo(...px(p)) : ctx.lineTo(...px(p))));
        ctx.closePath();
        ctx.stroke();
      }
      const g = frame.value?.guidance;
      if (g) {
        const [x0, y0] = px(g.stroke.from);
        const [x1, y1] = px(g.stroke.to);
        ctx.strokeStyle = "#f0b24b";
        ctx.lineWidth = 4 * devicePixelRatio;
        ctx.setLineDash([8 * devicePixelRatio, 6 * devicePixelRatio]);
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#f0b24b";
        ctx.beginPath();
        ctx.arc(x1, y1, 6 * devicePixelRatio, 0, Math.PI * 2);
        ctx.fill();
      }
      const on = (frame.value?.currentUa ?? 0) > 0;
      for (const p of probe.value ?? []) {
        const [x, y] = px(p);
        ctx.fillStyle = on ? "#5cc8a8" : "#8a94a3";
        ctx.beginPath();
        ctx.arc(x, y, 9 * devicePixelRatio, 0, Math.PI * 2);
        ctx.fill();
      }
    };
    draw();
    return () => cancelAnimationFrame(raf);
  }, [src]);
  return <canvas ref={ref} aria-label="face map with the probe position" data-testid="demo-face" />;
}
