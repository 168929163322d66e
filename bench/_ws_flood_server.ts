/** The kiosk server for bench/ws_flood.ts, alone in its process: prints its port, then each second its ticks and RSS. */
import { createEngine } from "../core/engine/mod.ts";
import { loadCoreRoutines } from "../kiosk/routines/mod.ts";
import { createApp, serveKiosk } from "../kiosk/server/mod.ts";
import { createSessionRunner } from "../kiosk/session/mod.ts";
import { createNullSink } from "../test/kiosk/_null_sink.ts";

const runner = createSessionRunner(createEngine({ routines: await loadCoreRoutines() }), {
  sink: createNullSink(),
  spinMs: 0,
});
const server = serveKiosk(createApp({ runner }), { hostname: "127.0.0.1", port: 0 });
const { port } = await server.listening;
let ticks = 0;
runner.observe({ frame: () => void ticks++ });
runner.start();
console.log(JSON.stringify({ port }));
setInterval(() => console.log(JSON.stringify({ ticks, rssMb: Deno.memoryUsage().rss / 1048576 })), 1000);
