/** A driver plugin's own simulated device as the kiosk's device (DEVICE=simulated:<plugin-id>), its clock on the wall clock. */
import type {
  CreateSimulatedDevice,
  RemoteSimulatedDevice,
  SimulatedDevice,
  UsbDeviceLike,
} from "../../core/sdk/mod.ts";
import type { PluginManifest } from "../../core/manifest/mod.ts";
import { PluginProcess, type PluginProcessOptions } from "./sandbox.ts";
import { sandboxedSimulator } from "./sandboxed_simulator.ts";

/** A plugin's simulated device, plugged into a registry of its own for the device host. */
export interface PluginSimulator {
  /** The registry holding the one simulated device (what the kiosk's device host opens). */
  readonly usb: { getDevices(): Promise<UsbDeviceLike[]> };
  /** The firmware's output current, µA (the sandboxed one: as of its last step). */
  readonly outputUa: number;
  /** Stops the clock and the device (and its sandbox). Safe to call twice. */
  dispose(): Promise<void>;
}

/** Options for startPluginSimulator. */
export interface PluginSimulatorOptions {
  /** First-party (trusted) plugins run their simulator in this process; others in a sandbox. Default false. */
  firstParty?: boolean;
  /** Sandbox settings (heap, watchdog); the simulator gets no permissions, as in `plugin check`. Default none. */
  sandbox?: Omit<PluginProcessOptions, "permissions" | "pluginDir" | "simulatorEntry">;
  /** How often the firmware clock is moved to the wall clock, ms. Default 10. */
  stepMs?: number;
  /** Log lines (a sandbox that stops). Default console.error. */
  log?: (line: string) => void;
}

/**
 * Starts the simulator module a plugin names in plugin.json ("simulator"): vendor code, so an operator plugin's
 * runs in a sandbox of its own with no permissions (its driver runs in another, so a restarted driver finds the
 * device as it was, like real hardware). The skin is in firm contact from the start, like the simulated SIM-1's.
 */
export async function startPluginSimulator(
  manifest: PluginManifest,
  dir: string,
  options: PluginSimulatorOptions = {},
): Promise<PluginSimulator> {
  if (!manifest.simulator) {
    throw new TypeError(`Plugin "${manifest.id}" names no simulated device (plugin.json "simulator")`);
  }
  const log = options.log ?? ((line: string) => console.error(line));
  const simulatorEntry = new URL(`file://${dir}/${manifest.simulator}`);
  let proc: PluginProcess | null = null;
  let sim: SimulatedDevice | RemoteSimulatedDevice;
  if (options.firstParty) {
    const create = (await import(simulatorEntry.href)).createSimulatedDevice as CreateSimulatedDevice;
    if (typeof create !== "function") {
      throw new TypeError(`${manifest.simulator} exports no createSimulatedDevice`);
    }
    sim = create();
  } else {
    const entry = new URL(`file://${dir}/${manifest.entry}`);
    const sandboxed = new PluginProcess(manifest.id, entry, {
      ...options.sandbox,
      pluginDir: dir,
      simulatorEntry,
    });
    proc = sandboxed;
    try {
      sim = await sandboxedSimulator(sandboxed)();
    } catch (error) {
      await sandboxed.dispose();
      throw error;
    }
  }
  await sim.setContact(true);

  // The firmware's clock follows the wall clock in steps; one step at a time, however slow the sandbox.
  let last = performance.now();
  let stepping = false;
  let stopped = false;
  const step = async () => {
    const ms = Math.floor(performance.now() - last);
    if (stepping || stopped || ms <= 0) return;
    stepping = true;
    last += ms;
    try {
      await sim.advance(ms);
    } catch (error) {
      if (!stopped) log(`device: simulator of ${manifest.id} stopped: ${(error as Error).message}`);
      stop();
    } finally {
      stepping = false;
    }
  };
  const timer = setInterval(step, options.stepMs ?? 10);
  function stop() {
    stopped = true;
    clearInterval(timer);
  }
  let disposed: Promise<void> | null = null;
  return {
    usb: { getDevices: () => Promise.resolve(stopped ? [] : [sim.device]) },
    get outputUa() {
      return sim.outputUa;
    },
    dispose() {
      disposed ??= (async () => {
        stop();
        try {
          await sim.dispose();
        } catch { /* its sandbox is already gone */ }
        await proc?.dispose();
      })();
      return disposed;
    },
  };
}
