/**
 * A real kiosk in its own process for the fault matrix (kiosk killed, disk full). Its SIM-1's cable is tapped:
 * every byte the kiosk writes to the device goes to stdout as a JSON line, so a copy of the device's firmware in
 * the harness can go on running after this process dies. Commands on stdin: "fill" (fill the data folder's
 * file system), "unfill", "stop" (shut down, copy the store to COPY_TO, exit).
 *
 * Usage: deno run -A tools/faults/_kiosk_child.ts DATA_DIR [COPY_TO]
 */
import { join } from "node:path";
import { startKiosk } from "../../kiosk/mod.ts";
import { SimUsb, SimUsbDevice } from "../../plugins/sim-binary/mod.ts";

const [dataDir, copyTo] = Deno.args;
if (!dataDir) throw new TypeError("Cannot start the fault-matrix kiosk: DATA_DIR is missing");
const encoder = new TextEncoder();
/** Epoch milliseconds with sub-ms precision, comparable across processes. */
const epoch = () => performance.timeOrigin + performance.now();
const say = (message: Record<string, unknown>) =>
  Deno.stdout.writeSync(encoder.encode(JSON.stringify(message) + "\n"));

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** The SIM-1 with a tap on its OUT endpoint. */
class TappedDevice extends SimUsbDevice {
  override transferOut(endpointNumber: number, data: BufferSource | ArrayBufferView<ArrayBufferLike>) {
    const view = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data as ArrayBuffer);
    say({ out: base64(view), at: epoch() });
    return super.transferOut(endpointNumber, data);
  }
}

const registry = new SimUsb();
registry.plug(new TappedDevice({ firmware: { noiseUa: 0.3 } }));
const kiosk = await startKiosk({
  port: 0,
  buildUi: false,
  demo: false,
  device: "simulated",
  dataDir,
  usb: registry,
  usbSimulated: true,
  pluginDir: join(copyTo ?? dataDir, "plugins"),
  operatorPin: "7391",
  log: (line) => say({ log: line }),
});
const filler = join(dataDir, "fault-matrix-fill");
say({ ready: kiosk.url, at: epoch() });

function fill() {
  const file = Deno.openSync(filler, { create: true, write: true });
  const chunk = new Uint8Array(4096);
  // Never more than 64 MiB: on a normal disk (no private mount) this must not fill the machine.
  let written = 0;
  try {
    while (written < 64 << 20) written += file.writeSync(chunk);
    say({ filled: "not full after 64 MiB", at: epoch() });
  } catch (error) {
    say({ filled: error instanceof Error ? error.name : String(error), at: epoch() });
  } finally {
    file.close();
  }
}

const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
let buffered = "";
for await (const chunk of lines) {
  buffered += chunk;
  const parts = buffered.split("\n");
  buffered = parts.pop() ?? "";
  for (const command of parts.map((p) => p.trim())) {
    if (command === "fill") fill();
    if (command === "unfill") Deno.removeSync(filler);
    if (command === "stop") {
      await kiosk.shutdown("fault-matrix");
      if (copyTo) {
        // The -shm index is rebuilt from the WAL; a copy of it could be stale.
        for (const name of ["glidepath.sqlite", "glidepath.sqlite-wal"]) {
          try {
            Deno.copyFileSync(join(dataDir, name), join(copyTo, name));
          } catch { /* no such file */ }
        }
      }
      say({ stopped: true, at: epoch() });
      Deno.exit(0);
    }
  }
}
