/** How fast a local attacker can have PINs checked over fresh sockets (the figure behind docs/decisions.md "Operator PIN"). */
import { createEngine } from "../core/engine/mod.ts";
import { createApp } from "../kiosk/server/mod.ts";
import { createSessionRunner } from "../kiosk/session/mod.ts";
import { createNullSink } from "../test/kiosk/_null_sink.ts";
import { openStore } from "../kiosk/store/mod.ts";

const SECONDS = Number(Deno.args[0] ?? 10);
const PARALLEL = 16;

const dir = Deno.makeTempDirSync({ prefix: "gp-bench-pin-" });
const store = openStore(dir);
const runner = createSessionRunner(createEngine({ routines: [] }), { sink: createNullSink(), spinMs: 0 });
const controller = new AbortController();
let recoveryCodes = 0;
const app = createApp({
  runner,
  store,
  operatorPin: "482916",
  onOperatorRecovery: () => void recoveryCodes++,
  signal: controller.signal,
});
const ready = Promise.withResolvers<Deno.NetAddr>();
const server = Deno.serve(
  {
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: (a) => ready.resolve(a as Deno.NetAddr),
  },
  app.fetch,
);
const { port } = await ready.promise;
runner.start();
const url = `ws://127.0.0.1:${port}/ws`;
const origin = `http://127.0.0.1:${port}`;

/** One attacker socket: its two free guesses, then a fresh socket (the per-socket wait never starts). */
function twoGuesses(first: number): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: { origin } } as unknown as string[]);
    let answers = 0;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "operator", pin: String(first).padStart(12, "0") }));
      ws.send(JSON.stringify({ type: "operator", pin: String(first + 1).padStart(12, "0") }));
    };
    ws.onmessage = (e) => {
      if (JSON.parse(String(e.data)).of === "operator" && ++answers === 2) ws.close();
    };
    ws.onclose = () => resolve(answers);
    ws.onerror = () => resolve(answers);
  });
}

let checked = 0;
let next = 100_000;
const end = performance.now() + SECONDS * 1000;
await Promise.all(Array.from({ length: PARALLEL }, async () => {
  while (performance.now() < end) checked += await twoGuesses(next += 2);
}));
const rate = checked / SECONDS;
const rows = store.auditLog({ limit: 1000 });
console.log(
  `fresh-socket guessing, ${PARALLEL} in parallel for ${SECONDS} s: ${checked} PINs checked = ${
    rate.toFixed(0)
  }/s`,
);
console.log(
  `audit rows written: ${rows.length} (wrong ${
    rows.filter((r) => r.action === "operator-pin-wrong").length
  }, ` +
    `refusal summaries ${
      rows.filter((r) => r.action === "operator-pin-refused").length
    }); global locks: ${recoveryCodes}`,
);
const years = 1e12 / 2 / rate / (365 * 24 * 3600);
console.log(
  `a 12-digit recovery code at that rate: half the space in ${years.toFixed(1)} years of flat-out guessing`,
);
await runner.dispose();
controller.abort();
await server.finished;
store.dispose();
Deno.removeSync(dir, { recursive: true });
