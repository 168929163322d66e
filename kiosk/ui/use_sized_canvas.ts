/** A canvas that draws at its shown size in device pixels, again whenever that size or the drawing's inputs change. */
import type { RefObject } from "preact";
import { type Inputs, useEffect, useRef } from "preact/hooks";

/** Draws on the canvas the returned ref is put on: `draw(ctx, width, height)` in device pixels. */
export function useSizedCanvas(
  draw: (ctx: CanvasRenderingContext2D, width: number, height: number) => void,
  inputs: Inputs,
): RefObject<HTMLCanvasElement> {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const sizes = new ResizeObserver(([entry]) => {
      const ctx = canvas.getContext("2d");
      if (!entry || !ctx) return;
      canvas.width = Math.round(entry.contentRect.width * devicePixelRatio);
      canvas.height = Math.round(entry.contentRect.height * devicePixelRatio);
      draw(ctx, canvas.width, canvas.height);
    });
    sizes.observe(canvas);
    return () => sizes.disconnect();
  }, inputs);
  return ref;
}
