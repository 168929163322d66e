/** One open connection to a device: claim, hello/info, limits, a read loop and a coalescing write queue. */
import { errorText } from "./_error_text.ts";
import {
  type AsyncDriverCodec,
  type Clock,
  type DeviceInfo,
  type DeviceLimits,
  type DeviceMessage,
  type OutputCommand,
  seqOf,
  type UsbDeviceLike,
} from "@glidepath/sdk";
import type { HostDriver } from "./_driver.ts";

/** How long a release or close of the USB device is waited for before the host goes on without it. */
const RELEASE_WAIT_MS = 1000;

/** A WebUSB device as the host uses it (clearHalt is optional: not every adapter has it). */
export type HostUsbDevice = UsbDeviceLike & {
  clearHalt?(direction: "in" | "out", endpointNumber: number): Promise<void>;
};

/** The device answered a limits write with a NAK (the message names its reason). */
export class LimitsRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LimitsRefusedError";
  }
}

/** What the connection tells its owner. */
export interface ConnectionHooks {
  replyTimeoutMs: number;
  onMessage(conn: Connection, message: DeviceMessage): void;
  /** The device went away or a transfer failed; the connection is closed for I/O. */
  onLost(conn: Connection, error: unknown): void;
}

type WriteItem =
  | { kind: "output"; command: OutputCommand }
  | {
    kind: "control";
    bytes: () => Promise<Uint8Array>;
    resolve: () => void;
    reject: (e: unknown) => void;
    /** A STOP: the one write still allowed once the connection is closing. */
    stop?: boolean;
  };

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
  /** Net-DC output allowed on this connection (device and manifest both declare it); set with the limits. */
  netDc = false;
  stalls = 0;
  readonly #driver: HostDriver;
  readonly #clock: Clock;
  readonly #hooks: ConnectionHooks;
  #codec: AsyncDriverCodec | null = null;
  #closed = false;
  #released = false;
  // Closing: nothing but a STOP is written any more, whatever the codec returns or was asked before.
  #halted = false;
  #waiters = new Set<Waiter>();
  #queue: WriteItem[] = [];
  #writing = false;
  // While a limits write waits for its answer, output frames wait too (they are never sent on old limits).
  #holdOutput = false;

  constructor(device: HostUsbDevice, driver: HostDriver, clock: Clock, hooks: ConnectionHooks) {
    this.device = device;
    this.#driver = driver;
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** Opens and claims the device, starts reading, says hello and waits for INFO. */
  async open(): Promise<void> {
    const ep = this.#driver.endpoints;
    if (!this.device.opened) await this.device.open();
    if (this.#released) {
      // Closed while the device was opening: the open finished after the close, so close again.
      await this.device.close().catch(() => {});
      throw new Error("connection closed while opening");
    }
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

  /**
   * Writes limits and waits for the device to acknowledge them; a NAK of them throws with its reason.
   * The answer is matched by the sequence number the codec reports for the limits frame; output is held
   * until the answer comes, so with a codec that reports none, no output ACK can be in flight behind it.
   */
  async writeLimits(limits: DeviceLimits): Promise<void> {
    const codec = this.#codec!;
    let sent = false;
    let seq: number | undefined;
    const reply = this.#waitFor((m) => {
      if (!sent || (m.kind !== "ack" && m.kind !== "nak")) return false;
      if (seq !== undefined) return m.seq === seq;
      return m.kind === "ack" || m.seq !== undefined;
    }, "ACK of limits");
    reply.catch(() => {});
    this.#holdOutput = true;
    try {
      await this.#control(async () => {
        const bytes = await codec.limits(limits);
        seq = seqOf(codec);
        sent = true;
        return bytes;
      });
      const answer = await reply;
      if (answer.kind === "nak") {
        throw new LimitsRefusedError(
          `device refused limits: ${answer.reason}${answer.detail ? ` (${answer.detail})` : ""}`,
        );
      }
      this.limits = { ...limits };
    } finally {
      this.#holdOutput = false;
      void this.#drain();
    }
  }

  /** Queues an output frame; a newer frame replaces one still waiting. Ignored once the connection is closing. */
  sendOutput(command: OutputCommand): void {
    if (this.#halted) return;
    const last = this.#queue[this.#queue.length - 1];
    if (last?.kind === "output") this.#queue[this.#queue.length - 1] = { kind: "output", command };
    else this.#queue.push({ kind: "output", command });
    void this.#drain();
  }

  /** Queues a stop ahead of everything waiting (fire and forget): it is the next write to the device. */
  sendStop(): void {
    const codec = this.#codec;
    if (!codec || this.#closed) return;
    this.#queue = this.#queue.filter((item) => item.kind !== "output");
    this.#control(() => this.#stopBytes(codec), { first: true, stop: true }).catch(() => {});
  }

  /**
   * Ends I/O and releases the device. At once: queued frames and writes are dropped (waiting writes reject),
   * and bytes the codec is still encoding are thrown away when they come back, so after a write already on
   * the wire the only write left is, with stopFirst, one STOP (waited for at most 100 ms).
   */
  async close(options: { stopFirst: boolean }): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    this.#halted = true;
    this.#drop(new Error("connection closing"));
    if (options.stopFirst && !this.#closed && this.#codec) {
      const codec = this.#codec;
      await this.#within(100, () => this.#control(() => this.#stopBytes(codec), { stop: true }));
    }
    this.#end(new Error("connection closed"));
    // Bounded: a release that never returns (a wedged bus) must not hold the host's reconnect or shutdown.
    const interfaceNumber = this.#driver.endpoints.interfaceNumber;
    await this.#within(RELEASE_WAIT_MS, () => this.device.releaseInterface(interfaceNumber));
    await this.#within(RELEASE_WAIT_MS, () => this.device.close());
  }

  // Waits for `work` at most `ms` on the host's clock; its failure or lateness is not the caller's concern.
  async #within(ms: number, work: () => Promise<unknown>): Promise<void> {
    let timer: unknown = null;
    await Promise.race([
      Promise.resolve().then(work).then(() => {}, () => {}),
      new Promise<void>((resolve) => (timer = this.#clock.setTimeout(resolve, ms))),
    ]);
    this.#clock.clearTimeout(timer);
  }

  // A driver that failed may not encode anything any more; its standby stop still stops the device.
  async #stopBytes(codec: AsyncDriverCodec): Promise<Uint8Array> {
    try {
      return await codec.stop();
    } catch (error) {
      if (this.#driver.standbyStop) return this.#driver.standbyStop;
      throw error;
    }
  }

  #end(error: unknown): void {
    this.#closed = true;
    this.#halted = true;
    this.#drop(error);
    for (const w of this.#waiters) {
      this.#clock.clearTimeout(w.timer);
      w.reject(error);
    }
    this.#waiters.clear();
  }

  // Empties the write queue; waiting control writes (hello, limits) reject rather than hang.
  #drop(error: unknown): void {
    const dropped = this.#queue;
    this.#queue = [];
    for (const item of dropped) if (item.kind === "control") item.reject(error);
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

  #control(
    bytes: () => Promise<Uint8Array>,
    options: { first?: boolean; stop?: boolean } = {},
  ): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("connection closed"));
    if (this.#halted && !options.stop) return Promise.reject(new Error("connection closing"));
    return new Promise((resolve, reject) => {
      const item: WriteItem = { kind: "control", bytes, resolve, reject, stop: options.stop };
      if (options.first) this.#queue.unshift(item);
      else this.#queue.push(item);
      void this.#drain();
    });
  }

  // The next item to write: the head of the queue, or its first control item while output is held.
  #take(): WriteItem | undefined {
    const i = this.#holdOutput ? this.#queue.findIndex((item) => item.kind === "control") : 0;
    return i < 0 ? undefined : this.#queue.splice(i, 1)[0];
  }

  async #drain(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    const ep = this.#driver.endpoints;
    let item: WriteItem | undefined;
    while (!this.#closed && (item = this.#take())) {
      let bytes: Uint8Array;
      try {
        bytes = await (item.kind === "output" ? this.#codec!.output(item.command) : item.bytes());
      } catch (error) {
        if (item.kind === "control") item.reject(error);
        else {this.#hooks.onMessage(this, {
            kind: "fault",
            code: "codec",
            detail: `codec refused output: ${errorText(error)}`,
          });}
        continue;
      }
      // Closing began while the codec encoded: its bytes are not written (only a STOP may still go).
      if (this.#closed || (this.#halted && !(item.kind === "control" && item.stop))) {
        if (item.kind === "control") item.reject(new Error("connection closing"));
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

  async #readLoop(codec: AsyncDriverCodec): Promise<void> {
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
        messages = [{ kind: "corrupt", reason: `decoder threw: ${errorText(error)}` }];
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
