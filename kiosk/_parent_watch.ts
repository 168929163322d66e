/** Notices when the command that started the kiosk is gone (a parent SIGKILLed, npx stopped), so no orphan keeps stimulating. */
import process from "node:process";

/** One row of the process table: a process's parent and process group. */
export interface ProcessRow {
  ppid: number;
  pgid: number;
}

/** Parses `ps -A -o pid=,ppid=,pgid=` output into pid → row. */
export function parseProcessTable(text: string): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  for (const line of text.split("\n")) {
    const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid) && Number.isInteger(pgid)) {
      table.set(pid!, { ppid: ppid!, pgid: pgid! });
    }
  }
  return table;
}

/**
 * The processes the kiosk lives by: its parent, and further ancestors while they are in the kiosk's process
 * group. The group is the job a shell or systemd started (`npx` → `sh` → `deno task` → kiosk all share it), so
 * the watch follows the start command and nothing above it. Pid 1 is never watched. Nearest first.
 */
export function watchedAncestors(self: number, table: ReadonlyMap<number, ProcessRow>): number[] {
  const me = table.get(self);
  if (!me) return [];
  const chain: number[] = [];
  let pid = me.ppid;
  while (pid > 1 && !chain.includes(pid)) {
    const row = table.get(pid);
    if (!row) break;
    chain.push(pid);
    if (pid === me.pgid || row.pgid !== me.pgid) break;
    pid = row.ppid;
  }
  return chain;
}

/** How the watch looks at processes; replaced in tests. */
export interface ProcessProbe {
  /** The kiosk's own pid. */
  pid: number;
  /** The kiosk's parent pid now (it changes when the parent exits). */
  ppid(): number;
  /** Whether a process exists. */
  alive(pid: number): boolean;
  /** The process table, or null when it cannot be read. */
  table(): Promise<Map<number, ProcessRow> | null>;
}

/** The real probe: Deno.ppid (read live), kill(pid, 0), and one `ps` at start. */
const systemProbe: ProcessProbe = {
  pid: Deno.pid,
  ppid: () => Deno.ppid,
  alive(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as { code?: string }).code !== "ESRCH";
    }
  },
  async table() {
    try {
      const out = await new Deno.Command("ps", { args: ["-A", "-o", "pid=,ppid=,pgid="], stderr: "null" })
        .output();
      return out.success ? parseProcessTable(new TextDecoder().decode(out.stdout)) : null;
    } catch {
      return null;
    }
  },
};

/** A running watch. */
export interface ParentWatch {
  /** The ancestor pids watched, nearest first (the parent alone when the process table could not be read). */
  readonly pids: readonly number[];
  /** Looks once; calls `onGone` if an ancestor is gone. The timer calls this every `intervalMs`. */
  check(): void;
  stop(): void;
}

/**
 * Calls `onGone(why)` once, within `intervalMs` (default 250), after the parent or a watched ancestor is gone.
 * A SIGKILLed parent cannot forward anything, and `npx` forwards SIGTERM only to its `sh`, which dies without
 * passing it on: looking is what works for both. Deno refuses /proc reads without --allow-all, so the ancestors
 * come from one `ps` at start and are then checked with kill(pid, 0). The timer does not keep the process alive.
 */
export async function watchParents(
  onGone: (why: string) => void,
  options: { intervalMs?: number; probe?: ProcessProbe } = {},
): Promise<ParentWatch> {
  const probe = options.probe ?? systemProbe;
  const parent = probe.ppid();
  const table = await probe.table();
  const found = table ? watchedAncestors(probe.pid, table) : [];
  const pids = found[0] === parent ? found : parent > 1 ? [parent] : [];
  let done = false;
  const check = () => {
    if (done) return;
    const why = probe.ppid() !== parent
      ? `parent process ${parent} exited`
      : pids.filter((pid) => !probe.alive(pid)).map((pid) => `process ${pid} exited`)[0];
    if (why === undefined) return;
    stop();
    onGone(why);
  };
  const timer = setInterval(check, options.intervalMs ?? 250);
  Deno.unrefTimer(timer);
  const stop = () => {
    done = true;
    clearInterval(timer);
  };
  return { pids, check, stop };
}
