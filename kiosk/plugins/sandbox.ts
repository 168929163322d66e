/** A plugin's sandbox: its own Deno subprocess that can load only its own files, approved permissions, a heap cap, and a watched JSON-lines RPC. */
import { decodeMessage, encodeMessage, type WireReply } from "./_wire.ts";
import { permissionFlags } from "./permissions.ts";
import { pluginModuleFiles } from "./files.ts";
import type { PluginPermissions } from "../../core/manifest/mod.ts";

/** Options for PluginProcess. */
export interface PluginProcessOptions {
  /** Permissions an operator approved (default {}: no --allow-* flag at all). */
  permissions?: PluginPermissions;
  /** Folder the permission paths are relative to (default: the entry's folder). */
  pluginDir?: string;
  /** V8 old-space cap in MiB (default 64). */
  heapMb?: number;
  /**
   * Resident-memory cap in MiB, polled from /proc every 50 ms (default 256). ArrayBuffers live
   * outside the V8 heap cap, so without this a plugin could take all the machine's memory.
   */
  maxRssMb?: number;
  /** Most stderr bytes a plugin may write before it is stopped (default 1 MiB). */
  maxStderrBytes?: number;
  /** A call not answered within this many ms kills the process (default 200). */
  callTimeoutMs?: number;
  /** Allowance for the first reply, which includes process start and module load (default 5000). */
  startTimeoutMs?: number;
  /** Longest message line accepted from the child, in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Lines the child may send that answer no pending call before it is killed (default 16). */
  maxUnsolicited?: number;
  /** Import map giving "@glidepath/sdk" (default kiosk/plugins/sandbox_import_map.json); no deno.json is read, which halves spawn time. */
  importMapPath?: string;
  /** Deno executable (default Deno.execPath()). */
  denoPath?: string;
  /**
   * Lock file the child checks every remote or npm module against, frozen: a module not in it does not
   * load (default the project's deno.lock). The child's own graph (runtime, SDK, plugin files) is local.
   */
  lockPath?: string;
  /**
   * The plugin's simulated-device module (plugin.json "simulator"), loaded beside the driver in the same
   * sandbox so `plugin check` never runs vendor code with the CLI's permissions (default none).
   */
  simulatorEntry?: string | URL;
  /**
   * Host modules the child loads before the plugin, like the SDK: the plugin may import them without a
   * read grant (default none). Tests use it to share a first-party codec with fixture drivers.
   */
  hostModules?: readonly (string | URL)[];
}

/** Lifecycle of a sandboxed plugin. */
export type PluginProcessState = "starting" | "running" | "stopped" | "failed";

/** Raised (as the rejection of calls) when a sandboxed plugin fails; reason says why. */
export class PluginFailedError extends Error {
  constructor(readonly pluginId: string, readonly reason: string) {
    super(`Plugin "${pluginId}" stopped: ${reason}`);
    this.name = "PluginFailedError";
  }
}

const RUNTIME = new URL("./_child_runtime.ts", import.meta.url).href;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** One plugin subprocess. Every failure kills the process, rejects pending calls and fires onFailure once. */
export class PluginProcess {
  state: PluginProcessState = "starting";
  /** Why the plugin failed (null while healthy or after a clean stop). */
  error: string | null = null;
  /** True when it failed by not answering in time (slowness, which a restart may cure), not by misbehaving. */
  slow = false;
  /** Resolves when the subprocess has exited (after kill or on its own). */
  readonly exited: Promise<Deno.CommandStatus>;
  readonly pid: number;
  /** Last stderr output of the plugin (up to 4 KiB), for the operator. */
  stderrTail = "";
  #child: Deno.ChildProcess;
  #stdin: WritableStreamDefaultWriter<Uint8Array>;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #unsolicited = 0;
  #listeners: ((reason: string) => void)[] = [];
  readonly #opts: Required<
    Omit<PluginProcessOptions, "pluginDir" | "permissions" | "simulatorEntry" | "hostModules">
  >;
  /** The arguments the subprocess was started with (for diagnostics and tests). */
  readonly args: readonly string[];

  /** Spawns the subprocess for entry (a path or file: URL); call() may be used at once. */
  constructor(readonly pluginId: string, entry: string | URL, options: PluginProcessOptions = {}) {
    const entryUrl = entry instanceof URL ? entry : new URL(entry, `file://${Deno.cwd()}/`);
    this.#opts = {
      heapMb: options.heapMb ?? 64,
      maxRssMb: options.maxRssMb ?? 256,
      maxStderrBytes: options.maxStderrBytes ?? 1 << 20,
      callTimeoutMs: options.callTimeoutMs ?? 200,
      startTimeoutMs: options.startTimeoutMs ?? 5000,
      maxLineBytes: options.maxLineBytes ?? 1 << 20,
      maxUnsolicited: options.maxUnsolicited ?? 16,
      importMapPath: options.importMapPath ?? new URL("./sandbox_import_map.json", import.meta.url).pathname,
      denoPath: options.denoPath ?? Deno.execPath(),
      lockPath: options.lockPath ?? new URL("../../deno.lock", import.meta.url).pathname,
    };
    const pluginDir = options.pluginDir ?? new URL(".", entryUrl).pathname;
    const href = (u: string | URL) => (u instanceof URL ? u : new URL(u, `file://${Deno.cwd()}/`)).href;
    // Deno loads every module of the *initial* graph without a read check, including text and JSON
    // imports and literal import() calls, wherever they point. So the initial graph is host code only
    // (runtime, SDK, hostModules) and the runtime imports the plugin with a non-literal import():
    // then every plugin module and every file it imports needs --allow-read, which is granted for the
    // plugin's own module files and nothing else outside what the operator approved.
    const main = `data:application/typescript,${
      encodeURIComponent(
        [
          `import { serve } from ${JSON.stringify(RUNTIME)};`,
          `import "@glidepath/sdk";`,
          ...(options.hostModules ?? []).map((m) => `import ${JSON.stringify(href(m))};`),
          `await serve(${JSON.stringify(entryUrl.href)}, ${
            JSON.stringify(options.simulatorEntry ? href(options.simulatorEntry) : null)
          });`,
          "",
        ].join("\n"),
      )
    }`;
    const permissions = options.permissions ?? {};
    const modules = pluginModuleFiles(pluginDir);
    const args = [
      "run",
      "--no-prompt",
      `--lock=${this.#opts.lockPath}`,
      "--frozen",
      "--cached-only",
      "--no-config",
      `--import-map=${this.#opts.importMapPath}`,
      `--v8-flags=--max-old-space-size=${this.#opts.heapMb}`,
      ...permissionFlags(permissions, pluginDir, modules),
      main,
    ];
    this.args = args;
    this.#child = new Deno.Command(this.#opts.denoPath, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      // Relative paths in plugin code ("./data/cal.json") mean its own folder, as in plugin.json.
      cwd: pluginDir,
      clearEnv: true,
      env: { NO_COLOR: "1", ...passEnv(["HOME", "DENO_DIR", "XDG_CACHE_HOME"]) },
    }).spawn();
    this.pid = this.#child.pid;
    this.#stdin = this.#child.stdin.getWriter();
    this.exited = this.#child.status;
    void this.#readStdout();
    const stderrDone = this.#readStderr();
    const memoryTimer = setInterval(() => this.#checkMemory(), 50);
    Deno.unrefTimer(memoryTimer);
    this.#child.status.finally(() => clearInterval(memoryTimer));
    this.#child.status.then(async (status) => {
      if (this.state !== "starting" && this.state !== "running") return;
      // Give stderr a moment to drain so the reason can quote the plugin's last words.
      await Promise.race([stderrDone, new Promise((r) => setTimeout(r, 20))]);
      const how = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
      const oom = /heap|out of memory|allocation failed/i.test(this.stderrTail) ? " (out of memory)" : "";
      const last = lastErrorLine(this.stderrTail);
      this.#fail(`process exited unexpectedly with ${how}${oom}${last ? `: ${last}` : ""}`);
    });
  }

  /** Registers a listener called once, at the moment the plugin fails. */
  onFailure(listener: (reason: string) => void): void {
    this.#listeners.push(listener);
  }

  /** Calls method in the child; rejects with PluginFailedError (and kills it) on error, timeout or death. */
  call(method: string, params?: unknown): Promise<unknown> {
    if (this.state === "failed" || this.state === "stopped") {
      return Promise.reject(new PluginFailedError(this.pluginId, this.error ?? "stopped"));
    }
    const id = this.#nextId++;
    const ms = this.state === "starting" ? this.#opts.startTimeoutMs : this.#opts.callTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.state === "starting" || this.state === "running") this.slow = true;
        this.#fail(`call "${method}" not answered within ${ms} ms`);
      }, ms);
      this.#pending.set(id, { method, resolve, reject, timer });
      this.#stdin.write(new TextEncoder().encode(encodeMessage({ id, method, params }))).catch(() => {
        this.#fail("its stdin closed");
      });
    });
  }

  async #readStdout(): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    try {
      for await (const chunk of this.#child.stdout) {
        buffered += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          this.#onLine(line);
          if (this.state === "failed") return;
        }
        if (buffered.length > this.#opts.maxLineBytes) {
          return this.#fail(`message longer than ${this.#opts.maxLineBytes} bytes`);
        }
      }
    } catch {
      // The stream errors when the process is killed; the exit handler reports it.
    }
  }

  async #readStderr(): Promise<void> {
    const decoder = new TextDecoder();
    let total = 0;
    try {
      for await (const chunk of this.#child.stderr) {
        total += chunk.length;
        this.stderrTail = (this.stderrTail + decoder.decode(chunk, { stream: true })).slice(-4096);
        if (total > this.#opts.maxStderrBytes) {
          this.#fail(`log flood: more than ${this.#opts.maxStderrBytes} bytes on stderr`);
        }
      }
    } catch { /* killed */ }
  }

  #checkMemory(): void {
    if (this.state !== "starting" && this.state !== "running") return;
    let statm: string;
    try {
      statm = Deno.readTextFileSync(`/proc/${this.pid}/statm`);
    } catch {
      return; // no /proc (or the process just exited): the heap cap still applies
    }
    const rssMb = (Number(statm.split(" ")[1]) * 4096) / (1 << 20);
    if (rssMb > this.#opts.maxRssMb) {
      this.#fail(`memory: resident set ${rssMb.toFixed(0)} MiB over the ${this.#opts.maxRssMb} MiB cap`);
    }
  }

  #onLine(line: string): void {
    if (line.length > this.#opts.maxLineBytes) {
      return this.#fail(`message longer than ${this.#opts.maxLineBytes} bytes`);
    }
    let msg: WireReply;
    try {
      msg = decodeMessage(line) as WireReply;
    } catch {
      return this.#fail(`sent a line that is not JSON: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const pending = typeof msg?.id === "number" ? this.#pending.get(msg.id) : undefined;
    if (!pending) {
      if (++this.#unsolicited > this.#opts.maxUnsolicited) {
        this.#fail(`message flood: more than ${this.#opts.maxUnsolicited} messages that answer no call`);
      }
      return;
    }
    this.#pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.error) {
      const reason = `"${pending.method}" threw ${msg.error.name}: ${msg.error.message}`;
      pending.reject(new PluginFailedError(this.pluginId, reason));
      this.#fail(reason);
      return;
    }
    if (this.state === "starting") this.state = "running";
    pending.resolve(msg.result);
  }

  /** Marks the plugin failed, kills it at once, rejects every pending call, tells listeners. */
  fail(reason: string): void {
    this.#fail(reason);
  }

  #fail(reason: string): void {
    if (this.state === "failed" || this.state === "stopped") return;
    this.state = "failed";
    this.error = reason;
    this.#kill();
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(new PluginFailedError(this.pluginId, reason));
      this.#pending.delete(id);
    }
    for (const listener of this.#listeners.splice(0)) {
      try {
        listener(reason);
      } catch (e) {
        console.error(`plugin host: failure listener for "${this.pluginId}" threw`, e);
      }
    }
  }

  #kill(): void {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already exited */ }
  }

  /** Closes the plugin's stdin: it finishes and exits by itself (a graceful stop; dispose() kills). */
  async closeInput(): Promise<void> {
    if (this.state === "starting" || this.state === "running") this.state = "stopped";
    try {
      await this.#stdin.close();
    } catch { /* already closed */ }
  }

  /** Stops the process (not a failure) and waits until it has exited. */
  async dispose(): Promise<void> {
    if (this.state === "starting" || this.state === "running") {
      this.state = "stopped";
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.reject(new PluginFailedError(this.pluginId, "stopped"));
      }
      this.#pending.clear();
      this.#kill();
    }
    await this.exited;
    try {
      await this.#stdin.close();
    } catch { /* already closed */ }
  }
}

function lastErrorLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const error = lines.find((l) => /^error:/i.test(l)) ?? lines.at(-1) ?? "";
  return error.slice(0, 200);
}

function passEnv(names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = Deno.env.get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
