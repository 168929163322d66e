/** One fault-matrix run: a real kiosk (startKiosk) on a simulated device, a real page socket, and what to measure. */
import type { EngineFrame } from "../../core/engine/types.ts";
import { type Kiosk, startKiosk } from "../../kiosk/mod.ts";
import type { UsbRegistryLike } from "../../kiosk/device/mod.ts";
import { SimUsb, SimUsbDevice } from "../../plugins/sim-binary/mod.ts";
import { join } from "node:path";
import { NO_CONTRAINDICATIONS, openPage, type Page } from "./_page.ts";

/** A frame as the harness saw it leave the runner, stamped with performance.now(). */
export interface SeenFrame {
  at: number;
  ua: number;
  limit: string;
  state: string;
}

/** A sample of what the simulated device's output stage delivers. */
export interface DeviceSample {
  at: number;
  ua: number;
}

/** The device behind the kiosk: its registry, a way to read its output, and a per-ms clock hook if it needs one. */
export interface RigDevice {
  usb: UsbRegistryLike;
  /** µA the device's output stage delivers now (on its own clock). */
  outputUa(): number;
  /** Moves the device's own clock to performance.now() (devices whose firmware does not follow it by itself). */
  tick?(): void;
  dispose?(): void;
}

/** A SIM-1 on the wall clock in a simulated registry. */
export function sim1Device(): RigDevice & { registry: SimUsb; device: SimUsbDevice } {
  const registry = new SimUsb();
  const device = new SimUsbDevice({ firmware: { noiseUa: 0.3 } });
  registry.plug(device);
  return {
    usb: registry,
    registry,
    device,
    outputUa() {
      device.firmware.advance(Math.max(performance.now(), device.firmware.state.nowMs));
      return device.firmware.state.outputUa;
    },
    dispose: () => device.dispose(),
  };
}

/** Options for startRig. */
export interface RigOptions {
  device: RigDevice;
  /** Operator plugin folder (driver plugins approved in it). Default: an empty temporary folder. */
  pluginDir?: string;
}

/** A kiosk with a page in a running session, and everything the harness records about it. */
export interface Rig {
  kiosk: Kiosk;
  page: Page;
  dataDir: string;
  device: RigDevice;
  frames: SeenFrame[];
  samples: DeviceSample[];
  log: string[];
  /** Resolves with the first frame at or above `ua` (rejects after `guardMs`: a guard, not a measurement). */
  frameAtLeast(ua: number, guardMs?: number): Promise<SeenFrame>;
  /** Waits `ms` of wall time while the kiosk runs. */
  wait(ms: number): Promise<void>;
  /** Shuts the kiosk down (output 0, record closed), then closes the page and the device. */
  stop(): Promise<void>;
  /** Removes the rig's temporary folders (after the record was read). */
  remove(): Promise<void>;
}

const OPERATOR_PIN = "7391";

/** Starts the kiosk on `device`, opens a page, starts a free session with consent and sends cheek probes. */
export async function startRig(options: RigOptions): Promise<Rig> {
  const dataDir = await Deno.makeTempDir({ prefix: "gp-faults-" });
  const device = options.device;
  const log: string[] = [];
  const frames: SeenFrame[] = [];
  const samples: DeviceSample[] = [];
  const kiosk: Kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    device: "simulated",
    dataDir,
    usb: device.usb,
    usbSimulated: true,
    pluginDir: options.pluginDir ?? join(dataDir, "plugins"),
    operatorPin: OPERATOR_PIN,
    log: (line) => void log.push(line),
  });
  // Sampled every 5 ms: a device zero is placed within 5 ms.
  const sampler = setInterval(() => {
    device.tick?.();
    samples.push({ at: performance.now(), ua: device.outputUa() });
  }, 5);
  const waiters = new Set<(f: SeenFrame) => void>();
  kiosk.runner.observe({
    frame(f: EngineFrame) {
      const seen = { at: performance.now(), ua: f.currentUa, limit: f.limit, state: f.state };
      frames.push(seen);
      for (const w of waiters) w(seen);
    },
  });
  const page = await openPage(kiosk.url);
  page.send({ type: "start", routine: "free", comfort: 10, screening: NO_CONTRAINDICATIONS, consent: true });
  page.startProbes();
  let stopped = false;
  return {
    kiosk,
    page,
    dataDir,
    device,
    frames,
    samples,
    log,
    frameAtLeast(ua, guardMs = 10_000) {
      const hit = frames.find((f) => f.ua >= ua);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const guard = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no frame reached ${ua} µA within ${guardMs} ms; kiosk log:\n${log.join("\n")}`));
        }, guardMs);
        const check = (f: SeenFrame) => {
          if (f.ua < ua) return;
          clearTimeout(guard);
          waiters.delete(check);
          resolve(f);
        };
        waiters.add(check);
      });
    },
    wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(sampler);
      await kiosk.shutdown("fault-matrix");
      await page.close();
      device.dispose?.();
    },
    async remove() {
      await Deno.remove(dataDir, { recursive: true });
      if (options.pluginDir) await Deno.remove(options.pluginDir, { recursive: true });
    },
  };
}
