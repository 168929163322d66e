/** Types shared by the plugin host's parts: a loaded driver and the status the operator sees. */
import type { AsyncDriver } from "../../core/sdk/mod.ts";
import type { PluginKind } from "../../core/manifest/mod.ts";
import type { PluginOrigin } from "./discovery.ts";

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
  dir: string;
}

/** A plugin failure, as the host broadcasts it. */
export interface PluginFailure {
  id: string;
  reason: string;
}
