/** Every setting the kiosk and its plugin tool take from the environment: pure readers, one table (docs/kiosk.md, Settings). */
import { join } from "node:path";
import { CALL_TIMEOUT_RANGE_MS } from "./plugins/host.ts";
import { validatePin } from "./server/operator_auth.ts";
import { type Station, STATIONS } from "./server/page_message.ts";
import type { KioskOptions } from "./runtime.ts";
import { type CentralSetting, parseDatabaseUrl } from "./central/settings.ts";

/** The kiosk's data folder when DATA_DIR is unset. */
export const DEFAULT_DATA_DIR = "./data";

/**
 * The operator plugin folder when PLUGIN_DIR is unset: `<data folder>/plugins`. The one default, so the kiosk and
 * `deno task plugin` always look in the same folder.
 */
export function defaultPluginDir(dataDir: string = DEFAULT_DATA_DIR): string {
  return join(dataDir, "plugins");
}

/**
 * Which device the kiosk drives (DEVICE): `auto` real hardware when present, else the simulated SIM-1 with the
 * demo; `simulated` the simulated SIM-1 with the demo; `hardware` real USB only, never the demo;
 * `simulated:<plugin-id>` an approved driver plugin's own simulated device, with the demo.
 */
export type DeviceSetting = "auto" | "simulated" | "hardware" | `simulated:${string}`;

/** DEVICE taken apart: what to look for, and for a plugin's simulated device, which plugin. */
export type DeviceChoiceSetting =
  | { kind: "auto" }
  | { kind: "hardware" }
  | { kind: "simulated"; pluginId: string | null };

// The manifest's id rule (core/manifest): lowercase and dotted, vendor first.
const PLUGIN_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/** Takes a DEVICE value apart; throws a TypeError whose message names `what` and the bad value. */
export function parseDeviceSetting(value: unknown, what = "DEVICE"): DeviceChoiceSetting {
  if (value === "auto" || value === "hardware") return { kind: value };
  if (value === "simulated") return { kind: "simulated", pluginId: null };
  if (typeof value === "string" && value.startsWith("simulated:") && PLUGIN_ID.test(value.slice(10))) {
    return { kind: "simulated", pluginId: value.slice(10) };
  }
  throw new TypeError(
    `${what} must be auto, simulated, hardware or simulated:<plugin-id>, got ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

/** Every setting the kiosk takes from the environment, checked (docs/kiosk.md, Settings). */
export interface KioskConfig extends
  Required<
    Pick<
      KioskOptions,
      "hostname" | "port" | "dataDir" | "pluginDir" | "device" | "demoAutostart" | "minifyUi" | "station"
    >
  >,
  Pick<KioskOptions, "operatorPin" | "pluginCallTimeoutMs" | "sourceMap">,
  Required<Pick<KioskOptions, "central">> {
  /** Nice value for the kiosk's thread; 0 leaves it. */
  nice: number;
}

/** What `deno task plugin` takes from the environment, checked. */
export interface PluginToolConfig {
  /** The operator plugin folder, resolved against the working folder by the caller. */
  pluginDir: string;
  /** Reply watchdog of `plugin check`, ms. */
  checkCallTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

// Settings that were replaced: refused by name, so an old start script fails loudly instead of being ignored.
const REPLACED: Record<string, string> = {
  DEMO: "DEVICE=auto|simulated|hardware|simulated:<plugin-id> (docs/kiosk.md)",
  PREFER_HARDWARE: "DEVICE=auto|simulated|hardware|simulated:<plugin-id> (docs/kiosk.md)",
};

/** Typed readers over one environment; each message starts with `prefix` and names the variable and the value. */
function readers(env: Env, prefix: string) {
  const get = (name: string) => env[name] === "" ? undefined : env[name];
  const got = (name: string) => `, got ${JSON.stringify(env[name])}`;
  return {
    get,
    got,
    integer(name: string, min: number, max: number, fallback: number): number {
      const raw = get(name);
      if (raw === undefined) return fallback;
      const what = `${prefix}${name} must be an integer ${min}..${max}${got(name)}`;
      if (!/^-?[0-9]+$/.test(raw)) throw new TypeError(what);
      const n = Number(raw);
      if (n < min || n > max) throw new RangeError(what);
      return n;
    },
    flag(name: string): boolean | undefined {
      const raw = get(name);
      if (raw === undefined) return undefined;
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      throw new TypeError(`${prefix}${name} must be 1 or 0${got(name)}`);
    },
    folder(name: string): string | undefined {
      const raw = get(name);
      if (raw !== undefined && raw.includes("\0")) {
        throw new TypeError(`${prefix}${name} must be a folder path${got(name)}`);
      }
      return raw;
    },
    replaced(): void {
      for (const [name, by] of Object.entries(REPLACED)) {
        if (get(name) !== undefined) {
          throw new TypeError(`${prefix}${name} was replaced by ${by}${got(name)}`);
        }
      }
    },
  };
}

// DATA_DIR and PLUGIN_DIR the same way for the kiosk and the plugin tool.
function folders(r: ReturnType<typeof readers>): { dataDir: string; pluginDir: string } {
  const dataDir = r.folder("DATA_DIR") ?? DEFAULT_DATA_DIR;
  return { dataDir, pluginDir: r.folder("PLUGIN_DIR") ?? defaultPluginDir(dataDir) };
}

/**
 * Reads and checks every kiosk setting. Pure: it touches no file, port or device, so a bad value stops the start
 * before anything is written. An empty variable counts as unset. Throws a TypeError or RangeError whose message
 * names the variable and the bad value: `Cannot start kiosk: PORT must be an integer 0..65535, got "x"`.
 */
export function readKioskConfig(env: Env): KioskConfig {
  const prefix = "Cannot start kiosk: ";
  const r = readers(env, prefix);
  r.replaced();
  const hostname = r.get("HOST") ?? "127.0.0.1";
  if (!isHost(hostname)) {
    throw new TypeError(`${prefix}HOST must be an IP address or host name${r.got("HOST")}`);
  }
  const pin = r.get("OPERATOR_PIN");
  if (pin !== undefined) {
    try {
      validatePin(pin, "OPERATOR_PIN");
    } catch (error) {
      // validatePin names the length, never the digits: a mistyped PIN is still a secret.
      throw new TypeError(prefix + (error as Error).message);
    }
  }
  const station = r.get("STATION") ?? "home";
  if (!(STATIONS as readonly string[]).includes(station)) {
    throw new TypeError(`${prefix}STATION must be home or salon${r.got("STATION")}`);
  }
  const databaseUrl = r.get("DATABASE_URL");
  let central = null;
  if (databaseUrl !== undefined) {
    try {
      central = parseDatabaseUrl(databaseUrl);
    } catch (error) {
      throw new TypeError(prefix + (error as Error).message);
    }
  }
  const device = r.get("DEVICE") ?? "auto";
  try {
    parseDeviceSetting(device);
  } catch (error) {
    throw new TypeError(prefix + (error as Error).message);
  }
  return {
    hostname,
    port: r.integer("PORT", 0, 65535, 8000),
    ...folders(r),
    device: device as DeviceSetting,
    demoAutostart: r.flag("DEMO_AUTOSTART") ?? false,
    // A home mirror (a few local profiles) or a salon station (walk-ins by client code).
    station: station as Station,
    // Unset: a random PIN is made, printed once and written to DATA_DIR/operator-pin.
    operatorPin: pin,
    nice: r.integer("KIOSK_NICE", -20, 19, -10),
    // A driver plugin that does not answer within this is stopped, then restarted with backoff.
    pluginCallTimeoutMs: r.integer(
      "PLUGIN_CALL_TIMEOUT_MS",
      CALL_TIMEOUT_RANGE_MS.min,
      CALL_TIMEOUT_RANGE_MS.max,
      1000,
    ),
    minifyUi: !(r.flag("GLIDEPATH_NO_MINIFY") ?? false),
    // Development only: build and serve the page's source map.
    sourceMap: r.flag("SOURCE_MAP") ?? false,
    // Unset: no central store; the station keeps only its local records, exactly as a single mirror does.
    central,
  };
}

/**
 * Reads and checks the settings of `deno task plugin`: the same DATA_DIR and PLUGIN_DIR as the kiosk, and the
 * watchdog of `plugin check` (default 200 ms, a kiosk's reply budget). Throws like readKioskConfig.
 */
export function readPluginToolConfig(env: Env): PluginToolConfig {
  const r = readers(env, "Cannot run plugin command: ");
  const { min, max } = CALL_TIMEOUT_RANGE_MS;
  return {
    pluginDir: folders(r).pluginDir,
    checkCallTimeoutMs: r.integer("PLUGIN_CALL_TIMEOUT_MS", min, max, 200),
  };
}

/**
 * What `deno task central` (the administrator's tool) takes from the environment: CENTRAL_ADMIN_URL, a role that
 * may create roles and own the schema, checked like DATABASE_URL. Throws like readKioskConfig.
 */
export function readCentralToolConfig(env: Env): { admin: CentralSetting } {
  const prefix = "Cannot run central command: ";
  const raw = env.CENTRAL_ADMIN_URL === "" ? undefined : env.CENTRAL_ADMIN_URL;
  if (raw === undefined) {
    throw new TypeError(`${prefix}set CENTRAL_ADMIN_URL (postgres://admin:secret@host:5432/glidepath)`);
  }
  try {
    return { admin: parseDatabaseUrl(raw, "CENTRAL_ADMIN_URL") };
  } catch (error) {
    throw new TypeError(prefix + (error as Error).message);
  }
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
