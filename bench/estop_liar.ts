/**
 * An estop against a lying driver (test/device/_liar.ts) on the simulated SIM-1, on a manual clock: how many
 * writes the host makes after the estop, whether it closes the device, and when the device's output reaches 0.
 * `deno run -A bench/estop_liar.ts`
 */
import { liar } from "../test/device/_liar.ts";
import { kioskLoop } from "../test/device/_kiosk_loop.ts";

const { clock, device, host, runner, writes, run, deliveredUa } = kioskLoop(liar());
await run(2000, 5);
const level = deliveredUa();
const t0 = clock.now();
const before = writes.length;
runner.submit({ type: "estop" });
let zeroAt: number | null = null;
await run(2000, 5, () => void (zeroAt ??= deliveredUa() === 0 ? clock.now() - t0 : null));
const after = writes.slice(before).map((w) => w.at);
console.log(`output before the estop: ${level.toFixed(1)} µA`);
console.log(
  `writes after the estop (2 s): ${after.length}, the last ${
    after.length ? (after.at(-1)! - t0).toFixed(0) : "-"
  } ms after it`,
);
console.log(`device closed: ${!device.opened}; output 0 at +${zeroAt ?? "never (within 2 s)"} ms`);
console.log(`host: ${host.status().state}; last fault: ${host.status().lastFault?.reason ?? "none"}`);
await host.dispose();
await runner.dispose();
