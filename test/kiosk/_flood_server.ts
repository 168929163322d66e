/** A kiosk server alone in its process (for ws_flood.test.ts to read its RSS): prints its port, runs until killed. */
import { createEngine } from "../../core/engine/mod.ts";
import { createApp, serveKiosk } from "../../kiosk/server/mod.ts";
import { createSessionRunner } from "../../kiosk/session/mod.ts";
import { createNullSink } from "./_null_sink.ts";
import { routines } from "./_fixtures.ts";

const runner = createSessionRunner(createEngine({ routines }), { sink: createNullSink(), spinMs: 0 });
const server = serveKiosk(createApp({ runner }), { hostname: "127.0.0.1", port: 0 });
const { port } = await server.listening;
runner.start();
console.log(JSON.stringify({ port }));
