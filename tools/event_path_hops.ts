/**
 * `deno run -A tools/event_path_hops.ts [--list] [--demo]`: counts the hops of one probe observation from the page's
 * WebSocket message to the device write, by V8 call counts (docs/decisions.md "Event path (issue 8.1)").
 *
 * The kiosk's parts (hub with tracking monitor, runner, engine, records with recorder and event log, device
 * host on the simulated SIM-1) are wired as the runtime wires them with a device, on a manual clock. Two
 * runs in child processes under `--coverage` do the same warm-up (a started session with output flowing);
 * one then stops, the other sends one probe message to the hub, ticks once and waits for the device write.
 * A hop is a project function (kiosk/, core/, plugins/) that the second run entered more often than the
 * first: every function the observation, and the frame made from it, passed through.
 */
import { join } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const PROJECT = /\/(kiosk|core|plugins)\//;
/** Stand-ins for the platform (the USB device, its firmware, the clock), not hops of the kiosk. */
const PLATFORM =
  /plugins\/sim-binary\/(emulator|sim_usb_device|sim_usb|manual_clock|skin_model|_descriptors|_wire)\.ts$/;

async function child(mode: "base" | "probe", demo: boolean): Promise<void> {
  const { createEngine } = await import(`${ROOT}core/engine/mod.ts`);
  const { createSessionRunner, attachRecords, attachDemo } = await import(`${ROOT}kiosk/session/mod.ts`);
  const { DeviceHost } = await import(`${ROOT}kiosk/device/mod.ts`);
  const { createWsHub } = await import(`${ROOT}kiosk/server/mod.ts`);
  const { createTrackingMonitor } = await import(`${ROOT}kiosk/server/tracking.ts`);
  const { openStore } = await import(`${ROOT}kiosk/store/mod.ts`);
  const { loadCoreRoutines } = await import(`${ROOT}kiosk/routines/mod.ts`);
  const { CONTRAINDICATIONS } = await import(`${ROOT}core/engine/mod.ts`);
  const sim = await import(`${ROOT}plugins/sim-binary/mod.ts`);

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
  const host = new DeviceHost(sim.simBinaryDriver, usb, { clock });
  const engine = createEngine({ routines: await loadCoreRoutines() });
  const runnerClock = {
    now: () => clock.now(),
    setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, ms) as number,
    clearTimeout: (id: number) => clock.clearTimeout(id),
  };
  const runner = createSessionRunner(engine, { sink: host, spinMs: 0, clock: runnerClock });
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-hops-" });
  const store = openStore(dataDir);
  const records = attachRecords(runner, store, { logDir: join(dataDir, "sessions"), log: () => {} });
  const tracking = createTrackingMonitor({ now: () => clock.now() });
  const hub = createWsHub(runner, { recorder: records.recorder, tracking, now: () => clock.now() });
  // With a simulated device the runtime attaches the demo's virtual probe too (it yields to the page's).
  if (demo) attachDemo(runner, { glideMs: 2000, contact: false, clock: runnerClock });
  const page = { send() {}, close() {} };
  hub.open(page);
  host.start();
  runner.start();

  const screening = Object.fromEntries(CONTRAINDICATIONS.map((k: string) => [k, false]));
  hub.message(
    page,
    JSON.stringify({ type: "start", routine: "free", comfort: 10, screening, consent: true }),
  );
  const probe = () =>
    JSON.stringify({
      type: "probe",
      points: [{ u: 0.277, v: 0.532 }],
      confidence: 0.95,
      capturedAt: clock.now(),
      source: "camera",
    });
  for (let t = 0; t < 1500; t += 40) {
    hub.message(page, probe());
    await clock.run(40);
  }
  if (!(runner.lastFrame?.currentUa > 0)) throw new Error(`warm-up: no output (${runner.lastFrame?.limit})`);
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  };
  await settle();
  boundary = true;
  if (mode === "probe") {
    const before = writes;
    hub.message(page, probe());
    runner.tick();
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
      new URL(import.meta.url).pathname,
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
    if (!PROJECT.test(script.url) || PLATFORM.test(script.url) || !script.url.startsWith(`file://${ROOT}`)) {
      continue;
    }
    const file = script.url.slice(`file://${ROOT}`.length);
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

/** One hop: a project function and how many more calls the observation made to it. */
export interface Hop {
  file: string;
  name: string;
  calls: number;
}

/** Runs both child processes and returns the hops (`demo`: attach the demo's virtual probe, as with a simulated device). */
export async function countHops(options: { demo?: boolean } = {}): Promise<Hop[]> {
  const demo = options.demo ?? false;
  const [base, probe] = [await calls("base", demo), await calls("probe", demo)];
  return [...probe.values()]
    .map((f) => ({ file: f.file, name: f.name, calls: f.count - (base.get(f.key)?.count ?? 0) }))
    .filter((h) => h.calls > 0);
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    await child(Deno.args[1] as "base" | "probe", Deno.args[2] === "true");
  } else {
    const demo = Deno.args.includes("--demo");
    const hops = await countHops({ demo });
    if (Deno.args.includes("--list")) {
      for (const h of hops) console.log(`${h.file}  ${h.name}  ×${h.calls}`);
    }
    const callsMade = hops.reduce((n, h) => n + h.calls, 0);
    const modules = new Set(hops.map((h) => h.file)).size;
    console.log(
      `probe observation → device write${demo ? " (demo attached)" : ""}: ${hops.length} functions (hops), ` +
        `${callsMade} calls, ${modules} modules`,
    );
  }
}
