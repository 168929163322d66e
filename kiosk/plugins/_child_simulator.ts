/** Runs inside a plugin's sandbox: serves its simulated devices (plugin.json "simulator") to `plugin check` over the same RPC. */
import type { CreateSimulatedDevice, SimulatedDevice } from "../../core/sdk/mod.ts";

/** What every sim.* reply carries: the device's state now, and USB operations that have settled since. */
export interface SimReply {
  state: { outputUa: number; opened: boolean; configuration: { configurationValue: number } | null } | null;
  settled: { token: number; result?: unknown; error?: { name: string; message: string } }[];
}

const OPS = new Set([
  "open",
  "close",
  "selectConfiguration",
  "claimInterface",
  "releaseInterface",
  "controlTransferOut",
  "transferOut",
  "transferIn",
]);

// One message-channel turn, then a burst of microtask turns: lets promise chains woken by the call settle.
async function flush(): Promise<void> {
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
  for (let i = 0; i < 64; i++) await null;
}

// Results cross the wire as plain data: a DataView becomes its bytes.
function plain(result: unknown): unknown {
  if (result === undefined) return null;
  const r = result as { status?: unknown; data?: unknown; bytesWritten?: unknown };
  if (r && typeof r === "object" && r.data instanceof DataView) {
    return {
      status: r.status,
      data: new Uint8Array(r.data.buffer.slice(r.data.byteOffset, r.data.byteOffset + r.data.byteLength)),
    };
  }
  return result;
}

/** sim.* request handlers over the simulator module's createSimulatedDevice (none when there is no module). */
export function simulatorHandlers(
  module: Record<string, unknown> | null,
): Record<string, (params: Record<string, unknown>) => unknown> {
  const sims = new Map<number, { sim: SimulatedDevice; settled: SimReply["settled"] }>();
  let nextHandle = 1;
  let nextToken = 1;
  const get = (p: Record<string, unknown>) => {
    const s = sims.get(p.handle as number);
    if (!s) throw new RangeError(`No simulated device with handle ${p.handle}`);
    return s;
  };
  const reply = async (handle: number, extra: Record<string, unknown> = {}): Promise<SimReply> => {
    await flush();
    const s = sims.get(handle);
    if (!s) return { state: null, settled: [], ...extra };
    const d = s.sim.device;
    return {
      state: { outputUa: s.sim.outputUa, opened: d.opened, configuration: d.configuration ?? null },
      settled: s.settled.splice(0),
      ...extra,
    };
  };
  const control =
    (fn: (sim: SimulatedDevice, p: Record<string, unknown>) => void) => (p: Record<string, unknown>) => {
      fn(get(p).sim, p);
      return reply(p.handle as number);
    };
  return {
    "sim.create"(p) {
      const create = module?.createSimulatedDevice as CreateSimulatedDevice | undefined;
      if (typeof create !== "function") {
        throw new TypeError("The simulator module exports no createSimulatedDevice");
      }
      const sim = create((p.options ?? {}) as Parameters<CreateSimulatedDevice>[0]);
      const handle = nextHandle++;
      sims.set(handle, { sim, settled: [] });
      const d = sim.device;
      const info = {
        vendorId: d.vendorId,
        productId: d.productId,
        deviceClass: d.deviceClass,
        productName: d.productName ?? null,
        serialNumber: d.serialNumber ?? null,
      };
      return reply(handle, { handle, info });
    },
    // A USB operation may wait (transferIn until the device talks): it settles in this or a later reply.
    "sim.op"(p) {
      const s = get(p);
      const op = p.op as string;
      if (!OPS.has(op)) throw new RangeError(`No USB operation "${op}"`);
      const token = nextToken++;
      const device = s.sim.device as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      Promise.resolve().then(() => device[op]!(...(p.args as unknown[] ?? []))).then(
        (result) => s.settled.push({ token, result: plain(result) }),
        (e) =>
          s.settled.push({ token, error: { name: e?.name ?? "Error", message: e?.message ?? String(e) } }),
      );
      return reply(p.handle as number, { token });
    },
    "sim.advance": control((sim, p) => sim.advance(p.ms as number)),
    "sim.setContact": control((sim, p) =>
      sim.setContact(p.on as boolean, p.impedanceOhm as number | undefined)
    ),
    "sim.inject": control((sim, p) => sim.inject(p.fault as Parameters<SimulatedDevice["inject"]>[0])),
    async "sim.dispose"(p) {
      const s = get(p);
      s.sim.dispose();
      const r = await reply(p.handle as number);
      sims.delete(p.handle as number);
      return r;
    },
  };
}
