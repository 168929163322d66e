/**
 * The server half of the hop count: one probe message on the page's WebSocket of a real kiosk (startKiosk) to the
 * USB write it leads to, by V8 call counts in two child processes (docs/decisions.md "Hops from camera to device").
 */
import { join } from "node:path";
import { type Hop, isProjectFile, ROOT } from "./hops.ts";

/** The platform's stand-ins (the USB device, its firmware, the manual clock): not hops of the kiosk. */
const PLATFORM =
  /^plugins\/sim-binary\/(emulator|sim_usb_device|sim_usb|manual_clock|skin_model|_descriptors|_wire)\.ts$/;

/**
 * One child run. The kiosk is `startKiosk` itself (hub, app and socket, runner, engine, records, the runtime's
 * observers) with its runner and demo on a manual clock and its device host on the simulated SIM-1 (built-in
 * driver, as DEVICE=hardware drives a SIM-1); a `ws` client plays the page. Both modes warm up the same way (a
 * session with output flowing); "probe" then sends one observation, ticks once and waits for the device write.
 */
export async function serverChild(mode: "base" | "probe", demo: boolean): Promise<void> {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-hops-" });
  try {
    await warmUpAndSend(mode, demo, dataDir);
  } finally {
    Deno.removeSync(dataDir, { recursive: true });
  }
  // Exit without shutting down (V8 writes the coverage on exit): a shutdown would run in one child only, after
  // the observation.
  Deno.exit(0);
}

async function warmUpAndSend(mode: "base" | "probe", demo: boolean, dataDir: string): Promise<void> {
  const { startKiosk } = await import(`${ROOT}kiosk/mod.ts`);
  const { DeviceHost } = await import(`${ROOT}kiosk/device/mod.ts`);
  const { CONTRAINDICATIONS } = await import(`${ROOT}core/engine/mod.ts`);
  const sim = await import(`${ROOT}plugins/sim-binary/mod.ts`);
  const { default: WebSocket } = await import("ws");

  const clock = new sim.ManualClock();
  const usb = new sim.SimUsb();
  const device = new sim.SimUsbDevice({ clock, firmware: { noiseUa: 0 } });
  usb.plug(device);
  let writes = 0;
  // After the warm-up, writes stop at the USB boundary: what the device does with them is not the kiosk's path.
  let boundary = false;
  const transferOut = device.transferOut.bind(device);
  device.transferOut = (ep: number, data: BufferSource) => {
    writes++;
    if (!boundary) return transferOut(ep, data);
    return Promise.resolve({ status: "ok", bytesWritten: (data as Uint8Array).byteLength });
  };
  const host = new DeviceHost(sim.simBinaryDriver, usb, { clock, log: () => {} });
  const kiosk = await startKiosk({
    port: 0,
    dataDir,
    sink: host,
    sinkSimulated: demo,
    demo,
    clock,
    spinMs: 0,
    buildUi: false,
    operatorPin: "2468",
    log: () => {},
  });
  host.start();
  const origin = kiosk.url.replace(/\/$/, "");
  const page = new WebSocket(`${origin.replace(/^http/, "ws")}/ws`, { origin });
  await new Promise((resolve, reject) => (page.once("open", resolve), page.once("error", reject)));
  // A message counts as handled once the runner has heard it (the hub is called from the socket's own task).
  let heard: (() => void) | null = null;
  kiosk.runner.observe({ event: () => heard?.() });
  const send = (message: Record<string, unknown>) =>
    new Promise<void>((resolve) => {
      heard = () => (heard = null, resolve());
      page.send(JSON.stringify(message));
    });

  const screening = Object.fromEntries(CONTRAINDICATIONS.map((k: string) => [k, false]));
  await send({ type: "start", routine: "free", comfort: 10, screening, consent: true });
  const probe = () => ({
    type: "probe",
    points: [{ u: 0.277, v: 0.532 }],
    confidence: 0.95,
    capturedAt: performance.now(),
    source: "camera",
  });
  for (let t = 0; t < 1500; t += 40) {
    await send(probe());
    await clock.run(40);
  }
  const frame = kiosk.runner.lastFrame;
  if (!(frame?.currentUa > 0)) throw new Error(`warm-up: no output (${frame?.limit})`);
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  };
  await settle();
  boundary = true;
  if (mode === "probe") {
    const before = writes;
    await send(probe());
    kiosk.runner.tick();
    await settle();
    if (writes !== before + 1) throw new Error(`expected one device write, saw ${writes - before}`);
  }
}

interface Fn {
  key: string;
  file: string;
  name: string;
  count: number;
}

async function calls(mode: "base" | "probe", demo: boolean): Promise<Map<string, Fn>> {
  const dir = Deno.makeTempDirSync({ prefix: `gp-hops-cov-${mode}-` });
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--coverage=${dir}`,
      `${ROOT}tools/event_path_hops.ts`,
      "--child",
      mode,
      String(demo),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) throw new Error(`${mode} run failed:\n${new TextDecoder().decode(out.stderr)}`);
  const fns = new Map<string, Fn>();
  for (const entry of Deno.readDirSync(dir)) {
    const script = JSON.parse(Deno.readTextFileSync(join(dir, entry.name)));
    if (!script.url.startsWith(`file://${ROOT}`)) continue;
    const file = script.url.slice(`file://${ROOT}`.length);
    if (!isProjectFile(file) || PLATFORM.test(file)) continue;
    for (const f of script.functions) {
      const r = f.ranges[0];
      if (!f.functionName && r.startOffset === 0) continue; // the module body itself
      const key = `${file}:${r.startOffset}`;
      fns.set(key, { key, file, name: f.functionName || `(anonymous @${r.startOffset})`, count: r.count });
    }
  }
  Deno.removeSync(dir, { recursive: true });
  return fns;
}

/**
 * The server's hops: every project function the probe run entered more often than the base run (the
 * observation's admission and the tick that turns it into the device write). `demo` attaches the demo's
 * virtual probe, as the kiosk does with a simulated device.
 */
export async function countServerHops(options: { demo?: boolean } = {}): Promise<Hop[]> {
  const demo = options.demo ?? false;
  const base = await calls("base", demo);
  const probe = await calls("probe", demo);
  return [...probe.values()]
    .map((f) => ({ file: f.file, name: f.name, calls: f.count - (base.get(f.key)?.count ?? 0) }))
    .filter((h) => h.calls > 0);
}
