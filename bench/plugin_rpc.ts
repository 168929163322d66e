/** Plugin sandbox costs: spawn → first reply, RPC round trip (median/p99), and kill → exit after a hang. */
import { validateManifest } from "../core/manifest/mod.ts";
import { PluginProcess } from "../kiosk/plugins/sandbox.ts";
import { startSandboxedDriver } from "../kiosk/plugins/sandboxed_driver.ts";

const entry = new URL("../plugins/sim-text/mod.ts", import.meta.url);
const busy = new URL("../test/plugins/fixtures/bad/busy.ts", import.meta.url);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

// Spawn → first reply, fresh process each time.
const spawn: number[] = [];
for (let i = 0; i < 10; i++) {
  const t0 = performance.now();
  const p = new PluginProcess("glidepath.sim-text", entry);
  await p.call("ping");
  spawn.push(performance.now() - t0);
  await p.dispose();
}
console.log(
  `spawn → first reply (n=10): median ${ms(pct(spawn, 0.5))}, min ${ms(Math.min(...spawn))}, max ${
    ms(Math.max(...spawn))
  }`,
);

// Round trips: bare ping, and a checked output frame (codec.call + read-back + host check).
const manifest = validateManifest(
  JSON.parse(await Deno.readTextFile(new URL("../plugins/sim-text/plugin.json", import.meta.url))),
);
const driver = await startSandboxedDriver(manifest, entry);
const codec = await driver.createCodec();
const ping: number[] = [];
const frame: number[] = [];
for (let i = 0; i < 3000; i++) {
  let t0 = performance.now();
  await driver.process.call("ping");
  ping.push(performance.now() - t0);
  t0 = performance.now();
  await codec.output({ currentUa: (i % 400) + 0.5, freqHz: 3, polarity: "alternating", validForMs: 100 });
  frame.push(performance.now() - t0);
}
console.log(`ping round trip (n=3000): median ${ms(pct(ping, 0.5))}, p99 ${ms(pct(ping, 0.99))}`);
console.log(`checked output frame (n=3000): median ${ms(pct(frame, 0.5))}, p99 ${ms(pct(frame, 0.99))}`);
await driver.dispose();

// Hang → watchdog: time from the call to the process having exited, and from kill to exit.
const hang: number[] = [];
const kill: number[] = [];
for (let i = 0; i < 5; i++) {
  const d = await startSandboxedDriver(validateManifest({ ...manifest, id: "test.bad-busy" }), busy, {
    hostModules: [new URL("../test/plugins/fixtures/bad/_base.ts", import.meta.url)],
  });
  const c = await d.createCodec();
  const t0 = performance.now();
  let killedAt = 0;
  d.onFailure(() => (killedAt = performance.now()));
  await c.output({ currentUa: 10, freqHz: 3, polarity: "alternating", validForMs: 100 }).catch(() => {});
  await d.process.exited;
  const t1 = performance.now();
  hang.push(t1 - t0);
  kill.push(t1 - killedAt);
}
console.log(
  `busy loop: call → process exited (n=5, watchdog 200 ms): median ${ms(pct(hang, 0.5))}, max ${
    ms(Math.max(...hang))
  }`,
);
console.log(`SIGKILL → exit observed (n=5): median ${ms(pct(kill, 0.5))}, max ${ms(Math.max(...kill))}`);
