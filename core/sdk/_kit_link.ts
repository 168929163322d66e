/** The conformance kit's connection to a simulated device: opens it as a host would, writes, collects what comes back. */
import type { AsyncDriver, AsyncDriverCodec } from "./async_codec.ts";
import type { DeviceInfo, DeviceLimits, DeviceMessage, Telemetry } from "./driver.ts";
import type { RemoteSimulatedDevice, SimulatedDevice } from "./simulated.ts";

/** Raw bytes and decoded messages received, each stamped with the simulated time it arrived. */
export interface Received {
  t: number;
  message: DeviceMessage;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

/** One open connection between the kit (acting as device host) and a simulated device. */
export class KitLink {
  t = 0;
  codec!: AsyncDriverCodec;
  readonly received: Received[] = [];
  readonly raw: Uint8Array[] = [];
  readonly readErrors: string[] = [];
  /** Bytes written, with the time of writing. */
  readonly written: { t: number; bytes: Uint8Array }[] = [];
  #reading = false;
  // True from a transfer's arrival until its messages are decoded (decode may cross a process boundary).
  #busy = false;

  constructor(readonly driver: AsyncDriver, readonly sim: SimulatedDevice | RemoteSimulatedDevice) {}

  /** Opens, claims, runs control setup, creates a codec and starts reading. */
  async connect(): Promise<void> {
    const { device } = this.sim;
    const ep = this.driver.endpoints;
    await device.open();
    if (!device.configuration) await device.selectConfiguration(1);
    await device.claimInterface(ep.interfaceNumber);
    for (const setup of this.driver.controlSetup) {
      const { data, ...params } = setup;
      await device.controlTransferOut(params, new Uint8Array(data ?? []));
    }
    this.codec = await this.driver.createCodec();
    this.#reading = true;
    void this.#readLoop(this.codec);
    await this.settle();
  }

  async #readLoop(codec: AsyncDriverCodec): Promise<void> {
    const ep = this.driver.endpoints;
    while (this.#reading) {
      try {
        const r = await this.sim.device.transferIn(ep.in, ep.packetSize);
        this.#busy = true;
        if (!this.#reading || codec !== this.codec) return;
        if (r.status !== "ok" || !r.data) continue;
        const bytes = new Uint8Array(
          r.data.buffer.slice(r.data.byteOffset, r.data.byteOffset + r.data.byteLength),
        );
        this.raw.push(bytes);
        for (const message of await codec.decode(bytes)) this.received.push({ t: this.t, message });
        this.#busy = false;
      } catch (e) {
        this.#busy = false;
        if (this.#reading) this.readErrors.push(String(e));
        return;
      }
    }
  }

  /** Lets transfers complete and the read loop decode everything that has arrived. */
  async settle(): Promise<void> {
    for (let spins = 0; spins < 1000; spins++) {
      for (let i = 0; i < 8; i++) await Promise.resolve();
      if (!this.#busy) return;
      await tick();
    }
  }

  /** Stops reading and closes the device. */
  async disconnect(): Promise<void> {
    this.#reading = false;
    try {
      await this.codec?.dispose?.();
    } catch { /* a failed sandbox has nothing left to free */ }
    try {
      await this.sim.device.releaseInterface(this.driver.endpoints.interfaceNumber);
    } catch { /* already gone */ }
    this.#busy = false;
    await this.sim.device.close();
    await this.settle();
  }

  /** Writes bytes to the OUT endpoint. */
  async write(bytes: Uint8Array): Promise<void> {
    this.written.push({ t: this.t, bytes });
    await this.sim.device.transferOut(this.driver.endpoints.out, bytes as Uint8Array<ArrayBuffer>);
    await this.settle();
  }

  /** Advances simulated time in 10 ms steps, letting transfers complete after each. */
  async advance(ms: number, every?: { periodMs: number; action: () => Promise<void> }): Promise<void> {
    const end = this.t + ms;
    let nextAction = this.t;
    while (this.t < end) {
      if (every && this.t >= nextAction) {
        await every.action();
        nextAction += every.periodMs;
      }
      const step = Math.min(10, end - this.t);
      await this.sim.advance(step);
      this.t += step;
      await this.settle();
    }
  }

  /** Messages received at or after time t. */
  since(t: number): DeviceMessage[] {
    return this.received.filter((r) => r.t >= t).map((r) => r.message);
  }

  /** Telemetry received at or after time t. */
  telemetrySince(t: number): Telemetry[] {
    return this.since(t).flatMap((m) => (m.kind === "telemetry" ? [m.telemetry] : []));
  }

  /** Sends hello and waits up to 250 ms for info. */
  async hello(): Promise<DeviceInfo | null> {
    const from = this.t;
    await this.write(await this.codec.hello());
    for (let i = 0; i < 25; i++) {
      const info = this.since(from).find((m) => m.kind === "info");
      if (info?.kind === "info") return info.info;
      await this.advance(10);
    }
    return null;
  }

  /** Writes limits. */
  async limits(limits: DeviceLimits): Promise<void> {
    await this.write(await this.codec.limits(limits));
  }

  /** Sends output frames every 20 ms for ms milliseconds. */
  async hold(currentUa: number, ms: number, validForMs = 100): Promise<void> {
    await this.advance(ms, {
      periodMs: 20,
      action: async () =>
        this.write(await this.codec.output({ currentUa, freqHz: 3, polarity: "alternating", validForMs })),
    });
  }
}
