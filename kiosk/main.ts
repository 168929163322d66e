/** Entry of `deno task start`: reads the environment, starts the kiosk, shuts down cleanly on signals. */
import os from "node:os";
import { startKiosk } from "./mod.ts";

function envNumber(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new RangeError(
      `Cannot start kiosk: ${name} must be an integer 0..65535, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

function envFlag<T extends boolean | undefined>(name: string, fallback: T): boolean | T {
  const raw = Deno.env.get(name);
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new TypeError(`Cannot start kiosk: ${name} must be 1 or 0, got ${JSON.stringify(raw)}`);
}

const dataDir = Deno.env.get("DATA_DIR") || "./data";
if (Deno.permissions.querySync({ name: "write", path: dataDir }).state !== "granted") {
  // `deno task start` grants writes to ./data only; say so instead of failing deep inside the store.
  console.error(`Cannot start kiosk: no write permission for DATA_DIR "${dataDir}"; add it to --allow-write`);
  Deno.exit(2);
}

const kiosk = await startKiosk({
  hostname: Deno.env.get("HOST") || "127.0.0.1",
  port: envNumber("PORT", 8000),
  dataDir,
  // Unset: demo exactly when the device is simulated. DEMO=1 asks for the simulated device; it is refused
  // (logged) if real hardware is forced with PREFER_HARDWARE=1.
  demo: envFlag("DEMO", undefined),
  preferHardware: envFlag("PREFER_HARDWARE", undefined),
  demoAutostart: envFlag("DEMO_AUTOSTART", false),
  // Unset: a random PIN is made, printed once and written to DATA_DIR/operator-pin.
  operatorPin: Deno.env.get("OPERATOR_PIN") || undefined,
  sourceMap: envFlag("SOURCE_MAP", false),
});
// The 50 Hz tick shares this thread with HTTP and WS and the box with the camera page; a raised priority keeps
// it on time (bench/scheduler_jitter.ts). Without the privilege the kiosk runs at normal priority. Raised after
// start so the bundler and plugin processes spawned during start keep normal priority.
const nice = Number(Deno.env.get("KIOSK_NICE") || "-10");
let priorityNote = "";
if (!Number.isInteger(nice) || nice < -20 || nice > 19) {
  throw new RangeError(
    `Cannot start kiosk: KIOSK_NICE must be an integer -20..19, got ${Deno.env.get("KIOSK_NICE")}`,
  );
}
if (nice !== 0) {
  try {
    os.setPriority(nice);
    priorityNote = `, nice ${nice}`;
  } catch (error) {
    priorityNote = `, normal priority (nice ${nice} not permitted: ${(error as Error).message})`;
  }
}

console.log(`Glidepath kiosk listening on ${kiosk.url}${kiosk.demo ? " (demo mode)" : ""}${priorityNote}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: output to 0, shutting down`);
  kiosk.shutdown(signal).then(
    () => Deno.exit(0),
    (error) => {
      console.error("shutdown failed:", error);
      Deno.exit(1);
    },
  );
};
Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
