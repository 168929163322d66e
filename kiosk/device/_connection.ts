/** One open connection to a device: claim, hello/info, limits, a read loop and a coalescing write queue. */
import type { DeviceInfo, DeviceLimits, DeviceMessage, OutputCommand, UsbDeviceLike } from "@glidepath/sdk";
import type { HostClock } from "./clock.ts";
import type { HostCodec, HostDriver } from "./_driver.ts";

/** A WebUSB device as the host uses it (clearHalt is optional: not every adapter has it). */
export type HostUsbDevice = UsbDeviceLike & {
  clearHalt?(direction: "in" | "out", endpointNumber: number): Promise<void>;
};

/** What the connection tells its owner. */
export interface ConnectionHooks {
  replyTimeoutMs: number;
  onMessage(conn: Connection, message: DeviceMessage): void;
  /** The device went away or a transfer failed; the connection is closed for I/O. */
  onLost(conn: Connection, error: unknown): void;
}

type WriteItem =
  | { kind: "output"; command: OutputCommand }
  | { kind: "control"; bytes: () => Promise<Uint8Array>; resolve: () => void; reject: (e: unknown) => void };

interface Waiter {
  match: (m: DeviceMessage) => boolean;
  resolve: (m: DeviceMessage) => void;
  reject: (e: unknown) => void;
  timer: unknown;
}

/** A live connection; the host creates one per (re)connect and drops it when the device goes. */
export class Connection {
  readonly device: HostUsbDevice;
  info: DeviceInfo | null = null;
  limits: DeviceLimits | null = null;
  stalls = 0;
  readonly #driver: HostDriver;
  readonly #clock: HostClock;
  readonly #hooks: ConnectionHooks;
  #codec: HostCodec | null = null;
  #closed = false;
  #released = false;
  #waiters = new Set<Waiter>();
  #queue: WriteItem[] = [];
  #writing = false;

  constructor(device: HostUsbDevice, driver: HostDriver, clock: HostClock, hooks: ConnectionHooks) {
    this.device = device;
    this.#driver = driver;
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Opens and claims the device, starts reading, says hello and waits for INFO. */
  async open(): Promise<void> {
    const ep = this.#driver.endpoints;
    if (!this.device.opened) await this.device.open();
    if (!this.device.configuration) await this.device.selectConfiguration(1);
    await this.device.claimInterface(ep.interfaceNumber);
    for (const { data, ...setup } of this.#driver.controlSetup ?? []) {
      await this.device.controlTransferOut(setup, new Uint8Array(data ?? []));
    }
    const codec = await this.#driver.createCodec();
    this.#codec = codec;
    void this.#readLoop(codec);
    const reply = this.#waitFor((m) => m.kind === "info", "INFO after hello");
    reply.catch(() => {}); // awaited below; this only keeps an early rejection from counting as unhandled
    await this.#control(() => codec.hello());
    const info = await reply;
    if (info.kind === "info") this.info = info.info;
  }

  /** Writes limits and waits for the device to acknowledge them; a refusal throws. */
  async writeLimits(limits: DeviceLimits): Promise<void> {
    const codec = this.#codec!;
    let seq: number | undefined;
    const reply = this.#waitFor(
      (m) =>
        (m.kind === "ack" && (seq === undefined || m.seq === seq)) ||
        (m.kind === "fault" && m.code.startsWith("nak:")),
      "ACK of limits",
    );
    reply.catch(() => {});
    await this.#control(async () => {
      const bytes = await codec.limits(limits);
      seq = codec.lastSentSeq;
      return bytes;
    });
    const answer = await reply;
    if (answer.kind === "fault") throw new Error(`device refused limits: ${answer.detail}`);
    this.limits = { ...limits };
  }

  /** Queues an output frame; a newer frame replaces one still waiting. */
  sendOutput(command: OutputCommand): void {
    const last = this.#queue[this.#queue.length - 1];
    if (last?.kind === "output") this.#queue[this.#queue.length - 1] = { kind: "output", command };
    else this.#queue.push({ kind: "output", command });
    void this.#drain();
  }

  /** Queues a stop (fire and forget). */
  sendStop(): void {
    const codec = this.#codec;
    if (!codec || this.#closed) return;
    this.#queue = this.#queue.filter((item) => item.kind !== "output");
    this.#control(() => this.#stopBytes(codec)).catch(() => {});
  }

  /** Ends I/O and releases the device; with stopFirst a STOP goes out first (waiting at most 100 ms). */
  async close(options: { stopFirst: boolean }): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    if (options.stopFirst && !this.#closed && this.#codec) {
      const codec = this.#codec;
      let timer: unknown = null;
      await Promise.race([
        this.#control(() => this.#stopBytes(codec)).catch(() => {}),
        new Promise<void>((resolve) => (timer = this.#clock.setTimeout(resolve, 100))),
      ]);
      this.#clock.clearTimeout(timer);
    }
    this.#end(new Error("connection closed"));
    try {
      await this.device.releaseInterface(this.#driver.endpoints.interfaceNumber);
    } catch { /* already gone */ }
    try {
      await this.device.close();
    } catch { /* already gone */ }
  }

  // A driver that failed may not encode anything any more; its standby stop still stops the device.
  async #stopBytes(codec: HostCodec): Promise<Uint8Array> {
    try {
      return await codec.stop();
    } catch (error) {
      if (this.#driver.standbyStop) return this.#driver.standbyStop;
      throw error;
    }
  }

  #end(error: unknown): void {
    this.#closed = true;
    this.#queue = [];
    for (const w of this.#waiters) {
      this.#clock.clearTimeout(w.timer);
      w.reject(error);
    }
    this.#waiters.clear();
  }

  #lose(error: unknown): void {
    if (this.#closed) return;
    this.#end(error);
    this.#hooks.onLost(this, error);
  }

  #waitFor(match: (m: DeviceMessage) => boolean, what: string): Promise<DeviceMessage> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        timer: this.#clock.setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`no ${what} within ${this.#hooks.replyTimeoutMs} ms`));
        }, this.#hooks.replyTimeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  #control(bytes: () => Promise<Uint8Array>): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("connection closed"));
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: "control", bytes, resolve, reject });
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    const ep = this.#driver.endpoints;
    while (this.#queue.length > 0 && !this.#closed) {
      const item = this.#queue.shift()!;
      let bytes: Uint8Array;
      try {
        bytes = await (item.kind === "output" ? this.#codec!.output(item.command) : item.bytes());
      } catch (error) {
        if (item.kind === "control") item.reject(error);
        else {this.#hooks.onMessage(this, {
            kind: "fault",
            code: "codec",
            detail: `codec refused output: ${text(error)}`,
          });}
        continue;
      }
      try {
        const result = await this.device.transferOut(ep.out, bytes as Uint8Array<ArrayBuffer>);
        if (result.status === "stall") {
          this.stalls++;
          await this.device.clearHalt?.("out", ep.out);
          if (item.kind === "control") item.reject(new Error("OUT endpoint stalled"));
        } else if (item.kind === "control") item.resolve();
      } catch (error) {
        if (item.kind === "control") item.reject(error);
        this.#lose(error);
      }
    }
    this.#writing = false;
  }

  async #readLoop(codec: HostCodec): Promise<void> {
    const ep = this.#driver.endpoints;
    while (!this.#closed) {
      let result;
      try {
        result = await this.device.transferIn(ep.in, ep.packetSize);
      } catch (error) {
        return this.#lose(error);
      }
      if (this.#closed) return;
      if (result.status === "stall") {
        this.stalls++;
        try {
          await this.device.clearHalt?.("in", ep.in);
        } catch (error) {
          return this.#lose(error);
        }
      }
      if (result.status !== "ok" || !result.data || result.data.byteLength === 0) {
        await this.#sleep(10); // never spin on a device that answers at once with nothing
        continue;
      }
      const d = result.data;
      const bytes = new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
      let messages: DeviceMessage[];
      try {
        messages = await codec.decode(bytes);
      } catch (error) {
        messages = [{ kind: "corrupt", reason: `decoder threw: ${text(error)}` }];
      }
      for (const message of messages) {
        for (const w of this.#waiters) {
          if (!w.match(message)) continue;
          this.#clock.clearTimeout(w.timer);
          this.#waiters.delete(w);
          w.resolve(message);
        }
        this.#hooks.onMessage(this, message);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.#clock.setTimeout(resolve, ms));
  }
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
