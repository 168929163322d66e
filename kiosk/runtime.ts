/** Wires one kiosk process: store, engine, session runner, device sink, demo, page bundle and HTTP server. */
import { CONTRAINDICATIONS, createEngine } from "../core/engine/mod.ts";
import type { Routine } from "../core/routines/mod.ts";
import type { Clock } from "../core/sdk/mod.ts";
import { join } from "node:path";
import type { DeviceHost, DeviceHostOptions, UsbRegistryLike } from "./device/mod.ts";
import { chooseDevice, type DeviceChoice } from "./_device_choice.ts";
import { defaultPluginDir, type DeviceSetting, parseDeviceSetting } from "./config.ts";
import { createPluginHost, type PluginHost, validateCallTimeoutMs } from "./plugins/mod.ts";
import { loadCoreRoutines } from "./routines/mod.ts";
import { type AppOptions, createApp, generatePin, type Station, validatePin } from "./server/mod.ts";
import {
  attachDemo,
  attachRecords,
  createSessionRunner,
  type Demo,
  type OutputSink,
  type SessionRunner,
} from "./session/mod.ts";
import { openOutbox, openStore, type Store } from "./store/mod.ts";
import type { CentralSetting, Replicator, ReplicatorOptions } from "./central/mod.ts";
import type { ApprovalPull } from "./central/approval_pull.ts";
import {
  type DataDirLock,
  type EarlyServer,
  listenFirst,
  lockDataDir,
  StartRefusedError,
} from "./_start_guard.ts";
import denoJson from "../deno.json" with { type: "json" };

/** Options for startKiosk; main.ts fills them from the environment. */
export interface KioskOptions {
  /** Interface to bind. Default "127.0.0.1". */
  hostname?: string;
  /** Port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Data folder for the store. Default "./data". */
  dataDir?: string;
  /**
   * Which device (main.ts reads $DEVICE): "auto" real hardware when present, else the simulated SIM-1; "simulated"
   * the simulated SIM-1; "hardware" real USB only (a machine without USB refuses the start); "simulated:<plugin-id>"
   * an approved driver plugin's own simulated device. Default "auto".
   */
  device?: DeviceSetting;
  /**
   * Demo mode (the server's virtual probe, autostart, the page's photo demo). Only ever with a simulated device:
   * on a real one true is refused with a log line. false turns it off (tests). Default: on exactly when the
   * device is simulated.
   */
  demo?: boolean;
  /** Start the demo routine by itself and again after it ends normally (never over an aborted session). Default false. */
  demoAutostart?: boolean;
  /** Routine the demo runs. Default "express-lift". */
  demoRoutine?: string;
  /** Device side, instead of the one `device` picks. Default: a DeviceHost on the device `device` picks. */
  sink?: OutputSink;
  /** Whether `sink` is a simulated device (demo allowed). Default false: a custom sink counts as real. */
  sinkSimulated?: boolean;
  /**
   * A USB registry whose devices approved driver plugins may drive (`pluginHost.driverFor(device)`), e.g. a
   * plugin's simulated device with faults injected by a test. Default: real USB, unless `device` is simulated.
   */
  usb?: UsbRegistryLike;
  /** `usb` holds simulated devices (demo allowed). Default false. */
  usbSimulated?: boolean;
  /** Options for the device host (e.g. a longer telemetry timeout in tests on a loaded box). Default none. */
  deviceHost?: DeviceHostOptions;
  /** Routines. Default: from the enabled routine plugins (plugin host), else the core routine file. */
  routines?: Routine[];
  /** Operator plugin folder. Default: <dataDir>/plugins (kiosk/config.ts defaultPluginDir; main.ts passes $PLUGIN_DIR). */
  pluginDir?: string;
  /**
   * Reply watchdog for sandboxed driver plugins, ms (20..10000): a call not answered in time stops the plugin,
   * which is then restarted with backoff (main.ts reads $PLUGIN_CALL_TIMEOUT_MS). Default 1000.
   */
  pluginCallTimeoutMs?: number;
  /** Bundle the page before serving. Default true. */
  buildUi?: boolean;
  /** Minify the page bundle. Default true (main.ts: false with GLIDEPATH_NO_MINIFY=1, for profiling). */
  minifyUi?: boolean;
  /** Build and serve the page's source map (/app.js.map), for development; main.ts reads $SOURCE_MAP. Default false. */
  sourceMap?: boolean;
  /** Scheduler busy-wait (ms) before each tick. Default 2. */
  spinMs?: number;
  /**
   * Clock of the session runner's ticks and stamps and of the demo's pace (a tool steps a manual one, with
   * `spinMs: 0`). Default: the real clock.
   */
  clock?: Clock;
  /** Send every Nth frame to pages. Default 1. */
  frameEvery?: number;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
  /** What the kiosk is (main.ts reads $STATION): "home" (local profiles) or "salon" (walk-ins by code). Default "home". */
  station?: Station;
  /**
   * Operator PIN (4..12 digits; main.ts reads $OPERATOR_PIN). Default: a random 6-digit PIN made at start,
   * logged once and written to <dataDir>/operator-pin (mode 0600).
   */
  operatorPin?: string;
  /**
   * The central store (main.ts: $DATABASE_URL, checked by parseDatabaseUrl): records are queued in the local store
   * and shipped by a replicator. null or unset: none, the local store only. Default null.
   */
  central?: CentralSetting | null;
  /** Whose records a page socket may read (WsHubOptions.profileOf). Default: the socket's selected profile. */
  profileOf?: AppOptions["profileOf"];
  /**
   * Replicator timing (tests and benches), and the pause between pulls of the chain's plugin approvals
   * (`approvalsIntervalMs`). Default: the replicator's and the pull's defaults (approvals every 10 s).
   */
  centralOptions?:
    & Pick<
      ReplicatorOptions,
      "intervalMs" | "batchSize" | "timeoutMs" | "maxBackoffMs" | "heartbeatMs"
    >
    & { approvalsIntervalMs?: number };
}

/** A running kiosk. */
export interface Kiosk {
  /** The page URL, e.g. http://127.0.0.1:8000/. */
  readonly url: string;
  readonly port: number;
  readonly runner: SessionRunner;
  readonly store: Store;
  readonly demo: Demo | undefined;
  /** The central store's replicator, when one is configured. */
  readonly replicator: Replicator | undefined;
  /** Output to 0 first, then closes sockets, server, store. Safe to call twice. */
  shutdown(reason?: string): Promise<void>;
}

/**
 * Starts a kiosk and resolves once it listens. The port is bound and the data folder locked before anything is
 * written (bundle, store, PIN file): a start whose port or data folder is taken throws StartRefusedError.
 */
export async function startKiosk(options: KioskOptions = {}): Promise<Kiosk> {
  // Checked before the port is bound or anything is built, opened or written.
  validateCallTimeoutMs(options.pluginCallTimeoutMs ?? 1000, "Cannot start kiosk: pluginCallTimeoutMs");
  parseDeviceSetting(options.device ?? "auto", "Cannot start kiosk: device");
  const controller = new AbortController();
  let early: EarlyServer | undefined;
  let lock: DataDirLock | undefined;
  try {
    early = await listenFirst(options.hostname ?? "127.0.0.1", options.port ?? 8000, controller.signal);
    lock = lockDataDir(options.dataDir ?? "./data");
    return await startLocked(options, { controller, early, lock });
  } catch (error) {
    controller.abort();
    await early?.finished;
    lock?.release();
    throw error;
  }
}

/** The rest of the start, once the port and the data folder are this kiosk's. */
async function startLocked(
  options: KioskOptions,
  { controller, early, lock }: { controller: AbortController; early: EarlyServer; lock: DataDirLock },
): Promise<Kiosk> {
  const log = options.log ?? ((line: string) => console.log(line));
  const version = denoJson.version;
  const callTimeoutMs = options.pluginCallTimeoutMs ?? 1000;
  const hostname = options.hostname ?? "127.0.0.1";
  const dataDir = options.dataDir ?? "./data";
  const plugins = await openPlugins(options.pluginDir ?? defaultPluginDir(dataDir), callTimeoutMs, log);
  // Chosen before anything is built or written: a DEVICE this machine cannot honour refuses the start.
  let device: DeviceChoice | undefined;
  if (!options.sink) {
    try {
      device = await chooseDevice({
        setting: parseDeviceSetting(options.device ?? "auto"),
        plugins,
        usb: options.usb,
        usbSimulated: options.usbSimulated,
        host: options.deviceHost,
        log,
      });
    } catch (error) {
      await plugins?.dispose();
      throw error;
    }
  }
  if (options.buildUi ?? true) {
    // The bundler's helper process is stopped right after: the page is built once per start.
    const { buildPage, stopBundler } = await import("./ui/build.ts");
    const built = await buildPage({ minify: options.minifyUi, sourceMap: options.sourceMap }).finally(
      stopBundler,
    );
    log(`page bundled: ${built.outFile} (${(built.bytes / 1024).toFixed(0)} KiB, ${built.ms.toFixed(0)} ms)`);
  }
  // The CA file is read before anything is written: a missing one refuses the start.
  const centralCa = readCentralCa(options.central ?? null);
  const store = openStore(dataDir);
  const operatorPin = resolveOperatorPin(options.operatorPin, dataDir, log);
  const routines = options.routines ?? await loadRoutines(plugins, log);
  const engine = createEngine({ routines });

  const host: DeviceHost | undefined = device?.host;
  const sink = options.sink ?? host!;
  const simulated = device ? device.kind === "simulated" : options.sinkSimulated ?? false;
  const runner = createSessionRunner(engine, { sink, spinMs: options.spinMs ?? 2, clock: options.clock });
  // A driver plugin that fails: output to 0 now (the device host latches its own fault too); /api/health
  // shows the plugin as failed with the reason; the kiosk keeps running.
  plugins?.onFailure(({ id, reason }) => {
    log(`plugins: ${id} failed: ${reason}; output 0 until an operator reset`);
    try {
      runner.submit({ type: "fault", source: `plugin:${id}`, reason }, "device");
    } catch (error) {
      log(`plugins: fault for ${id} not applied: ${error instanceof Error ? error.message : error}`);
    }
  });
  // Closes sessions a crash left open; a record write that fails from now on latches a fault (output 0).
  const records = attachRecords(runner, store, { logDir: join(dataDir, "sessions"), log });
  const recorder = records.recorder;
  host?.start();

  // The demo never drives real hardware: a virtual probe on a person's face would deliver real current.
  if (options.demo === true && !simulated) {
    log("demo: refused: the device is real hardware, and the demo runs only on a simulated device");
  }
  const demoOn = simulated && (options.demo ?? true);
  // With a device host the (simulated) skin reports contact; without one the demo reports it itself.
  const demo = demoOn
    ? attachDemo(runner, { glideMs: 2000, contact: host === undefined, clock: options.clock })
    : undefined;
  const demoRoutine = options.demoRoutine ?? "express-lift";
  const canAutostart = engine.routine(demoRoutine) !== undefined;
  if (demo && (options.demoAutostart ?? false) && !canAutostart) {
    log(`demo: routine "${demoRoutine}" is not loaded; autostart is off`);
  }
  if (demo && (options.demoAutostart ?? false) && canAutostart) {
    attachAutostart(runner, demoRoutine);
  }

  // Set once the server listens (below); the desk asks it for client histories from then on.
  let replicator: Replicator | undefined = undefined;
  const app = createApp({
    runner,
    sink,
    store,
    recorder,
    demo,
    version,
    routines: routines.map((r) => ({ id: r.id, name: r.name, steps: r.steps.length }))
      .concat([{ id: "free", name: "Free (manual)", steps: 0 }]),
    health: () => ({
      plugins: plugins?.health() ?? null,
      store: records.health(),
      central: central?.replicator.health() ?? null,
      pluginApprovals: central?.approvals?.health() ?? null,
    }),
    demoAllowed: simulated,
    operatorPin,
    onOperatorRecovery: (code) => writeRecoveryCode(code, dataDir, log),
    hostNames: [hostname],
    sourceMap: options.sourceMap ?? false,
    station: options.station ?? "home",
    profileOf: options.profileOf,
    // The replicator starts after the server; a code entered before that is simply not pulled.
    centralHistory: options.central
      ? (code) => replicator?.clientHistory(code) ?? Promise.reject(new Error("not connected yet"))
      : undefined,
    log,
    frameEvery: options.frameEvery,
    signal: controller.signal,
  });

  early.serve(app);
  const addr = early.addr;
  runner.start();
  const central = await startCentral(options, store, { ca: centralCa, runner, sink, records, plugins, log });
  replicator = central?.replicator;
  const url = `http://${addr.hostname}:${addr.port}/`;

  let done: Promise<void> | null = null;
  return {
    url,
    port: addr.port,
    runner,
    store,
    demo,
    get replicator() {
      return replicator;
    },
    shutdown(reason = "shutdown") {
      done ??= (async () => {
        // Output to 0 before anything else: the runner sends a zero frame and stops ticking (the demo's input
        // stops first, so nothing submits to a disposed runner).
        demo?.dispose();
        await runner.dispose();
        records.close(reason);
        try {
          store.audit({ at: Date.now(), action: "shutdown", actor: "runtime", detail: { reason } });
        } catch (error) {
          // A failing store must not keep the server and plugins running; output is already 0.
          log(`records: shutdown not audited: ${error instanceof Error ? error.message : error}`);
        }
        // One last contact ships the session's end and the shutdown row when the central store is there.
        await central?.approvals?.stop();
        await replicator?.stop({ flushMs: 2000 });
        controller.abort();
        await early.finished;
        await plugins?.dispose();
        await device?.dispose();
        store.dispose();
        lock.release();
      })();
      return done;
    },
  };
}

/**
 * Starts the demo routine whenever the kiosk is idle or the last session ended normally. Never over a
 * session that was aborted (a contraindicated user), is being screened, or ended by its 20-minute limit.
 * Never under a latched stop, and after one not until a person has started a session: an operator reset
 * must not restart output by itself.
 */
function attachAutostart(runner: SessionRunner, routine: string) {
  const screening = Object.fromEntries(CONTRAINDICATIONS.map((k) => [k, false]));
  let tried = false;
  let stopped = false;
  runner.observe({
    event(event, { source }) {
      if (event.type === "start" && source !== "demo") stopped = false;
    },
    frame(frame) {
      if (frame.limit === "estop" || frame.limit === "device-fault") stopped = true;
      const restartable = !stopped &&
        (frame.state === "idle" || (frame.state === "ended" && frame.limit === "ended"));
      if (!restartable) return void (tried = false);
      if (tried) return; // one attempt per idle spell: a refused start is not retried 50 times a second
      tried = true;
      runner.submit({ type: "start", routine, comfort: 5, screening }, {
        source: "demo",
        consent: { given: true, by: "demo" },
      });
    },
  });
}

/** The given PIN, or a fresh random one logged once and written to <dataDir>/operator-pin (0600). */
function resolveOperatorPin(given: string | undefined, dataDir: string, log: (line: string) => void): string {
  if (given !== undefined) return validatePin(given);
  const pin = generatePin();
  const file = join(dataDir, "operator-pin");
  Deno.mkdirSync(dataDir, { recursive: true });
  // Created 0600 and chmod-ed again in case the file already existed with wider permissions.
  Deno.writeTextFileSync(file, pin + "\n", { mode: 0o600 });
  Deno.chmodSync(file, 0o600);
  log(`operator PIN for this run: ${pin} (also in ${file}; set OPERATOR_PIN to choose one)`);
  return pin;
}

/**
 * The recovery code of a global PIN lock goes where only the operator can read it: the kiosk's terminal and
 * <dataDir>/operator-recovery (0600); never a page, never the audit log.
 */
function writeRecoveryCode(code: string, dataDir: string, log: (line: string) => void): void {
  const file = join(dataDir, "operator-recovery");
  try {
    Deno.writeTextFileSync(file, code + "\n", { mode: 0o600 });
    Deno.chmodSync(file, 0o600);
  } catch (error) {
    log(`operator recovery code not written to ${file}: ${error instanceof Error ? error.message : error}`);
  }
  log(
    `operator PIN locked after repeated wrong PINs; until the lock ends only this recovery code unlocks: ${code}`,
  );
}

async function openPlugins(
  operatorDir: string,
  callTimeoutMs: number,
  log: (line: string) => void,
): Promise<PluginHost | null> {
  try {
    return await createPluginHost({
      operatorDir,
      sandbox: { callTimeoutMs },
      log: (line) => log(`plugins: ${line}`),
    });
  } catch (error) {
    // The kiosk runs without third-party plugins rather than not at all.
    log(`plugins: host unavailable (${error instanceof Error ? error.message : error}); core routines only`);
    return null;
  }
}

async function loadRoutines(plugins: PluginHost | null, log: (line: string) => void): Promise<Routine[]> {
  if (!plugins) return await loadCoreRoutines();
  const { routines, errors } = await plugins.loadRoutines();
  for (const e of errors) log(`plugins: routine plugin ${e.id} skipped: ${e.reason}`);
  return routines;
}

/** The CA certificate the central store's TLS must chain to (its sslrootcert), read at start. */
function readCentralCa(central: CentralSetting | null): string | undefined {
  if (!central?.sslrootcert) return undefined;
  try {
    return Deno.readTextFileSync(central.sslrootcert);
  } catch (error) {
    throw new StartRefusedError(
      `Cannot start kiosk: DATABASE_URL sslrootcert "${central.sslrootcert}" cannot be read (${
        error instanceof Error ? error.message : error
      })`,
    );
  }
}

/**
 * With a central store: the replicator, reporting the station's state with each contact, and the pull of the chain's
 * plugin approvals over its connection. Without one: queuing is switched off (a station that had one before stops
 * queuing; what was queued waits for the next time).
 */
async function startCentral(
  options: KioskOptions,
  store: Store,
  { ca, runner, sink, records, plugins, log }: {
    ca: string | undefined;
    runner: SessionRunner;
    sink: OutputSink;
    records: { health(): { state: string } };
    plugins: PluginHost | null;
    log: (line: string) => void;
  },
): Promise<{ replicator: Replicator; approvals: ApprovalPull | null } | undefined> {
  if (!options.central) {
    const outbox = openOutbox(store.path);
    if (outbox.enabled) {
      outbox.disable();
      log(
        `central: no DATABASE_URL; records are no longer queued (${outbox.stats().pending} wait in the outbox)`,
      );
    }
    outbox.dispose();
    return undefined;
  }
  // Loaded only by a station with a central store: a single mirror never loads the PostgreSQL client.
  const { startReplicator, DEFAULT_HEARTBEAT_MS } = await import("./central/replicator.ts");
  const { startApprovalPull } = await import("./central/approval_pull.ts");
  const { describeStation } = await import("./central/station_status.ts");
  const { approvalsIntervalMs, ...timing } = options.centralOptions ?? {};
  const heartbeatMs = timing.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  // The staff dashboard's view of this station: small and bounded whatever the sink reports (station_status.ts).
  let replicator: Replicator | undefined = undefined;
  replicator = startReplicator(store.path, options.central, {
    ...timing,
    ca,
    log,
    status: () => {
      const outbox = replicator?.health();
      return describeStation({
        state: runner.state,
        limit: runner.lastFrame?.limit ?? null,
        device: sink.status(),
        store: records.health(),
        outbox: outbox ? { pending: outbox.pending, lagMs: outbox.lagMs, parked: outbox.parked } : null,
        heartbeatMs,
      });
    },
  });
  const approvals = plugins
    ? startApprovalPull(replicator, plugins, store, { intervalMs: approvalsIntervalMs, log })
    : null;
  return { replicator, approvals };
}
