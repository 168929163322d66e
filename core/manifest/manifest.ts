/** plugin.json: the manifest schema, its validation (defaults filled, errors name the field) and apiVersion compatibility. */
import { isSemVer, parseRange, satisfies } from "./semver.ts";
import {
  isRecord,
  validateCapabilities,
  validateLimits,
  validatePermissions,
  validateUsb,
} from "./_manifest_sections.ts";

/** What a plugin provides. */
export type PluginKind = "device-driver" | "routine" | "probe-locator";

/** Every kind this SDK knows. */
const PLUGIN_KINDS: readonly PluginKind[] = ["device-driver", "routine", "probe-locator"];

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

export { PERMISSION_NAMES } from "./_manifest_sections.ts";

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

const ID_RE = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/** Whether x is a valid plugin id: lowercase and dotted, vendor first ("acme.pulse"), at most 100 characters. */
export function isPluginId(x: unknown): x is string {
  return typeof x === "string" && x.length <= 100 && ID_RE.test(x);
}

/**
 * Validates a permissions object exactly as plugin.json's "permissions" (for copies of it kept elsewhere, such as
 * a central approval); `where` prefixes the message, which names the field and the value.
 */
export function validatePluginPermissions(raw: unknown, where: string): PluginPermissions {
  return validatePermissions(raw, (field, why, got) => {
    const shown = got === undefined ? "" : `, got ${JSON.stringify(got) ?? String(got)}`;
    throw new TypeError(`${where}: "${field}" ${why}${shown}`);
  });
}
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
