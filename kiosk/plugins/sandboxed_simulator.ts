/** The host's side of a plugin's simulated devices in its sandbox: RemoteSimulatedDevices the conformance kit drives over RPC. */
import type {
  CreateRemoteSimulatedDevice,
  RemoteSimulatedDevice,
  SimulatedDeviceOptions,
  UsbControlParameters,
  UsbDeviceLike,
  UsbInResult,
  UsbOutResult,
} from "../../core/sdk/mod.ts";
import type { SimReply } from "./_child_simulator.ts";
import { PluginFailedError, type PluginProcess } from "./sandbox.ts";

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const bytesOf = (data?: BufferSource): Uint8Array =>
  data === undefined
    ? new Uint8Array(0)
    : data instanceof ArrayBuffer
    ? new Uint8Array(data).slice()
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();

/**
 * createSimulatedDevice for a process started with `simulatorEntry`: each device lives in the sandbox,
 * so the vendor's simulator runs with the plugin's permissions, never the caller's.
 */
export function sandboxedSimulator(proc: PluginProcess): CreateRemoteSimulatedDevice {
  return async (options: SimulatedDeviceOptions = {}): Promise<RemoteSimulatedDevice> => {
    const created = (await proc.call("sim.create", { options })) as SimReply & {
      handle: number;
      info: {
        vendorId: number;
        productId: number;
        deviceClass: number;
        productName: string | null;
        serialNumber: string | null;
      };
    };
    const handle = created.handle;
    const waiting = new Map<number, Waiting>();
    let state = created.state!;
    const absorb = (r: SimReply) => {
      if (r.state) state = r.state;
      for (const s of r.settled) {
        const w = waiting.get(s.token);
        if (!w) continue;
        waiting.delete(s.token);
        if (s.error) w.reject(new DOMException(s.error.message, s.error.name));
        else w.resolve(s.result);
      }
    };
    // A sandbox that fails (or is disposed) leaves no USB operation hanging.
    proc.onFailure((reason) => {
      for (const w of waiting.values()) w.reject(new PluginFailedError(proc.pluginId, reason));
      waiting.clear();
    });
    const control = async (method: string, params: Record<string, unknown> = {}) => {
      absorb((await proc.call(method, { handle, ...params })) as SimReply);
    };
    const op = async (name: string, args: unknown[]): Promise<unknown> => {
      const r = (await proc.call("sim.op", { handle, op: name, args })) as SimReply & { token: number };
      const settled = new Promise((resolve, reject) => waiting.set(r.token, { resolve, reject }));
      absorb(r);
      return await settled;
    };
    const { info } = created;
    const device: UsbDeviceLike = {
      vendorId: info.vendorId,
      productId: info.productId,
      deviceClass: info.deviceClass,
      productName: info.productName ?? undefined,
      serialNumber: info.serialNumber ?? undefined,
      get opened() {
        return state.opened;
      },
      get configuration() {
        return state.configuration;
      },
      open: () => op("open", []).then(() => {}),
      close: () => op("close", []).then(() => {}),
      selectConfiguration: (value: number) => op("selectConfiguration", [value]).then(() => {}),
      claimInterface: (n: number) => op("claimInterface", [n]).then(() => {}),
      releaseInterface: (n: number) => op("releaseInterface", [n]).then(() => {}),
      controlTransferOut: (setup: UsbControlParameters, data?: BufferSource) =>
        op("controlTransferOut", [setup, bytesOf(data)]) as Promise<UsbOutResult>,
      transferOut: (ep: number, data: BufferSource) =>
        op("transferOut", [ep, bytesOf(data)]) as Promise<UsbOutResult>,
      async transferIn(ep: number, length: number): Promise<UsbInResult> {
        const r = (await op("transferIn", [ep, length])) as {
          status: UsbInResult["status"];
          data?: Uint8Array;
        };
        const data = r.data instanceof Uint8Array
          ? new DataView(r.data.buffer, r.data.byteOffset, r.data.byteLength)
          : undefined;
        return { status: r.status, data };
      },
    };
    return {
      device,
      get outputUa() {
        return state.outputUa;
      },
      advance: (ms: number) => control("sim.advance", { ms }),
      setContact: (on: boolean, impedanceOhm?: number) => control("sim.setContact", { on, impedanceOhm }),
      inject: (fault) => control("sim.inject", { fault }),
      dispose: () => proc.state === "running" ? control("sim.dispose") : Promise.resolve(),
    };
  };
}
