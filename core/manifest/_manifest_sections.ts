/** plugin.json sections (permissions, usb, capabilities, limits): validation with defaults, for validateManifest. */
import type { ManifestUsbFilter, PluginCapabilities, PluginLimits, PluginPermissions } from "./manifest.ts";
import { HARD_CEILING_UA } from "../engine/envelope.ts";

/** The permission names a manifest may ask for. */
export const PERMISSION_NAMES = ["read", "write", "net", "env"] as const;

/** True for a plain JSON object (not null, not an array). */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Throws a TypeError naming field (set up by validateManifest with its source prefix). */
export type Fail = (field: string, why: string, got?: unknown) => never;

/** Validates plugin.json "permissions" and fills its defaults. */
export function validatePermissions(raw: unknown, fail: Fail): PluginPermissions {
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
      // A write grant on the folder itself would let the plugin rewrite plugin.json (limits, filters) unseen.
      if (key === "write" && s.split(/[\\/]/).every((part) => part === "" || part === ".")) {
        fail(`${field}[${i}]`, "must be a subfolder of the plugin folder, not the folder itself", s);
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

/** Validates plugin.json "usb" and fills its defaults. */
export function validateUsb(raw: unknown, required: boolean, fail: Fail): { filters: ManifestUsbFilter[] } {
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

/** Validates plugin.json "capabilities" and fills its defaults. */
export function validateCapabilities(raw: unknown, fail: Fail): PluginCapabilities {
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

/** Validates plugin.json "limits" and fills its defaults. */
export function validateLimits(raw: unknown, required: boolean, fail: Fail): PluginLimits {
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
