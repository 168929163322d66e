/** Plugin manifests: schema, validation and SDK API compatibility (pure; discovery and sandboxing live in kiosk/plugins). */
export {
  assertApiCompatible,
  IncompatiblePluginError,
  isPluginId,
  PERMISSION_NAMES,
  validateManifest,
  validatePluginPermissions,
} from "./manifest.ts";
export type {
  ManifestUsbFilter,
  PluginCapabilities,
  PluginKind,
  PluginLimits,
  PluginManifest,
  PluginPermissions,
  ValidateManifestOptions,
} from "./manifest.ts";
export { isRecord } from "./_manifest_sections.ts";
export { compareSemVer, isSemVer, parseRange, parseSemVer, satisfies } from "./semver.ts";
export type { SemVer, SemVerRange } from "./semver.ts";
