/** Types shared by the plugin host's parts: a loaded driver and the status the operator sees. */
import type { AsyncDriver } from "../../core/sdk/mod.ts";
import type { PluginKind } from "../../core/manifest/mod.ts";
import type { PluginOrigin } from "./discovery.ts";
import type { CentralDecision } from "./central_decisions.ts";

/** What an approved plugin.json lets its driver do; the device host never goes beyond it. */
export interface DeclaredLimits {
  /** plugin.json limits.maxCurrentUa, in µA. */
  maxCurrentUa: number;
  /** plugin.json capabilities.netDc. */
  netDc: boolean;
}

/** A driver ready for the device host, sandboxed or in-process. */
export interface LoadedDriver extends AsyncDriver {
  /** The manifest's limits when the driver comes from a plugin (null for a bare definition). */
  readonly declared: DeclaredLimits | null;
  /** Stop bytes from a standby codec: still stop the device after the driver failed. */
  readonly standbyStop: Uint8Array;
  readonly state: "starting" | "running" | "stopped" | "failed";
  readonly error: string | null;
  /** Subprocess id when sandboxed, null in-process. */
  readonly pid: number | null;
  /**
   * Called when the driver fails (again after each restart of a sandboxed driver): set output to 0 at once
   * (engine fault event, then standbyStop).
   */
  onFailure(listener: (reason: string) => void): void;
  /**
   * Stops the driver on the host's word (its approval was revoked): a failure with `reason`, so listeners set
   * output to 0 through the failure path (engine fault, device STOP) and the stop is recorded. No-op once stopped.
   */
  stop(reason: string): void;
  dispose(): Promise<void>;
}

/** What /api/health and `plugin list` show per plugin. */
export interface PluginStatus {
  id: string;
  name: string;
  version: string;
  origin: PluginOrigin;
  kinds: PluginKind[];
  /**
   * invalid: manifest or apiVersion problem; needs-approval: installed, not approved;
   * changed-since-approval: version or permissions differ from what was approved; disabled;
   * enabled: may load; running: loaded; failed: stopped after breaking its contract.
   */
  state:
    | "invalid"
    | "needs-approval"
    | "changed-since-approval"
    | "disabled"
    | "enabled"
    | "running"
    | "failed";
  /** Why it failed or cannot load; null when fine. */
  error: string | null;
  /**
   * Whose decision applies (issue 10): "salon" or "chain" (a central decision, in force over the operator's for
   * the plugins it names), "operator" (deno task plugin enable/disable here), or null (none: the default).
   */
  decidedBy: "salon" | "chain" | "operator" | null;
  /** The central row that applies, or null. */
  centralRow: number | null;
  dir: string;
}

/** A plugin failure, as the host broadcasts it. */
export interface PluginFailure {
  id: string;
  reason: string;
}

/** A plugin whose central decision changed at a pull, and what it means at this station now. */
export interface CentralChange {
  pluginId: string;
  /** The decision now in force, or null when the chain no longer names the plugin (the operator's applies again). */
  decision: CentralDecision | null;
  /** The plugin's state here now; "not-installed" when this station does not have it. */
  state: PluginStatus["state"] | "not-installed";
  /** Why it does not run (e.g. its files differ from the approved ones), or null. */
  error: string | null;
  /** True when its running driver was stopped for this decision. */
  stopped: boolean;
}
