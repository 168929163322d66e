/** plugin.json: the manifest schema, its validation (defaults filled, errors name the field) and apiVersion compatibility. */
import { isSemVer, parseRange, satisfies } from "./semver.ts";

/** What a plugin provides. */
export type PluginKind = "device-driver" | "routine" | "probe-locator";

/** Every kind this SDK knows. */
export const PLUGIN_KINDS: readonly PluginKind[] = ["device-driver", "routine", "probe-locator"];

/**
 * Deno permissions a plugin asks for; each maps to one `--allow-NAME=a,b` flag for its
 * subprocess, only after an operator approved them. Paths are relative to the plugin folder
 * and may not leave it. `run`, `ffi`, `sys` and blanket (unlisted) grants are never offered.
 */
export interface PluginPermissions {
  read?: string[];
  write?: string[];
  /** Host names with optional port, e.g. "api.example.com:443". */
  net?: string[];
  /** Environment variable names. */
  env?: string[];
}

/** The permission names a manifest may ask for. */
export const PERMISSION_NAMES = ["read", "write", "net", "env"] as const;

/** USB filter as written in plugin.json (numbers, or "0x…" strings normalized to numbers). */
export interface ManifestUsbFilter {
  vendorId: number;
  productId?: number;
  classCode?: number;
}

/** What a device driver's hardware can do. */
export interface PluginCapabilities {
  /** The device can deliver net-DC (single-polarity) output; the engine still needs the operator to enable it. */
  netDc: boolean;
  /** The device reports skin contact. */
  contactSensing: boolean;
  /** Telemetry messages per second the device sends (≥ 20). */
  telemetryHz: number;
}

/** Limits the driver declares for its hardware (the engine takes the lowest of these and its own). */
export interface PluginLimits {
  /** Highest output current the hardware supports, in µA (≤ 500, the hard ceiling). */
  maxCurrentUa: number;
  /** Highest slew the device follows, in µA/s. */
  maxSlewUaPerS: number;
}

/** A validated plugin.json with every default filled. */
export interface PluginManifest {
  /** Stable id: lowercase, dotted, vendor first, e.g. "acme.pulse-driver". */
  id: string;
  name: string;
  /** Plugin version (semver). */
  version: string;
  /** Semver range of SDK API versions the plugin works with, e.g. "^1.0.0". */
  apiVersion: string;
  kinds: PluginKind[];
  /** Entry module (code kinds) or routine JSON file (routine-only plugins), relative to the folder. */
  entry: string;
  /** JSON file of routines (for kind "routine"), relative to the folder; null when none. */
  routines: string | null;
  /** Module exporting createSimulatedDevice() for the conformance kit and the demo; null when none. */
  simulator: string | null;
  description: string;
  author: string;
  license: string;
  permissions: PluginPermissions;
  usb: { filters: ManifestUsbFilter[] };
  capabilities: PluginCapabilities;
  limits: PluginLimits;
}

/** Options for validateManifest. */
export interface ValidateManifestOptions {
  /** Prefix naming the source in error messages. Default "plugin.json". */
  where?: string;
}

const HARD_CEILING_UA = 500;
const ID_RE = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
const KNOWN_FIELDS = new Set([
  "id",
  "name",
  "version",
  "apiVersion",
  "kinds",
  "entry",
  "routines",
  "simulator",
  "description",
  "author",
  "license",
  "permissions",
  "usb",
  "capabilities",
  "limits",
  "$schema",
]);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Validates untrusted plugin.json content and returns a new manifest with defaults filled. */
export function validateManifest(json: unknown, options: ValidateManifestOptions = {}): PluginManifest {
  const where = options.where ?? "plugin.json";
  const fail = (field: string, why: string, got?: unknown): never => {
    const shown = got === undefined ? "" : `, got ${JSON.stringify(got) ?? String(got)}`;
    throw new TypeError(`${where}: "${field}" ${why}${shown}`);
  };
  if (!isRecord(json)) throw new TypeError(`${where}: must be a JSON object`);
  for (const key of Object.keys(json)) if (!KNOWN_FIELDS.has(key)) fail(key, "is not a known field");

  const str = (field: string, opt?: { required?: boolean; fallback?: string; max?: number }): string => {
    const value = json[field];
    if ((value === undefined || value === "") && !opt?.required) return opt?.fallback ?? "";
    if (typeof value !== "string" || value.trim() === "") {
      return fail(field, "must be a non-empty string", value);
    }
    if (value.length > (opt?.max ?? 200)) fail(field, `must be at most ${opt?.max ?? 200} characters`);
    return value;
  };
  const id = str("id", { required: true, max: 100 });
  if (!ID_RE.test(id)) fail("id", 'must be lowercase and dotted, vendor first (e.g. "acme.pulse")', id);
  const name = str("name", { required: true, max: 100 });
  const version = str("version", { required: true, max: 100 });
  if (!isSemVer(version)) fail("version", "must be semver", version);
  const apiVersion = str("apiVersion", { required: true, max: 100 });
  try {
    parseRange(apiVersion);
  } catch {
    fail("apiVersion", "must be a semver range", apiVersion);
  }

  const kindsRaw = json.kinds;
  if (!Array.isArray(kindsRaw) || kindsRaw.length === 0) fail("kinds", "must be a non-empty array", kindsRaw);
  const kinds: PluginKind[] = [];
  (kindsRaw as unknown[]).forEach((k, i) => {
    if (!PLUGIN_KINDS.includes(k as PluginKind)) {
      fail(`kinds[${i}]`, `must be one of ${PLUGIN_KINDS.join(", ")}`, k);
    }
    if (kinds.includes(k as PluginKind)) fail(`kinds[${i}]`, "is listed twice", k);
    kinds.push(k as PluginKind);
  });

  const relPath = (field: string, value: string): string => {
    if (
      value.startsWith("/") || /^[a-zA-Z]:/.test(value) || value.split(/[\\/]/).includes("..") ||
      value.includes(":")
    ) {
      fail(field, "must be a path inside the plugin folder", value);
    }
    return value.startsWith("./") ? value : `./${value}`;
  };
  const entry = relPath("entry", str("entry", { required: true }));
  const codeKinds = kinds.filter((k) => k !== "routine");
  if (codeKinds.length > 0 && !/\.(ts|js|mjs|mts)$/.test(entry)) {
    fail("entry", "must be a .ts or .js module for a device-driver or probe-locator", entry);
  }
  let routines: string | null = json.routines == null ? null : relPath("routines", str("routines"));
  if (kinds.includes("routine") && routines === null) {
    if (codeKinds.length === 0 && entry.endsWith(".json")) routines = entry;
    else fail("routines", 'must name the routines JSON file when kinds has "routine"');
  }
  if (routines !== null && !routines.endsWith(".json")) fail("routines", "must be a .json file", routines);
  if (routines !== null && !kinds.includes("routine")) fail("routines", 'is only for kind "routine"');
  const simulator = json.simulator == null ? null : relPath("simulator", str("simulator"));

  const permissions = validatePermissions(json.permissions, fail);
  const usb = validateUsb(json.usb, kinds.includes("device-driver"), fail);
  const capabilities = validateCapabilities(json.capabilities, fail);
  const limits = validateLimits(json.limits, kinds.includes("device-driver"), fail);

  return {
    id,
    name,
    version,
    apiVersion,
    kinds,
    entry,
    routines,
    simulator,
    description: str("description", { max: 2000 }),
    author: str("author"),
    license: str("license"),
    permissions,
    usb,
    capabilities,
    limits,
  };
}

type Fail = (field: string, why: string, got?: unknown) => never;

function validatePermissions(raw: unknown, fail: Fail): PluginPermissions {
  if (raw === undefined) return {};
  if (!isRecord(raw)) return fail("permissions", "must be an object", raw);
  const out: PluginPermissions = {};
  for (const [key, list] of Object.entries(raw)) {
    const field = `permissions.${key}`;
    if (!(PERMISSION_NAMES as readonly string[]).includes(key)) {
      fail(field, `is not allowed (a plugin may ask for ${PERMISSION_NAMES.join(", ")})`);
    }
    if (!Array.isArray(list) || list.length === 0) fail(field, "must be a non-empty array of strings", list);
    const values = (list as unknown[]).map((item, i) => {
      if (typeof item !== "string" || item === "" || item.includes(",")) {
        fail(`${field}[${i}]`, "must be a non-empty string without commas", item);
      }
      const s = item as string;
      if ((key === "read" || key === "write") && (s.startsWith("/") || s.split(/[\\/]/).includes(".."))) {
        fail(`${field}[${i}]`, "must be a path inside the plugin folder", s);
      }
      if (key === "net" && !/^[a-zA-Z0-9.-]+(:\d{1,5})?$/.test(s)) {
        fail(`${field}[${i}]`, "must be host[:port]", s);
      }
      if (key === "env" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) {
        fail(`${field}[${i}]`, "must be a variable name", s);
      }
      return s;
    });
    out[key as keyof PluginPermissions] = values;
  }
  return out;
}

function u16(value: unknown, field: string, fail: Fail): number {
  const n = typeof value === "string" && /^0x[0-9a-fA-F]{1,4}$/.test(value) ? parseInt(value, 16) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 0xffff) {
    return fail(field, 'must be an integer 0..65535 or a "0x…" string', value);
  }
  return n;
}

function validateUsb(raw: unknown, required: boolean, fail: Fail): { filters: ManifestUsbFilter[] } {
  if (raw === undefined && !required) return { filters: [] };
  if (!isRecord(raw)) {
    return fail("usb", "must be an object with filters (required for a device-driver)", raw);
  }
  const list = raw.filters;
  if (!Array.isArray(list) || (required && list.length === 0)) {
    return fail("usb.filters", "must be a non-empty array", list);
  }
  return {
    filters: list.map((f, i) => {
      const field = `usb.filters[${i}]`;
      if (!isRecord(f)) return fail(field, "must be an object", f);
      const out: ManifestUsbFilter = { vendorId: u16(f.vendorId, `${field}.vendorId`, fail) };
      if (f.productId !== undefined) out.productId = u16(f.productId, `${field}.productId`, fail);
      if (f.classCode !== undefined) {
        const c = u16(f.classCode, `${field}.classCode`, fail);
        if (c > 0xff) fail(`${field}.classCode`, "must be 0..255", f.classCode);
        out.classCode = c;
      }
      return out;
    }),
  };
}

function validateCapabilities(raw: unknown, fail: Fail): PluginCapabilities {
  const caps = raw === undefined ? {} : raw;
  if (!isRecord(caps)) return fail("capabilities", "must be an object", raw);
  const bool = (key: string, fallback: boolean) => {
    const value = caps[key];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") fail(`capabilities.${key}`, "must be true or false", value);
    return value as boolean;
  };
  const hz = caps.telemetryHz ?? 20;
  if (typeof hz !== "number" || !Number.isFinite(hz) || hz < 20 || hz > 1000) {
    fail("capabilities.telemetryHz", "must be a number 20..1000", hz);
  }
  for (const key of Object.keys(caps)) {
    if (!["netDc", "contactSensing", "telemetryHz"].includes(key)) {
      fail(`capabilities.${key}`, "is not a known capability");
    }
  }
  return {
    netDc: bool("netDc", false),
    contactSensing: bool("contactSensing", true),
    telemetryHz: hz as number,
  };
}

function validateLimits(raw: unknown, required: boolean, fail: Fail): PluginLimits {
  if (raw === undefined && required) return fail("limits", "must declare maxCurrentUa for a device-driver");
  const lim = raw === undefined ? {} : raw;
  if (!isRecord(lim)) return fail("limits", "must be an object", raw);
  for (const key of Object.keys(lim)) {
    if (!["maxCurrentUa", "maxSlewUaPerS"].includes(key)) fail(`limits.${key}`, "is not a known limit");
  }
  const max = lim.maxCurrentUa ?? (required ? undefined : HARD_CEILING_UA);
  if (typeof max !== "number" || !Number.isFinite(max) || max <= 0 || max > HARD_CEILING_UA) {
    fail("limits.maxCurrentUa", `must be a number in (0, ${HARD_CEILING_UA}] µA`, max);
  }
  const slew = lim.maxSlewUaPerS ?? 100;
  if (typeof slew !== "number" || !Number.isFinite(slew) || slew <= 0 || slew > 10_000) {
    fail("limits.maxSlewUaPerS", "must be a number in (0, 10000] µA/s", slew);
  }
  return { maxCurrentUa: max as number, maxSlewUaPerS: slew as number };
}

/** Thrown when a plugin's apiVersion range does not include this SDK's API version. */
export class IncompatiblePluginError extends Error {
  constructor(readonly pluginId: string, readonly wanted: string, readonly provided: string) {
    super(`Cannot load plugin "${pluginId}": it needs SDK API "${wanted}", this kiosk provides ${provided}`);
    this.name = "IncompatiblePluginError";
  }
}

/** Throws IncompatiblePluginError unless the manifest's apiVersion range admits sdkVersion. */
export function assertApiCompatible(
  manifest: Pick<PluginManifest, "id" | "apiVersion">,
  sdkVersion: string,
): void {
  if (!satisfies(sdkVersion, manifest.apiVersion)) {
    throw new IncompatiblePluginError(manifest.id, manifest.apiVersion, sdkVersion);
  }
}
