/** Entry of `deno task start`, the one place that reads the environment: checks every setting first, runs the kiosk, stops it with output 0. */
import os from "node:os";
import { startKiosk, StartRefusedError } from "./mod.ts";
import { type KioskConfig, readKioskConfig } from "./config.ts";
import { watchParents } from "./_parent_watch.ts";

const PREFIX = "Cannot start kiosk: ";

/** The grants the settings need: `deno task start` allows writes to ./data and the net on 127.0.0.1 only. */
function checkGrants(config: KioskConfig): void {
  if (Deno.permissions.querySync({ name: "write", path: config.dataDir }).state !== "granted") {
    throw new StartRefusedError(
      `${PREFIX}no write permission for DATA_DIR "${config.dataDir}"; add it to --allow-write`,
    );
  }
  const host = config.hostname.includes(":") ? `[${config.hostname}]` : config.hostname;
  if (Deno.permissions.querySync({ name: "net", host }).state !== "granted") {
    throw new StartRefusedError(
      `${PREFIX}no net permission for HOST "${config.hostname}"; add it to --allow-net`,
    );
  }
  if (config.central) {
    const { host, port } = config.central;
    const at = `${host.includes(":") ? `[${host}]` : host}:${port}`;
    if (Deno.permissions.querySync({ name: "net", host: at }).state !== "granted") {
      throw new StartRefusedError(
        `${PREFIX}no net permission for the DATABASE_URL server ${at}; add it to --allow-net`,
      );
    }
  }
}

/** One line on stderr, exit 2: a refused start is the operator's to fix, not a crash with a stack trace. */
function refuse(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  Deno.exit(2);
}

async function main(): Promise<void> {
  let config: KioskConfig;
  try {
    config = readKioskConfig(Deno.env.toObject());
    checkGrants(config);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError || error instanceof StartRefusedError) {
      refuse(error);
    }
    throw error;
  }

  // Listening from the first moment: a signal or a vanished parent during the start stops the kiosk as soon
  // as it is up, instead of killing it half-started or leaving it running.
  let stopping: string | null = null;
  let shutdown: ((reason: string) => Promise<void>) | null = null;
  const stop = (reason: string, why = "") => {
    if (stopping !== null) return;
    stopping = reason;
    console.log(`${reason}${why}: output to 0, shutting down`);
    if (shutdown) finish(shutdown, reason);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  await watchParents((why) => stop("parent-gone", ` (${why})`));

  const { nice, ...options } = config;
  let kiosk;
  try {
    kiosk = await startKiosk(options);
  } catch (error) {
    if (error instanceof StartRefusedError) refuse(error);
    throw error;
  }
  shutdown = kiosk.shutdown;
  if (stopping !== null) return finish(shutdown, stopping);

  // The 50 Hz tick shares this thread with HTTP and WS and the box with the camera page; a raised priority
  // keeps it on time (bench/scheduler_jitter.ts). Without the privilege the kiosk runs at normal priority.
  // Raised after start so the bundler and plugin processes spawned during start keep normal priority.
  let priorityNote = "";
  if (nice !== 0) {
    try {
      os.setPriority(nice);
      priorityNote = `, nice ${nice}`;
    } catch (error) {
      priorityNote = `, normal priority (nice ${nice} not permitted: ${(error as Error).message})`;
    }
  }
  console.log(`Glidepath kiosk listening on ${kiosk.url}${kiosk.demo ? " (demo mode)" : ""}${priorityNote}`);
}

function finish(shutdown: (reason: string) => Promise<void>, reason: string): void {
  shutdown(reason).then(
    () => {
      console.log(`stopped (${reason}): output 0, session record closed`);
      Deno.exit(0);
    },
    (error) => {
      console.error("shutdown failed:", error);
      Deno.exit(1);
    },
  );
}

if (import.meta.main) await main();
