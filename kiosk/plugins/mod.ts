/** Kiosk plugin host: discovery, operator approval, sandboxed third-party drivers, trusted first-party ones. */
export {
  CALL_TIMEOUT_RANGE_MS,
  CENTRAL_APPROVALS_FILE,
  createPluginHost,
  PluginHost,
  validateCallTimeoutMs,
} from "./host.ts";
export type { PluginHostOptions } from "./host.ts";
export type {
  CentralChange,
  DeclaredLimits,
  LoadedDriver,
  PluginFailure,
  PluginStatus,
} from "./host_types.ts";
export { CentralDecisions, decideCentralRows } from "./central_decisions.ts";
export type { CentralDecision, CentralDecisionSet } from "./central_decisions.ts";
export { verdictOf } from "./approval.ts";
export type { DecidedBy, Decisions, Verdict } from "./approval.ts";
export { pluginFilesHash } from "./files.ts";
export { discoverPlugins, readPluginFolder } from "./discovery.ts";
export type { DiscoveredPlugin, DiscoverOptions, PluginOrigin } from "./discovery.ts";
export { PluginStateStore } from "./state.ts";
export type { ApprovalState, PluginDecision } from "./state.ts";
export { describePermissions, permissionFlags, samePermissions } from "./permissions.ts";
export { PluginFailedError, PluginProcess } from "./sandbox.ts";
export type { PluginProcessOptions, PluginProcessState } from "./sandbox.ts";
export type { PluginSimulator, PluginSimulatorOptions } from "./plugin_simulator.ts";
export { startSandboxedDriver } from "./sandboxed_driver.ts";
export type { SandboxedDriver, SandboxedDriverOptions, TrustedInspector } from "./sandboxed_driver.ts";
export { guardInProcessDriver } from "./in_process_driver.ts";
export type { GuardOptions } from "./in_process_driver.ts";
