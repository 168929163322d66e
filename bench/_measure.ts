/** Benchmark helper: per-operation time over batches, as a median and a 99th percentile. */

/** Median and p99 of `samples` (sorts them in place). */
export function percentiles(samples: number[]): { median: number; p99: number } {
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)]!,
    p99: samples[Math.floor(samples.length * 0.99)]!,
  };
}

/** Per-operation time in µs for `batches` batches of `perBatch` calls of `run(i)` (i counts every call). */
export function measure(
  batches: number,
  perBatch: number,
  run: (i: number) => void,
): { median: number; p99: number } {
  const samples: number[] = [];
  let i = 0;
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let k = 0; k < perBatch; k++) run(i++);
    samples.push(((performance.now() - start) * 1000) / perBatch);
  }
  return percentiles(samples);
}
