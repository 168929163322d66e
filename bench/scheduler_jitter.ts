/**
 * Tick jitter of the kiosk's real 50 Hz scheduler while the server is busy: a running demo session,
 * WebSocket clients taking every frame and sending probes at 30 Hz, and concurrent HTTP requests on
 * loopback from a separate load process. Prints p50/p99/max lateness per busy-wait setting.
 *
 *   deno run -A bench/scheduler_jitter.ts [seconds=10] [spinMs list=2,0] [HTTP req/s list=100,500,0 (0 = saturate)]
 *     [nice list=0,-10]
 */
import os from "node:os";
import { startTestKiosk } from "../test/kiosk/_kiosk.ts";

const LOAD_FLAG = "--load";
const HTTP_CONCURRENCY = 16;
const WS_CLIENTS = 4;

if (Deno.args[0] === LOAD_FLAG) {
  await runLoad(Deno.args[1]!, Number(Deno.args[2]), Number(Deno.args[3]));
  Deno.exit(0);
}

/**
 * The load process: WS clients plus HTTP requests on /api/health and /api/sessions, either at a fixed
 * rate (open loop, `rate` per second) or, with rate 0, as HTTP_CONCURRENCY back-to-back loops (saturation).
 */
async function runLoad(base: string, ms: number, rate: number) {
  os.setPriority(0); // the load must not inherit the kiosk's raised priority
  const end = Date.now() + ms;
  let requests = 0;
  let frames = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < WS_CLIENTS; i++) {
    // The kiosk accepts WebSockets only from its own page's origin.
    const ws = new WebSocket(base.replace("http", "ws") + "ws", {
      headers: { origin: new URL(base).origin },
    } as unknown as string[]);
    ws.onmessage = () => void frames++;
    sockets.push(ws);
  }
  const probeTimer = setInterval(() => {
    for (const ws of sockets) {
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(
          JSON.stringify({
            type: "probe",
            points: [{ u: 0.277, v: 0.532 }],
            confidence: 0.9,
            capturedAt: performance.now(),
          }),
        );
      }
    }
  }, 33);
  const one = async (i: number) => {
    const res = await fetch(base + (i % 4 === 0 ? "api/sessions" : "api/health"));
    await res.arrayBuffer();
    requests++;
  };
  if (rate > 0) {
    let sent = 0;
    const start = Date.now();
    const inflight = new Set<Promise<void>>();
    while (Date.now() < end) {
      const due = Math.floor(((Date.now() - start) / 1000) * rate);
      while (sent < due && inflight.size < 64) {
        const p = one(sent++).finally(() => inflight.delete(p));
        inflight.add(p);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inflight);
  } else {
    await Promise.all(Array.from({ length: HTTP_CONCURRENCY }, async (_, i) => {
      while (Date.now() < end) await one(i);
    }));
  }
  clearInterval(probeTimer);
  for (const ws of sockets) ws.close();
  console.log(JSON.stringify({ requests, frames }));
}

const seconds = Number(Deno.args[0] ?? 10);
const spins = (Deno.args[1] ?? "2,0").split(",").map(Number);
/** HTTP request rates per second; 0 = saturation (back-to-back loops). */
const rates = (Deno.args[2] ?? "100,500,0").split(",").map(Number);
/** Nice values for the kiosk's main thread (negative needs privileges, like KIOSK_NICE in main.ts). */
const nices = (Deno.args[3] ?? "0,-10").split(",").map(Number);
const fmt = (x: number) => x.toFixed(3).padStart(7);
console.log(
  `scheduler jitter at 50 Hz, ${seconds} s per run; load from a separate process: ${WS_CLIENTS} WS clients ` +
    `(every frame, probes at 30 Hz) + HTTP at a fixed rate, or "sat" = ${HTTP_CONCURRENCY} back-to-back loops`,
);
console.log(
  `${navigator.hardwareConcurrency} cores, deno ${Deno.version.deno}, load average before: ${
    Deno.loadavg().join(" ")
  }`,
);
console.log("load  nice spinMs |   ticks skipped |  p50 ms  p99 ms  max ms | HTTP req/s | WS frames/s");
for (const rate of rates) {
  for (const nice of nices) {
    for (const spinMs of spins) {
      try {
        os.setPriority(nice);
      } catch (error) {
        console.log(`nice ${nice}: cannot set (${(error as Error).message}); skipped`);
        continue;
      }
      const dataDir = Deno.makeTempDirSync({ prefix: "gp-bench-" });
      const kiosk = await startTestKiosk({
        demo: true,
        demoAutostart: true,
        dataDir,
        spinMs,
      });
      const load = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL(import.meta.url).pathname,
          LOAD_FLAG,
          kiosk.url,
          String(seconds * 1000),
          String(rate),
        ],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      await new Promise((r) => setTimeout(r, 500)); // let the load ramp up before measuring
      kiosk.runner.resetJitter();
      const out = await load;
      const stats = kiosk.runner.jitter();
      const loadFigures = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "{}");
      await kiosk.shutdown("bench");
      os.setPriority(0);
      Deno.removeSync(dataDir, { recursive: true });
      console.log(
        `${(rate ? String(rate) : "sat").padStart(4)}  ${String(nice).padStart(4)} ${
          String(spinMs).padStart(6)
        } | ${String(stats.ticks).padStart(7)} ${String(stats.skipped).padStart(7)} |` +
          `${fmt(stats.p50)} ${fmt(stats.p99)} ${fmt(stats.max)} | ${
            String(Math.round(loadFigures.requests / seconds)).padStart(10)
          } |` +
          ` ${String(Math.round(loadFigures.frames / seconds)).padStart(11)}`,
      );
    }
  }
}
console.log(
  `target: p99 ≤ 2 ms; load average after: ${
    Deno.loadavg().join(" ")
  } (other processes on the box add jitter)`,
);
