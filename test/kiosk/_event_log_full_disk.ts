/** Test child: writes a session's event log on a nearly full file system (the caller mounts a tiny tmpfs), frees it, stops. */
import { createEventLog } from "../../kiosk/session/mod.ts";
import type { EngineEvent, EngineFrame } from "../../core/engine/mod.ts";
import type { EventInput } from "../../kiosk/session/mod.ts";

const dir = Deno.args[0]!;
const room = Number(Deno.args[1]);
let failures = 0;
const log = createEventLog(dir, { sessionId: () => "s1", flushFrames: 5, onError: () => void failures++ });
let t = 0;
const frame = () =>
  log.frame!(
    {
      t: t += 20,
      currentUa: 0,
      freqHz: 3,
      polarity: "alternating",
      zone: null,
      state: "running",
      limit: "idle",
      validForMs: 100,
    } satisfies EngineFrame,
    { stimulationMs: 0 },
  );
const event = (e: EventInput) => log.event!({ ...e, t } as EngineEvent, { source: "page" });
event({ type: "start", routine: "free", comfort: 5, screening: {} });
// Fill the disk, then give back `room` bytes: the next flushes write part of a line, then fail (ENOSPC).
const filler = Deno.openSync(`${dir}/filler`, { create: true, write: true });
try {
  while (true) filler.writeSync(new Uint8Array(4096));
} catch { /* full */ }
filler.truncateSync(Deno.statSync(`${dir}/filler`).size - room);
for (let i = 0; i < 100; i++) {
  event({ type: "probe", points: [{ u: 0.277, v: 0.532 }], confidence: 0.95 });
  frame();
}
filler.truncateSync(0); // room again
event({ type: "estop" });
for (let i = 0; i < 5; i++) frame();
log.close();
console.log(JSON.stringify({ failures, text: Deno.readTextFileSync(`${dir}/s1.jsonl`) }));
