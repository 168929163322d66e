import { test } from "uvu";
import * as assert from "uvu/assert";
import { frame, rawConnect, type RawSocket } from "./_raw_ws.ts";

const SOCKETS = 4;
const WARM_MS = 1000;
const FLOOD_MS = 3000;
const MAX_BYTES_PER_SOCKET = 48 << 20;
const MAX_GROWTH_MB = 50;

/** The server's resident memory, from /proc (Linux). */
function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`))?.[1]);
  return kb / 1024;
}

/**
 * Writes `batch` over and over until `deadline` or `maxBytes`, never reading. A write the server stops taking
 * (its TCP window full) is cut at the deadline.
 */
async function flood(ws: RawSocket, batch: Uint8Array, deadline: number, maxBytes: number): Promise<number> {
  let sent = 0;
  const cut = setTimeout(() => ws.closeQuietly(), deadline - Date.now());
  try {
    while (Date.now() < deadline && sent < maxBytes) {
      await ws.write(batch);
      sent += batch.length;
    }
  } catch {
    // cut at the deadline
  } finally {
    clearTimeout(cut);
  }
  return sent;
}

test("4 sockets that flood small binary frames and never read leave the server's RSS flat; the page's estop still gets through", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_flood_server.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!line.includes("\n")) line += (await reader.read()).value ?? "";
    const { port } = JSON.parse(line);
    const sockets = await Promise.all(Array.from({ length: SOCKETS }, () => rawConnect(port)));
    // Each binary message asks for an error reply: 7 bytes in, about 90 bytes out. Before the limits every one
    // was answered, past the rate limit and the backlog guard.
    const binary = frame(0x2, new Uint8Array([1]));
    const batch = new Uint8Array(Array.from({ length: 8192 }, () => [...binary]).flat());
    const start = rssMb(child.pid);
    // The first second warms the server up (heap, buffers); from then on RSS must stay flat while the flood
    // goes on.
    // The kiosk page, on a socket of its own, presses the emergency stop in the middle of the flood.
    const page = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      headers: { origin: `http://127.0.0.1:${port}` },
    } as unknown as string[]);
    await new Promise((resolve, reject) => ((page.onopen = resolve), (page.onerror = reject)));
    const estopAck = new Promise<string>((resolve) => {
      page.onmessage = (e) => {
        const m = JSON.parse(String(e.data));
        if (m.type === "ack" && m.of === "estop") resolve("acked");
      };
    });
    let before = start;
    const sample = setTimeout(() => {
      before = rssMb(child.pid);
      page.send(JSON.stringify({ type: "estop" }));
    }, WARM_MS);
    const deadline = Date.now() + WARM_MS + FLOOD_MS;
    const sent = await Promise.all(sockets.map((ws) => flood(ws, batch, deadline, MAX_BYTES_PER_SOCKET)));
    clearTimeout(sample);
    const after = rssMb(child.pid);
    const totalMb = sent.reduce((a, b) => a + b, 0) / 1048576;
    console.log(
      `flood: ${SOCKETS} sockets sent ${totalMb.toFixed(1)} MiB of small frames in ${
        WARM_MS + FLOOD_MS
      } ms; ` +
        `server RSS ${start.toFixed(1)} MB idle, ${before.toFixed(1)} MB after ${WARM_MS} ms of it, ` +
        `${after.toFixed(1)} MB at the end (${(after - before).toFixed(1)} MB)`,
    );
    assert.ok(totalMb > 1, `the flood reached the server (${totalMb.toFixed(1)} MiB)`);
    assert.ok(after - before < MAX_GROWTH_MB, `RSS grew ${(after - before).toFixed(1)} MB`);
    // A guard against hanging, not a timing check: the ack comes once the server reads the page's socket.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const guard = new Promise<string>((
      resolve,
    ) => (timer = setTimeout(() => resolve("no ack in 10 s"), 10_000)));
    const outcome = await Promise.race([estopAck, guard]);
    clearTimeout(timer);
    assert.is(outcome, "acked");
    page.close();
    for (const ws of sockets) ws.closeQuietly();
    reader.releaseLock();
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await child.stdout.cancel().catch(() => {});
  }
});

test.run();
