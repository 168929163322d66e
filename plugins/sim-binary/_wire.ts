/** The simulated device → host wire: a bounded FIFO with injected latency and bit flips. */
import type { EmittedFrame } from "./emulator.ts";
import { DeviceType } from "./protocol.ts";
import { mulberry32 } from "./skin_model.ts";

// Device FIFO towards the host; older bytes are dropped when a host stops reading.
const FIFO_BYTES = 4096;

/** Frames on their way to the host. */
export class DeviceWire {
  corruptedFrames = 0;
  droppedBytes = 0;
  /** Flip a bit in the next N telemetry frames / the next N frames of any type. */
  corruptTelemetryNext = 0;
  corruptAnyNext = 0;
  /** Probability of flipping a bit in a telemetry frame. */
  corruptRate = 0;
  latencyMs = 0;
  #fifo: { availableAt: number; bytes: Uint8Array }[] = [];
  #rnd: () => number;

  constructor(seed: number) {
    this.#rnd = mulberry32(seed);
  }

  /** Queues frames, corrupting and delaying them as configured. */
  push(frames: EmittedFrame[]): void {
    for (const frame of frames) {
      const bytes = frame.bytes;
      const telemetry = frame.type === DeviceType.TELEMETRY;
      const hit = this.corruptAnyNext > 0 ||
        (telemetry && (this.corruptTelemetryNext > 0 || this.#rnd() < this.corruptRate));
      if (hit) {
        if (this.corruptAnyNext > 0) this.corruptAnyNext--;
        else if (this.corruptTelemetryNext > 0) this.corruptTelemetryNext--;
        const bit = Math.floor(this.#rnd() * bytes.length * 8);
        bytes[bit >> 3]! ^= 1 << (bit & 7);
        this.corruptedFrames++;
      }
      this.#fifo.push({ availableAt: frame.atMs + this.latencyMs, bytes });
    }
    let queued = this.#fifo.reduce((n, f) => n + f.bytes.length, 0);
    while (queued > FIFO_BYTES) {
      const dropped = this.#fifo.shift()!;
      queued -= dropped.bytes.length;
      this.droppedBytes += dropped.bytes.length;
    }
  }

  /** Up to `length` bytes deliverable at now, or null when none is. */
  take(length: number, now: number): Uint8Array | null {
    if (!this.#fifo[0] || this.#fifo[0].availableAt > now) return null;
    const out = new Uint8Array(length);
    let n = 0;
    while (n < length && this.#fifo.length > 0 && this.#fifo[0]!.availableAt <= now) {
      const head = this.#fifo[0]!;
      const take = Math.min(length - n, head.bytes.length);
      out.set(head.bytes.subarray(0, take), n);
      n += take;
      if (take === head.bytes.length) this.#fifo.shift();
      else head.bytes = head.bytes.subarray(take);
    }
    return out.subarray(0, n);
  }

  /** When the next queued byte becomes deliverable (Infinity when empty). */
  nextAvailableAt(): number {
    return this.#fifo[0]?.availableAt ?? Infinity;
  }

  /** Empties the FIFO (power loss). */
  clear(): void {
    this.#fifo = [];
  }
}
