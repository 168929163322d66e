/**
 * What a worker-thread tick would give: the engine ticked by the same scheduler in a Worker (raised priority
 * there), while the main thread serves HTTP and broadcasts the frames over WS under the same load as
 * bench/scheduler_jitter.ts. Measures the tick's lateness only (frames still cross to the main thread).
 *
 *   deno run -A bench/scheduler_worker.ts [seconds=10] [HTTP req/s list=500,0] [nice list=0,-10]
 */
import { Hono } from "hono";
import { upgradeWebSocket } from "hono/deno";
import type { JitterStats } from "../kiosk/session/mod.ts";

const seconds = Number(Deno.args[0] ?? 10);
const rates = (Deno.args[1] ?? "500,0").split(",").map(Number);
const nices = (Deno.args[2] ?? "0,-10").split(",").map(Number);
const fmt = (x: number) => x.toFixed(3).padStart(7);

console.log(`worker-thread tick at 50 Hz, ${seconds} s per run, load as in bench/scheduler_jitter.ts`);
console.log(`${navigator.hardwareConcurrency} cores, load average before: ${Deno.loadavg().join(" ")}`);
console.log("load  nice |   ticks skipped |  p50 ms  p99 ms  max ms | HTTP req/s | WS frames/s");
for (const rate of rates) {
  for (const nice of nices) {
    const worker = new Worker(new URL("./_scheduler_worker_tick.ts", import.meta.url), { type: "module" });
    const sockets = new Set<{ send(text: string): void }>();
    let last: unknown = null;
    const statsReply = Promise.withResolvers<JitterStats>();
    worker.onmessage = (e) => {
      if (e.data.stats) return statsReply.resolve(e.data.stats);
      last = e.data.frame;
      const text = JSON.stringify({ type: "frame", frame: e.data.frame });
      for (const s of sockets) s.send(text);
    };
    worker.postMessage({ nice, spinMs: 2 });
    const app = new Hono();
    app.get("/api/health", (c) => c.json({ engine: last, uptimeS: performance.now() / 1000 }));
    app.get("/api/sessions", (c) => c.json([]));
    app.get(
      "/ws",
      upgradeWebSocket(() => {
        let me: { send(text: string): void } | null = null;
        return {
          onOpen: (_e, ws) => void sockets.add(me = { send: (t) => ws.send(t) }),
          onMessage: (e) => void JSON.parse(String(e.data)),
          onClose: () => void (me && sockets.delete(me)),
        };
      }),
    );
    const ready = Promise.withResolvers<Deno.NetAddr>();
    const controller = new AbortController();
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      signal: controller.signal,
      onListen: (a) => ready.resolve(a as Deno.NetAddr),
    }, app.fetch);
    const addr = await ready.promise;
    const load = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./scheduler_jitter.ts", import.meta.url).pathname,
        "--load",
        `http://127.0.0.1:${addr.port}/`,
        String(seconds * 1000),
        String(rate),
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    await new Promise((r) => setTimeout(r, 500));
    worker.postMessage("reset");
    const out = await load;
    worker.postMessage("stats");
    const stats = await statsReply.promise;
    worker.terminate();
    controller.abort();
    await server.finished;
    const figures = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "{}");
    console.log(
      `${(rate ? String(rate) : "sat").padStart(4)}  ${String(nice).padStart(4)} | ${
        String(stats.ticks).padStart(7)
      } ${String(stats.skipped).padStart(7)} |${fmt(stats.p50)} ${fmt(stats.p99)} ${fmt(stats.max)} | ${
        String(Math.round(figures.requests / seconds)).padStart(10)
      } | ${String(Math.round(figures.frames / seconds)).padStart(11)}`,
    );
  }
}
console.log(`load average after: ${Deno.loadavg().join(" ")}`);
