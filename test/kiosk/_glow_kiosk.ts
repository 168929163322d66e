/** Test fixture: a kiosk whose USB holds the Acme Glow's simulated device, with the Glow plugin in its PLUGIN_DIR. */
import { type Kiosk, type KioskOptions, startKiosk } from "../../kiosk/mod.ts";
import { createSimulatedDevice } from "../../examples/acme-glow/simulator.ts";
import { CHEEK, NO } from "./_fixtures.ts";

/**
 * Starts the kiosk on `pluginDir` (install and approve the plugin first). `live` (default true): the device
 * has skin contact and its firmware clock runs every 20 ms. `kiosk` adds or overrides start options.
 * Log lines are collected in `lines`; `close` shuts everything down.
 */
export async function startGlowKiosk(
  pluginDir: string,
  options: { live?: boolean; kiosk?: KioskOptions } = {},
) {
  const sim = createSimulatedDevice();
  let firmware: ReturnType<typeof setInterval> | undefined;
  if (options.live ?? true) {
    sim.setContact(true, 5000);
    firmware = setInterval(() => sim.advance(20), 20);
  }
  const lines: string[] = [];
  const kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    dataDir: await Deno.makeTempDir({ prefix: "gp-glow-kiosk-" }),
    pluginDir,
    usb: { getDevices: () => Promise.resolve([sim.device]) },
    usbSimulated: true,
    log: (l) => void lines.push(l),
    ...options.kiosk,
  }).catch((error) => {
    clearInterval(firmware);
    sim.dispose();
    throw error;
  });
  const close = async () => {
    clearInterval(firmware);
    await kiosk.shutdown();
    sim.dispose();
  };
  return { kiosk, sim, lines, close };
}

/** Runs a free session on the cheek until `until(frame)` or 8 s (a guard, not a timing check). */
export async function runCheekSession(
  kiosk: Kiosk,
  until: (ua: number, limit: string) => boolean,
): Promise<void> {
  kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: NO }, "operator");
  const done = Promise.withResolvers<void>();
  const guard = setTimeout(() => done.reject(new Error("session guard time passed")), 8000);
  const probes = setInterval(() => {
    kiosk.runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 }, "page");
  }, 20);
  const off = kiosk.runner.observe({ frame: (f) => void (until(f.currentUa, f.limit) && done.resolve()) });
  try {
    await done.promise;
  } finally {
    clearTimeout(guard);
    clearInterval(probes);
    off();
  }
}
