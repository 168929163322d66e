/** Runs the fault-matrix kiosk (_kiosk_child.ts) as a real subprocess, with a page on it and a copy of its device's firmware. */
import { SimFirmware } from "../../plugins/sim-binary/mod.ts";
import { NO_CONTRAINDICATIONS, openPage, type Page } from "./_page.ts";
import type { DeviceSample, SeenFrame } from "./_rig.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CHILD = new URL("./_kiosk_child.ts", import.meta.url).pathname;

/** Epoch milliseconds with sub-ms precision (the child stamps its lines the same way). */
export const epoch = (): number => performance.timeOrigin + performance.now();

/** A kiosk subprocess with a page in a running session. */
export interface ChildKiosk {
  pid: number;
  url: string;
  page: Page;
  /** Engine frames as the page received them, stamped with epoch(). */
  frames: SeenFrame[];
  /** Log lines the kiosk printed. */
  log: string[];
  /** Sends a command line ("fill", "unfill", "stop"). */
  command(line: string): Promise<void>;
  /** Resolves with the first stdout message that satisfies `pred` (a guard rejects after `guardMs`). */
  message(pred: (m: Record<string, unknown>) => boolean, guardMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the first frame at or above `ua`. */
  frameAtLeast(ua: number, guardMs?: number): Promise<SeenFrame>;
  /** Device samples on the firmware copy's own clock, every 1 ms from `from` to `to` (epoch ms). */
  deviceSamples(from: number, to: number): DeviceSample[];
  /** Everything the process wrote to stderr (resolves once it exits). */
  readonly stderr: Promise<string>;
  /** Resolves when the process has exited and its output is read. */
  readonly exited: Promise<Deno.CommandStatus>;
}

/** Options for spawnKiosk. */
export interface SpawnOptions {
  /** The kiosk's DATA_DIR. */
  dataDir: string;
  /** Where the child copies its store after "stop" (the disk-full run, whose store is on a private mount). */
  copyTo?: string;
  /**
   * Give DATA_DIR a private 2 MiB tmpfs (unshare -rm), with DATA_DIR/sessions bound to copyTo/sessions, so
   * "fill" fills the store's file system only. Default false.
   */
  smallDisk?: boolean;
}

/** Starts the kiosk subprocess, opens a page and starts a free session with cheek probes. */
export async function spawnKiosk(options: SpawnOptions): Promise<ChildKiosk> {
  const deno = Deno.execPath();
  const args = [options.dataDir, ...(options.copyTo ? [options.copyTo] : [])];
  const command = options.smallDisk
    ? new Deno.Command("unshare", {
      args: [
        "-rm",
        "sh",
        "-c",
        'mount -t tmpfs -o size=2m tmpfs "$1" && mkdir -p "$1/sessions" "$2/sessions" && ' +
        'mount --bind "$2/sessions" "$1/sessions" && exec "$3" run -A "$4" "$1" "$2"',
        "sh",
        options.dataDir,
        options.copyTo ?? options.dataDir,
        deno,
        CHILD,
      ],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    })
    : new Deno.Command(deno, {
      args: ["run", "-A", CHILD, ...args],
      cwd: ROOT,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    });
  const proc = command.spawn();
  const messages: Record<string, unknown>[] = [];
  const outs: { at: number; bytes: Uint8Array }[] = [];
  const log: string[] = [];
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  const stderr = new Response(proc.stderr).text();
  const reading = (async () => {
    let buffered = "";
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const line of parts) {
        if (!line.trim()) continue;
        let m: Record<string, unknown>;
        try {
          m = JSON.parse(line);
        } catch {
          log.push(line);
          continue;
        }
        if (typeof m.out === "string") {
          outs.push({ at: m.at as number, bytes: Uint8Array.from(atob(m.out), (c) => c.charCodeAt(0)) });
        } else if (typeof m.log === "string") log.push(m.log);
        else messages.push(m);
      }
      wake();
    }
  })();
  const exited = Promise.all([proc.status, reading]).then(([status]) => status);
  const writer = proc.stdin.getWriter();
  const frames: SeenFrame[] = [];

  let ended = false;
  void exited.then(() => {
    ended = true;
    wake();
  });

  // Waits for `find` to find something; fails at once if the process ended without it, else after guardMs.
  function until<T>(find: () => T | undefined, what: string, guardMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const fail = async (why: string) => {
        clearTimeout(guard);
        waiters.delete(check);
        const err = await Promise.race([stderr, new Promise((r) => setTimeout(() => r(""), 100))]);
        reject(new Error(`kiosk subprocess: no ${what} ${why}\n${log.join("\n")}\n${err}`));
      };
      const check = () => {
        const hit = find();
        if (hit === undefined) return void (ended && fail("before it exited"));
        clearTimeout(guard);
        waiters.delete(check);
        resolve(hit);
      };
      const guard = setTimeout(() => fail(`within ${guardMs} ms`), guardMs);
      waiters.add(check);
      check();
    });
  }

  let url: string;
  let page: Page;
  try {
    const ready = await until(() => messages.find((m) => typeof m.ready === "string"), "ready line", 30_000);
    url = ready.ready as string;
    page = await openPage(url, (f) => {
      frames.push({ at: epoch(), ua: f.currentUa, limit: f.limit, state: f.state });
      wake();
    });
  } catch (error) {
    // Never leave a kiosk process behind.
    if (!ended) proc.kill("SIGKILL");
    await exited;
    throw error;
  }
  page.send({ type: "start", routine: "free", comfort: 10, screening: NO_CONTRAINDICATIONS, consent: true });
  page.startProbes();
  return {
    pid: proc.pid,
    url,
    page,
    frames,
    log,
    async command(line) {
      await writer.write(new TextEncoder().encode(line + "\n"));
    },
    message: (pred, guardMs = 10_000) => until(() => messages.find(pred), "matching message", guardMs),
    frameAtLeast: (ua, guardMs = 10_000) =>
      until(() => frames.find((f) => f.ua >= ua), `frame ≥ ${ua} µA`, guardMs),
    deviceSamples(from, to) {
      // The same bytes at the same times into a fresh SIM-1 firmware: what the device on the cable did.
      const chunks = outs.filter((o) => o.at <= to);
      if (chunks.length === 0) return [];
      const firmware = new SimFirmware({ startMs: chunks[0]!.at, noiseUa: 0 });
      const samples: DeviceSample[] = [];
      let next = 0;
      for (let t = chunks[0]!.at; t <= to; t += 1) {
        while (next < chunks.length && chunks[next]!.at <= t) {
          firmware.advance(chunks[next]!.at);
          firmware.receive(chunks[next]!.bytes);
          next++;
        }
        firmware.advance(t);
        firmware.drain();
        if (t >= from) samples.push({ at: t, ua: firmware.state.outputUa });
      }
      return samples;
    },
    stderr,
    exited,
  };
}
