/** How fast the README's start command stops with output 0 after each signal, and what the parent watch costs. */
import { watchParents } from "../kiosk/_parent_watch.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const RUNS = Number(Deno.args[0] ?? "2");

async function groupAlive(pgid: number): Promise<{ pid: number; args: string }[]> {
  const out = await new Deno.Command("ps", { args: ["-A", "-o", "pid=,pgid=,stat=,args="] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean).map((l) => l.trim().split(/\s+/))
    .filter(([, g, stat]) => Number(g) === pgid && !stat!.startsWith("Z"))
    .map(([pid, , , ...args]) => ({ pid: Number(pid), args: args.join(" ") }));
}

async function until<T>(ms: number, probe: () => Promise<T> | T): Promise<T> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("timed out");
}

/** One run: start, wait for current, signal, time the "stopped" line and the last process gone. */
async function once(signal: "SIGTERM" | "SIGINT" | "SIGKILL", target: "npx" | "group" | "deno task") {
  const dir = `data/.bench-stop-${crypto.randomUUID().slice(0, 8)}`;
  const child = new Deno.Command("npx", {
    args: ["-y", "deno@2.9.6", "task", "start"],
    cwd: ROOT,
    env: { NO_COLOR: "1", PORT: "0", DATA_DIR: dir, DEMO_AUTOSTART: "1", KIOSK_NICE: "0" },
    stdin: "null",
    stdout: "piped",
    stderr: "null",
    detached: true,
  }).spawn();
  let out = "";
  let stoppedAt = 0;
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      out += decoder.decode(chunk, { stream: true });
      if (!stoppedAt && out.includes("stopped (")) stoppedAt = performance.now();
    }
  })();
  try {
    const url = await until(120_000, () => out.match(/listening on (\S+)/)?.[1]);
    await until(
      120_000,
      async () => (await fetch(`${url}api/health`).then((r) => r.json())).engine.currentUa > 0,
    );
    const pid = target === "npx"
      ? child.pid
      : target === "group"
      ? -child.pid
      : (await groupAlive(child.pid)).find((p) => p.args.startsWith("deno task start"))!.pid;
    const t0 = performance.now();
    Deno.kill(pid, signal);
    await until(20_000, () => stoppedAt);
    await until(20_000, async () => (await groupAlive(child.pid)).length === 0);
    return { stopped: stoppedAt - t0, gone: performance.now() - t0 };
  } finally {
    for (const p of await groupAlive(child.pid)) Deno.kill(p.pid, "SIGKILL");
    await child.status;
    Deno.removeSync(`${ROOT}/${dir}`, { recursive: true });
  }
}

const ms = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
console.log(
  `load average ${Deno.loadavg().map((x) => x.toFixed(1)).join(" ")}; ${RUNS} runs each; ms from signal`,
);
for (
  const [signal, target] of [["SIGTERM", "npx"], ["SIGINT", "group"], ["SIGKILL", "deno task"], [
    "SIGKILL",
    "npx",
  ]] as const
) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(signal, target));
  console.log(
    `${signal} → ${target}: "stopped … output 0" logged after ${ms(runs.map((r) => r.stopped))}; ` +
      `every process gone after ${ms(runs.map((r) => r.gone))}`,
  );
}

const t0 = performance.now();
const watch = await watchParents(() => {}, { intervalMs: 60_000 });
const startMs = performance.now() - t0;
const n = 10_000;
const t1 = performance.now();
for (let i = 0; i < n; i++) watch.check();
const checkUs = (performance.now() - t1) / n * 1000;
watch.stop();
console.log(
  `parent watch: start (one ps) ${startMs.toFixed(1)} ms, ${watch.pids.length} ancestors; ` +
    `one check ${checkUs.toFixed(1)} µs (every 250 ms)`,
);
