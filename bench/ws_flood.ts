/**
 * The kiosk under a WebSocket flood: `deno run -A bench/ws_flood.ts [seconds=8] [binary|junk|mix] [sockets=4]`.
 * Sockets that send small frames as fast as TCP takes them and never read; prints, each second, the server's
 * RSS, its 50 Hz ticks in that second and the MiB the clients got through.
 */
import { frame, rawConnect } from "../test/kiosk/_raw_ws.ts";

const seconds = Number(Deno.args[0] ?? 8);
const kind = Deno.args[1] ?? "binary";
const count = Number(Deno.args[2] ?? 4);
const binary = frame(0x2, new Uint8Array([1]));
const junk = frame(0x1, new TextEncoder().encode("{"));
const pick = (i: number) => kind === "binary" ? binary : kind === "junk" ? junk : i % 2 ? binary : junk;
const batch = new Uint8Array(Array.from({ length: 8192 }, (_, i) => [...pick(i)]).flat());

const child = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", new URL("./_ws_flood_server.ts", import.meta.url).pathname],
  stdout: "piped",
}).spawn();
const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
let buffer = "";
async function nextLine(): Promise<Record<string, number>> {
  while (!buffer.includes("\n")) buffer += (await lines.read()).value ?? "";
  const at = buffer.indexOf("\n");
  const line = buffer.slice(0, at);
  buffer = buffer.slice(at + 1);
  return JSON.parse(line);
}

const { port } = await nextLine();
const idle = await nextLine();
console.log(`${count} sockets, ${kind} frames, ${seconds} s; server idle: RSS ${idle.rssMb!.toFixed(1)} MB`);
const sockets = await Promise.all(Array.from({ length: count }, () => rawConnect(port!)));
let sent = 0;
const end = Date.now() + seconds * 1000;
const floods = sockets.map(async (ws) => {
  const cut = setTimeout(() => ws.closeQuietly(), end - Date.now());
  try {
    while (Date.now() < end) {
      await ws.write(batch);
      sent += batch.length;
    }
  } catch {
    // cut at the end
  }
  clearTimeout(cut);
});
let lastTicks = idle.ticks!;
for (let s = 1; s <= seconds; s++) {
  const { ticks, rssMb } = await nextLine();
  console.log(
    `  ${s} s: RSS ${rssMb!.toFixed(1)} MB, ${ticks! - lastTicks} ticks (of 50), ${
      (sent / 1048576).toFixed(1)
    } MiB sent`,
  );
  lastTicks = ticks!;
}
await Promise.all(floods);
child.kill("SIGKILL");
await child.status;
