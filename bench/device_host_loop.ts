/** Bench: device host + simulated SIM-1 on the wall clock for 3 s at 50 Hz: send→device latency, telemetry gaps. */
import { DeviceHost } from "../kiosk/device/mod.ts";
import { simBinaryDriver, SimUsb, SimUsbDevice } from "../plugins/sim-binary/mod.ts";
import { frame } from "../test/device/_host_rig.ts";

const usb = new SimUsb();
const device = new SimUsbDevice();
usb.plug(device);
const host = new DeviceHost(simBinaryDriver, usb);
const gaps: number[] = [];
let lastTelemetry: number | null = null;
host.subscribe((r) => {
  if (r.kind !== "telemetry") return;
  const now = performance.now();
  if (lastTelemetry !== null) gaps.push(now - lastTelemetry);
  lastTelemetry = now;
});
const started = performance.now();
host.start();
while (host.status().state !== "connected" && performance.now() - started < 2000) {
  await new Promise((r) => setTimeout(r, 5));
}
const connectMs = performance.now() - started;

// Time from send() to the firmware receiving the OUTPUT frame.
const latencies: number[] = [];
let sentAt = 0;
const original = device.transferOut.bind(device);
device.transferOut = (ep, data) => {
  if ((data as Uint8Array)[1] === 0x03) latencies.push(performance.now() - sentAt);
  return original(ep, data);
};
const cpu0 = performance.now();
for (let i = 0; i < 150; i++) {
  sentAt = performance.now();
  host.send(frame(i * 20, Math.min(100, i)));
  await new Promise((r) => setTimeout(r, 20));
}
const wall = performance.now() - cpu0;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? NaN;
console.log(`connect (hello → info → limits → ack): ${connectMs.toFixed(1)} ms`);
console.log(
  `send() → device: n=${latencies.length} p50 ${pct(latencies, 0.5).toFixed(3)} ms, p99 ${
    pct(latencies, 0.99).toFixed(3)
  } ms`,
);
console.log(
  `telemetry gaps: n=${gaps.length} p50 ${pct(gaps, 0.5).toFixed(1)} ms, max ${
    Math.max(...gaps).toFixed(1)
  } ms ` +
    `(${(gaps.length / (wall / 1000)).toFixed(1)} Hz)`,
);
console.log(
  `gaps over 70 ms at index: ${
    gaps.flatMap((g, i) => (g > 70 ? [`${i}:${g.toFixed(0)}`] : [])).join(" ") || "none"
  }`,
);
const s = host.status();
console.log(`faults: ${s.lastFault?.reason ?? "none"}; corrupt frames ${s.corruptFrames}; state ${s.state}`);
await host.dispose();
