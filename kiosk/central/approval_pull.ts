/**
 * A station's pull of its chain's plugin approvals (issue 10): at start and then on its own timer, over the
 * replicator's connection. The plugin host checks the rows and applies them (a revoked running driver is stopped);
 * each decision that changes what applies here is written to the audit log, which then replicates. All waiting is
 * asynchronous I/O: the 50 Hz loop never waits for the central store.
 */
import type { CentralChange, PluginHost } from "../plugins/mod.ts";
import type { Store } from "../store/mod.ts";
import { readApprovalRows } from "./approvals.ts";
import type { Replicator } from "./replicator.ts";

/** Options for startApprovalPull. */
export interface ApprovalPullOptions {
  /** Pause between pulls, ms. Default 10000 (a revocation takes effect within about that long). */
  intervalMs?: number;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
  /** Wall clock for audit times (epoch ms). Default Date.now. */
  wallClock?: () => number;
}

/** Where the pull stands (in /api/health as `pluginApprovals`). */
export interface ApprovalPullHealth {
  /** ok: the last pull was applied; failing: the central store did not answer (the local copy applies). */
  state: "starting" | "ok" | "failing";
  /** ISO time of the decisions that apply (pulled now or, from the local copy, before a restart), or null. */
  pulledAt: string | null;
  /** Plugins the chain's decisions name here. */
  inForce: number;
  /** Rows refused at the last pull, each naming its field and value. */
  refused: string[];
  /** While failing: why. */
  reason?: string;
}

/** A running pull. */
export interface ApprovalPull {
  health(): ApprovalPullHealth;
  /** Pulls and applies now (after a pull in flight); resolves with what changed. Rejects when the store fails. */
  pull(): Promise<CentralChange[]>;
  /** Stops the timer and waits for a pull in flight. */
  stop(): Promise<void>;
}

/** Starts pulling: the first pull at once, then every `intervalMs`. */
export function startApprovalPull(
  replicator: Pick<Replicator, "read">,
  plugins: PluginHost,
  store: Pick<Store, "audit">,
  options: ApprovalPullOptions = {},
): ApprovalPull {
  const intervalMs = options.intervalMs ?? 10_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const wall = options.wallClock ?? Date.now;
  let state: ApprovalPullHealth["state"] = "starting";
  let reason: string | undefined;
  let shownProblems = "";
  let running: Promise<CentralChange[]> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function once(): Promise<CentralChange[]> {
    const rows = await replicator.read(readApprovalRows);
    if (stopped) return [];
    const changes = await plugins.applyCentral(rows);
    for (const c of changes) record(c);
    const problems = plugins.central.current.problems;
    // A refused row is told once, not at every pull.
    if (problems.join("\n") !== shownProblems) { for (const p of problems) log(`plugins: ${p}`); }
    shownProblems = problems.join("\n");
    state = "ok";
    reason = undefined;
    return changes;
  }

  function record(c: CentralChange): void {
    const d = c.decision;
    const decision = d === null ? "none" : d.refused !== null ? "refused" : d.enabled ? "approve" : "revoke";
    log(
      `plugins: central decision for ${c.pluginId}: ${decision}${
        d ? ` (${d.scope} row ${d.rowId}, ${d.decidedBy})` : ""
      }` +
        ` → ${c.state}${c.stopped ? ", its running driver stopped" : ""}${c.error ? `: ${c.error}` : ""}`,
    );
    try {
      store.audit({
        at: wall(),
        action: "plugin-approval",
        actor: "central",
        detail: {
          plugin: c.pluginId,
          decision,
          row: d?.rowId ?? null,
          scope: d?.scope ?? null,
          decidedBy: d?.decidedBy ?? null,
          decidedAt: d?.decidedAt ?? null,
          state: c.state,
          reason: c.error,
          stopped: c.stopped,
        },
      });
    } catch (error) {
      // The decision is applied either way (a revocation must not wait for the store); the log keeps it.
      log(`records: plugin approval not audited: ${error instanceof Error ? error.message : error}`);
    }
  }

  function pull(): Promise<CentralChange[]> {
    running ??= once().catch((error) => {
      const message = error instanceof Error ? error.message : String(error);
      if (state !== "failing") {
        log(`plugins: central approvals not pulled (${message}); the local copy applies`);
      }
      state = "failing";
      reason = message;
      throw error;
    }).finally(() => running = null);
    return running;
  }

  function schedule(delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => pull().catch(() => {}).finally(() => schedule(intervalMs)), delay);
    // Never what keeps a process alive (the kiosk's server does).
    Deno.unrefTimer(timer);
  }
  schedule(0);

  return {
    health() {
      const c = plugins.central;
      return {
        state,
        pulledAt: c.pulledAt,
        inForce: c.current.decisions.size,
        refused: [...c.current.problems],
        ...(reason !== undefined ? { reason } : {}),
      };
    },
    async pull() {
      await running?.catch(() => {});
      return await pull();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
