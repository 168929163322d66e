/** Benchmark: lag and jitter of the probe smoother (One Euro) at camera rate, for the chosen defaults and neighbours. */
// Usage: deno run bench/mirror_filter.ts   — prints a table; no assertions.
import { createOneEuroFilter } from "../core/geometry/mod.ts";

const FPS = 30, DT = 1000 / FPS;
const noise = (i: number) => {
  const s = Math.sin(i * 12.9898) * 43758.5453;
  return 2 * (s - Math.floor(s)) - 1;
};

function measure(minCutoff: number, beta: number) {
  // Glide at 0.15 UV/s (~30 mm/s, a typical microcurrent stroke): steady-state lag = error / speed.
  const speed = 0.15;
  let f = createOneEuroFilter({ minCutoff, beta });
  let y = 0;
  for (let i = 0; i <= 90; i++) y = f.filter(speed * i / FPS, i * DT);
  const glideLagMs = ((speed * 90 / FPS - y) / speed) * 1000;
  // Step of 0.05 UV (~10 mm): time to reach 90 %.
  f = createOneEuroFilter({ minCutoff, beta });
  f.filter(0, 0);
  let stepMs = NaN;
  for (let i = 1; i < 300; i++) {
    if (f.filter(0.05, i * DT) >= 0.045) {
      stepMs = i * DT;
      break;
    }
  }
  // Still probe with ±0.003 UV (~0.6 mm) detection jitter: output/input RMS.
  f = createOneEuroFilter({ minCutoff, beta });
  let inSq = 0, outSq = 0;
  for (let i = 0; i < 600; i++) {
    const x = 0.003 * noise(i), out = f.filter(x, i * DT);
    if (i > 30) (inSq += x * x), (outSq += out * out);
  }
  return { glideLagMs, stepMs, jitter: Math.sqrt(outSq / inSq) };
}

console.log(`One Euro on UV at ${FPS} fps (glide 0.15 UV/s, step 0.05 UV, jitter ±0.003 UV)`);
console.log("minCutoff  beta   glide lag ms   step 90% ms   jitter out/in");
for (const [minCutoff, beta] of [[1.5, 2], [1, 0.5], [1.5, 5], [3, 2], [1, 0]] as const) {
  const r = measure(minCutoff, beta);
  const mark = minCutoff === 1.5 && beta === 2 ? "  ← default" : "";
  console.log(
    `${minCutoff.toFixed(1).padStart(9)} ${beta.toFixed(1).padStart(5)} ${
      r.glideLagMs.toFixed(1).padStart(14)
    } ` +
      `${r.stepMs.toFixed(0).padStart(13)} ${r.jitter.toFixed(2).padStart(15)}${mark}`,
  );
}
