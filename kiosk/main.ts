/** Entry of `deno task start`: checks every setting before touching anything, runs the kiosk, stops it with output 0. */
import os from "node:os";
import { type KioskOptions, startKiosk, StartRefusedError } from "./mod.ts";
import { CALL_TIMEOUT_RANGE_MS } from "./plugins/mod.ts";
import { validatePin } from "./server/mod.ts";
import { watchParents } from "./_parent_watch.ts";

/** Every setting the kiosk takes from the environment, checked (docs/kiosk.md, Environment). */
export interface KioskConfig
  extends
    Required<Pick<KioskOptions, "hostname" | "port" | "dataDir" | "demoAutostart" | "minifyUi">>,
    Pick<
      KioskOptions,
      "pluginDir" | "demo" | "preferHardware" | "operatorPin" | "pluginCallTimeoutMs" | "sourceMap"
    > {
  /** Nice value for the kiosk's thread; 0 leaves it. */
  nice: number;
}

const PREFIX = "Cannot start kiosk: ";
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Reads and checks every setting. Pure: it touches no file, port or device, so a bad value stops the start
 * before anything is written. An empty variable counts as unset. Throws a TypeError or RangeError whose
 * message names the variable and the bad value: `Cannot start kiosk: PORT must be an integer 0..65535, got "x"`.
 */
export function readKioskConfig(env: Readonly<Record<string, string | undefined>>): KioskConfig {
  const get = (name: string) => env[name] === "" ? undefined : env[name];
  const got = (name: string) => `, got ${JSON.stringify(env[name])}`;
  const integer = (name: string, min: number, max: number, fallback: number): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const what = `${PREFIX}${name} must be an integer ${min}..${max}${got(name)}`;
    if (!/^-?[0-9]+$/.test(raw)) throw new TypeError(what);
    const n = Number(raw);
    if (n < min || n > max) throw new RangeError(what);
    return n;
  };
  const flag = (name: string): boolean | undefined => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new TypeError(`${PREFIX}${name} must be 1 or 0${got(name)}`);
  };
  const folder = (name: string): string | undefined => {
    const raw = get(name);
    if (raw !== undefined && raw.includes("\0")) {
      throw new TypeError(`${PREFIX}${name} must be a folder path${got(name)}`);
    }
    return raw;
  };
  const hostname = get("HOST") ?? "127.0.0.1";
  if (!isHost(hostname)) {
    throw new TypeError(`${PREFIX}HOST must be an IP address or host name${got("HOST")}`);
  }
  const pin = get("OPERATOR_PIN");
  if (pin !== undefined) {
    try {
      validatePin(pin, "OPERATOR_PIN");
    } catch (error) {
      // validatePin names the length, never the digits: a mistyped PIN is still a secret.
      throw new TypeError(PREFIX + (error as Error).message);
    }
  }
  return {
    hostname,
    port: integer("PORT", 0, 65535, 8000),
    dataDir: folder("DATA_DIR") ?? "./data",
    pluginDir: folder("PLUGIN_DIR"),
    // Unset: demo exactly when the device is simulated. DEMO=1 asks for the simulated device; it is refused
    // (logged) if real hardware is forced with PREFER_HARDWARE=1.
    demo: flag("DEMO"),
    preferHardware: flag("PREFER_HARDWARE"),
    demoAutostart: flag("DEMO_AUTOSTART") ?? false,
    // Unset: a random PIN is made, printed once and written to DATA_DIR/operator-pin.
    operatorPin: pin,
    nice: integer("KIOSK_NICE", -20, 19, -10),
    // A driver plugin that does not answer within this is stopped, then restarted with backoff.
    pluginCallTimeoutMs: integer(
      "PLUGIN_CALL_TIMEOUT_MS",
      CALL_TIMEOUT_RANGE_MS.min,
      CALL_TIMEOUT_RANGE_MS.max,
      1000,
    ),
    minifyUi: !(flag("GLIDEPATH_NO_MINIFY") ?? false),
    // Development only: build and serve the page's source map.
    sourceMap: flag("SOURCE_MAP") ?? false,
  };
}

/** An IP address or a host name, without scheme, port or path; the URL parser decides, as the server's would. */
function isHost(host: string): boolean {
  try {
    // IPv6 is checked in brackets; an IPv4 or a name must come back unchanged (no port, no "1.2.3" shorthand).
    if (host.includes(":")) return new URL(`http://[${host}]/`).hostname !== "";
    return new URL(`http://${host}/`).hostname === host.toLowerCase() && HOST_NAME.test(host);
  } catch {
    return false;
  }
}

/** The grants the settings need: `deno task start` allows writes to ./data and the net on 127.0.0.1 only. */
function checkGrants(config: KioskConfig): void {
  if (Deno.permissions.querySync({ name: "write", path: config.dataDir }).state !== "granted") {
    throw new StartRefusedError(
      `${PREFIX}no write permission for DATA_DIR "${config.dataDir}"; add it to --allow-write`,
    );
  }
  const host = config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname;
  if (Deno.permissions.querySync({ name: "net", host }).state !== "granted") {
    throw new StartRefusedError(
      `${PREFIX}no net permission for HOST "${config.hostname}"; add it to --allow-net`,
    );
  }
}

/** One line on stderr, exit 2: a refused start is the operator's to fix, not a crash with a stack trace. */
function refuse(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  Deno.exit(2);
}

async function main(): Promise<void> {
  let config: KioskConfig;
  try {
    config = readKioskConfig(Deno.env.toObject());
    checkGrants(config);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof StartRefusedError) {
      refuse(error);
    }
    throw error;
  }

  // Listening from the first moment: a signal or a vanished parent during the start stops the kiosk as soon
  // as it is up, instead of killing it half-started or leaving it running.
  let stopping: string | null = null;
  let shutdown: ((reason: string) => Promise<void>) | null = null;
  const stop = (reason: string, why = "") => {
    if (stopping !== null) return;
    stopping = reason;
    console.log(`${reason}${why}: output to 0, shutting down`);
    if (shutdown) finish(shutdown, reason);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  await watchParents((why) => stop("parent-gone", ` (${why})`));

  const { nice, ...options } = config;
  let kiosk;
  try {
    kiosk = await startKiosk(options);
  } catch (error) {
    if (error instanceof StartRefusedError) refuse(error);
    throw error;
  }
  shutdown = kiosk.shutdown;
  if (stopping !== null) return finish(shutdown, stopping);

  // The 50 Hz tick shares this thread with HTTP and WS and the box with the camera page; a raised priority
  // keeps it on time (bench/scheduler_jitter.ts). Without the privilege the kiosk runs at normal priority.
  // Raised after start so the bundler and plugin processes spawned during start keep normal priority.
  let priorityNote = "";
  if (nice !== 0) {
    try {
      os.setPriority(nice);
      priorityNote = `, nice ${nice}`;
    } catch (error) {
      priorityNote = `, normal priority (nice ${nice} not permitted: ${(error as Error).message})`;
    }
  }
  console.log(`Glidepath kiosk listening on ${kiosk.url}${kiosk.demo ? " (demo mode)" : ""}${priorityNote}`);
}

function finish(shutdown: (reason: string) => Promise<void>, reason: string): void {
  shutdown(reason).then(
    () => {
      console.log(`stopped (${reason}): output 0, session record closed`);
      Deno.exit(0);
    },
    (error) => {
      console.error("shutdown failed:", error);
      Deno.exit(1);
    },
  );
}

if (import.meta.main) await main();
