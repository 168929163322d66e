/** Wires one kiosk process: store, engine, session runner, device sink, demo, page bundle and HTTP server. */
import { createEngine } from "../core/engine/mod.ts";
import type { Routine } from "../core/routines/mod.ts";
import { fileURLToPath } from "node:url";
import { createApp } from "./server/mod.ts";
import {
  attachDemo,
  createNullSink,
  createRecorder,
  createSessionRunner,
  type Demo,
  loadRoutineFolders,
  type OutputSink,
  type SessionRunner,
} from "./session/mod.ts";
import { openStore, type Store } from "./store/mod.ts";
import denoJson from "../deno.json" with { type: "json" };

/** Options for startKiosk; main.ts fills them from the environment. */
export interface KioskOptions {
  /** Interface to bind. Default "127.0.0.1". */
  hostname?: string;
  /** Port; 0 picks a free one. Default 8000. */
  port?: number;
  /** Data folder for the store. Default "./data". */
  dataDir?: string;
  /** Run the virtual probe. Default true (no camera or hardware is wired yet). */
  demo?: boolean;
  /** Start the demo routine by itself and start it again when it ends. Default false. */
  demoAutostart?: boolean;
  /** Routine the demo runs. Default "express-lift". */
  demoRoutine?: string;
  /** Device side. Default: a null sink (frames go nowhere). */
  sink?: OutputSink;
  /** Routines. Default: loaded from the routine plugins under plugins/. */
  routines?: Routine[];
  /** Bundle the page before serving. Default true. */
  buildUi?: boolean;
  /** Scheduler busy-wait (ms) before each tick. Default 2. */
  spinMs?: number;
  /** Send every Nth frame to pages. Default 1. */
  frameEvery?: number;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
}

/** A running kiosk. */
export interface Kiosk {
  /** The page URL, e.g. http://127.0.0.1:8000/. */
  readonly url: string;
  readonly port: number;
  readonly runner: SessionRunner;
  readonly store: Store;
  readonly demo: Demo | undefined;
  /** Output to 0 first, then closes sockets, server, store. Safe to call twice. */
  shutdown(reason?: string): Promise<void>;
}

const root = fileURLToPath(new URL("..", import.meta.url));

/** Starts a kiosk and resolves once it listens. */
export async function startKiosk(options: KioskOptions = {}): Promise<Kiosk> {
  const log = options.log ?? ((line: string) => console.log(line));
  const version = denoJson.version;
  if (options.buildUi ?? true) {
    const { buildPage } = await import("./ui/build.ts");
    const built = await buildPage();
    log(`page bundled: ${built.outFile} (${(built.bytes / 1024).toFixed(0)} KiB, ${built.ms.toFixed(0)} ms)`);
  }
  const routines = options.routines ?? await loadRoutineFolders(`${root}plugins`);
  const store = openStore(options.dataDir ?? "./data");
  const engine = createEngine({ routines });
  const sink = options.sink ?? createNullSink();
  const runner = createSessionRunner(engine, { sink, spinMs: options.spinMs ?? 2 });
  const recorder = createRecorder(store);
  runner.observe(recorder);

  const demoOn = options.demo ?? true;
  const demo = demoOn ? attachDemo(runner, { glideMs: 2000 }) : undefined;
  const demoRoutine = options.demoRoutine ?? "express-lift";
  if (demo && (options.demoAutostart ?? false)) {
    runner.observe({
      frame(frame) {
        if (frame.state !== "running" && frame.state !== "ready" && frame.state !== "paused") {
          recorder.setPendingConsent({ given: true, by: "demo" });
          runner.submit({ type: "start", routine: demoRoutine, comfort: 5, screening: {} }, "demo");
        }
      },
    });
  }

  const controller = new AbortController();
  const app = createApp({
    runner,
    sink,
    store,
    recorder,
    demo,
    version,
    routines: routines.map((r) => ({ id: r.id, name: r.name, steps: r.steps.length }))
      .concat([{ id: "free", name: "Free (manual)", steps: 0 }]),
    frameEvery: options.frameEvery,
    signal: controller.signal,
  });

  const listening = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 8000,
    signal: controller.signal,
    onListen: (addr) => listening.resolve(addr as Deno.NetAddr),
  }, app.fetch);
  const addr = await listening.promise;
  runner.start();
  const url = `http://${addr.hostname}:${addr.port}/`;

  let done: Promise<void> | null = null;
  return {
    url,
    port: addr.port,
    runner,
    store,
    demo,
    shutdown(reason = "shutdown") {
      done ??= (async () => {
        // Output to 0 before anything else: the runner sends a zero frame and stops ticking.
        await runner.dispose();
        recorder.close(reason);
        store.audit({ at: Date.now(), action: "shutdown", actor: "runtime", detail: { reason } });
        controller.abort();
        await server.finished;
        store.dispose();
        if (options.buildUi ?? true) {
          const { stopBundler } = await import("./ui/build.ts");
          await stopBundler();
        }
      })();
      return done;
    },
  };
}
