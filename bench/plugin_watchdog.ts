/**
 * How long an honest sandboxed driver takes to answer at the kiosk's pace (one checked output frame and one
 * decode every 20 ms) on this machine as it is loaded now: the figures behind the reply watchdog's default.
 * `deno run -A bench/plugin_watchdog.ts [seconds=60]`
 */
import { validateManifest } from "../core/manifest/mod.ts";
import { startSandboxedDriver } from "../kiosk/plugins/sandboxed_driver.ts";

const seconds = Number(Deno.args[0] ?? 60);
const entry = new URL("../plugins/sim-text/mod.ts", import.meta.url);
const manifest = validateManifest(
  JSON.parse(await Deno.readTextFile(new URL("../plugins/sim-text/plugin.json", import.meta.url))),
);
// A watchdog that never fires here: the point is to see the answers a real one would have judged.
const driver = await startSandboxedDriver(manifest, entry, { callTimeoutMs: 60_000 });
const codec = await driver.createCodec();
const telemetry = new TextEncoder().encode("T 1 0 4000 0.0 100 -\n");
const waits: number[] = [];
const [load0] = Deno.loadavg();
const end = performance.now() + seconds * 1000;
let next = performance.now();
while (performance.now() < end) {
  next += 20;
  const t0 = performance.now();
  await codec.output({ currentUa: 40, freqHz: 3, polarity: "alternating", validForMs: 100 });
  waits.push(performance.now() - t0);
  const t1 = performance.now();
  await codec.decode(telemetry);
  waits.push(performance.now() - t1);
  await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
}
await driver.dispose();
const sorted = [...waits].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!.toFixed(1);
const over = (ms: number) => waits.filter((w) => w > ms).length;
console.log(
  `calls ${waits.length} in ${seconds} s, load average ${load0?.toFixed(1)} → ${
    Deno.loadavg()[0]?.toFixed(1)
  } ` +
    `(${navigator.hardwareConcurrency} cores)`,
);
console.log(
  `answer time: median ${pct(0.5)} ms, p99 ${pct(0.99)} ms, p99.9 ${pct(0.999)} ms, max ${pct(1)} ms`,
);
console.log(
  `answers slower than 100 / 200 / 500 / 1000 ms: ${over(100)} / ${over(200)} / ${over(500)} / ${over(1000)}`,
);
