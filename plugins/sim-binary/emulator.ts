/** SIM-1 firmware emulator: pure, over an injected clock (`advance(nowMs)`); bytes in, timestamped frames out. */
import type { DeviceLimits, Polarity } from "@glidepath/sdk";
import {
  decodeLimits,
  decodeOutput,
  DeviceType,
  encodeFrame,
  encodeInfo,
  encodeTelemetry,
  FAULT_BITS,
  type FirmwareFault,
  FrameParser,
  HostType,
  NAK,
} from "./protocol.ts";
import { createSkinModel, mulberry32, type SkinModel } from "./skin_model.ts";

/** Options for SimFirmware; every field has a default. */
export interface SimFirmwareOptions {
  /** Default "GP-SIM-1". */
  model?: string;
  /** Default "1.0.0". */
  firmware?: string;
  /** Hardware maximum in µA, reported in INFO. Default 500. */
  maxCurrentUa?: number;
  /** Net-DC capable. Default false. */
  netDc?: boolean;
  /** Telemetry period in ms (20 or 50 keeps ≥ 20 Hz). Default 50. */
  telemetryPeriodMs?: number;
  /** Longest validity the firmware honours; longer frames are cut to it. Default and most 100 ms (the engine's). */
  maxValidForMs?: number;
  /** Battery 0..100, or null for mains. Default null. */
  batteryPct?: number | null;
  /** Skin model. Default: firm contact all along. */
  skin?: SkinModel;
  /** Seed for measurement noise. Default 1. */
  seed?: number;
  /** Measurement noise amplitude while current flows, in µA. Default 0.3. */
  noiseUa?: number;
  /** Clock value at power-on, in ms. Default 0. */
  startMs?: number;
}

/** A frame the firmware sent, with the time it was produced. */
export interface EmittedFrame {
  atMs: number;
  type: number;
  bytes: Uint8Array;
}

/** Snapshot of the firmware state, for tests and the demo. */
export interface SimFirmwareState {
  nowMs: number;
  /** True after HELLO: telemetry streams. */
  streaming: boolean;
  limits: DeviceLimits | null;
  /** Current the output stage delivers now (after slew and contact), in µA. */
  outputUa: number;
  /** Current the last accepted frame asked for, in µA (0 when stopped or expired). */
  targetUa: number;
  freqHz: number;
  polarity: Polarity;
  /** When the current frame expires (null when no frame is active). */
  validUntilMs: number | null;
  contact: boolean;
  impedanceOhm: number;
  faults: FirmwareFault[];
}

/** What the firmware counted since power-on. */
export interface SimFirmwareCounters {
  hellos: number;
  limitsWrites: number;
  outputs: number;
  stops: number;
  expiries: number;
  telemetry: number;
  naks: Record<string, number>;
}

interface Target {
  currentUa: number;
  freqHz: number;
  polarity: Polarity;
  validUntilMs: number;
}

/** The SIM-1 firmware: refuses output before limits and above them, slews, expires frames, streams telemetry. */
export class SimFirmware {
  readonly model: string;
  readonly firmware: string;
  readonly maxCurrentUa: number;
  readonly netDc: boolean;
  readonly telemetryPeriodMs: number;
  readonly maxValidForMs: number;
  readonly skin: SkinModel;
  batteryPct: number | null;
  #noiseUa: number;
  #rnd: () => number;
  #now: number;
  #parser = new FrameParser();
  #out: EmittedFrame[] = [];
  #streaming = false;
  #seq = 0;
  #lastHostSeq: number | null = null;
  #limits: DeviceLimits | null = null;
  #target: Target | null = null;
  #delivered = 0;
  #nextTelemetryAt = Infinity;
  #extraUa = 0;
  #faults = new Set<FirmwareFault>();
  #counters!: SimFirmwareCounters;

  constructor(options: SimFirmwareOptions = {}) {
    this.model = options.model ?? "GP-SIM-1";
    this.firmware = options.firmware ?? "1.0.0";
    this.maxCurrentUa = options.maxCurrentUa ?? 500;
    this.netDc = options.netDc ?? false;
    this.telemetryPeriodMs = options.telemetryPeriodMs ?? 50;
    this.maxValidForMs = Math.min(options.maxValidForMs ?? 100, 100);
    this.batteryPct = options.batteryPct ?? null;
    this.skin = options.skin ?? createSkinModel();
    this.#noiseUa = options.noiseUa ?? 0.3;
    this.#rnd = mulberry32(options.seed ?? 1);
    this.#now = options.startMs ?? 0;
    if (!(this.telemetryPeriodMs > 0 && this.telemetryPeriodMs <= 50)) {
      throw new RangeError(
        `Invalid telemetryPeriodMs: ${this.telemetryPeriodMs} (expected (0, 50] for ≥ 20 Hz)`,
      );
    }
    this.powerCycle();
  }

  /** Back to power-on: no session, no limits, no output, counters cleared. */
  powerCycle(): void {
    this.#parser.reset();
    this.#out = [];
    this.#streaming = false;
    this.#seq = 0;
    this.#lastHostSeq = null;
    this.#limits = null;
    this.#target = null;
    this.#delivered = 0;
    this.#nextTelemetryAt = Infinity;
    this.#faults.clear();
    this.#counters = {
      hellos: 0,
      limitsWrites: 0,
      outputs: 0,
      stops: 0,
      expiries: 0,
      telemetry: 0,
      naks: {},
    };
  }

  /** Runs the firmware up to nowMs: slew, frame expiry and telemetry ticks, in time order. */
  advance(nowMs: number): void {
    if (!(nowMs >= this.#now)) throw new RangeError(`Invalid nowMs: ${nowMs} is before ${this.#now}`);
    for (;;) {
      const expiry = this.#target?.validUntilMs ?? Infinity;
      const next = Math.min(expiry, this.#nextTelemetryAt);
      if (next > nowMs) break;
      this.#step(next);
      if (expiry === next) {
        this.#target = null;
        this.#delivered = 0;
        this.#counters.expiries++;
      }
      if (this.#nextTelemetryAt === next) {
        this.#telemetry();
        this.#nextTelemetryAt += this.telemetryPeriodMs;
      }
    }
    this.#step(nowMs);
  }

  /** When the firmware next does something on its own (telemetry or expiry); Infinity when idle. */
  nextEventAtMs(): number {
    return Math.min(this.#target?.validUntilMs ?? Infinity, this.#nextTelemetryAt);
  }

  /** Takes host bytes (any chunking) at the current time. */
  receive(bytes: Uint8Array): void {
    for (const item of this.#parser.push(bytes)) {
      if (item.ok) this.#handle(item.frame.type, item.frame.seq, item.frame.payload);
      else if (item.reason.startsWith("bad CRC")) this.#nak(0, 0, "bad-crc");
      else if (item.reason.startsWith("bad length")) this.#nak(0, 0, "bad-length");
    }
  }

  /** Removes and returns every frame produced so far. */
  drain(): EmittedFrame[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /** Makes measured current read `extraUa` above what is delivered (a failing current regulator). */
  injectOvercurrent(extraUa: number): void {
    if (!(extraUa >= 0)) throw new RangeError(`Invalid extraUa: ${extraUa}`);
    this.#extraUa = extraUa;
  }

  /** Raises a firmware fault: output stops, a FAULT frame goes out, the bit stays set until LIMITS is rewritten. */
  raiseFault(fault: FirmwareFault): void {
    if (!FAULT_BITS.includes(fault)) throw new RangeError(`Unknown fault: ${JSON.stringify(fault)}`);
    this.#faults.add(fault);
    this.#target = null;
    this.#delivered = 0;
    if (this.#streaming) this.#emit(DeviceType.FAULT, Uint8Array.of(FAULT_BITS.indexOf(fault)));
  }

  /** Current state snapshot. */
  get state(): SimFirmwareState {
    const skin = this.skin.sample(this.#now);
    return {
      nowMs: this.#now,
      streaming: this.#streaming,
      limits: this.#limits ? { ...this.#limits } : null,
      outputUa: this.#delivered,
      targetUa: this.#target?.currentUa ?? 0,
      freqHz: this.#target?.freqHz ?? 0,
      polarity: this.#target?.polarity ?? "alternating",
      validUntilMs: this.#target?.validUntilMs ?? null,
      contact: skin.contact,
      impedanceOhm: skin.impedanceOhm,
      faults: [...this.#faults],
    };
  }

  /** Counters since power-on. */
  get counters(): SimFirmwareCounters {
    return { ...this.#counters, naks: { ...this.#counters.naks } };
  }

  // Moves time to t: increases follow the slew limit, decreases are immediate, no contact means no current.
  #step(t: number): void {
    const dt = t - this.#now;
    this.#now = t;
    const target = this.#target?.currentUa ?? 0;
    if (!this.skin.sample(t).contact) this.#delivered = 0;
    else if (target <= this.#delivered) this.#delivered = target;
    else this.#delivered = Math.min(target, this.#delivered + (this.#limits?.maxSlewUaPerS ?? 0) * dt / 1000);
  }

  #emit(type: number, payload: Uint8Array): void {
    this.#out.push({ atMs: this.#now, type, bytes: encodeFrame(type, this.#seq, payload) });
    this.#seq = (this.#seq + 1) & 0xff;
  }

  #nak(seq: number, type: number, reason: string): void {
    this.#counters.naks[reason] = (this.#counters.naks[reason] ?? 0) + 1;
    if (this.#streaming) this.#emit(DeviceType.NAK, Uint8Array.of(seq, type, NAK[reason]!));
  }

  #ack(seq: number, type: number): void {
    this.#emit(DeviceType.ACK, Uint8Array.of(seq, type));
  }

  #stopOutput(): void {
    this.#target = null;
    this.#delivered = 0;
  }

  #telemetry(): void {
    const skin = this.skin.sample(this.#now);
    const flowing = skin.contact ? this.#delivered + this.#extraUa : 0;
    const noise = flowing > 0 ? (this.#rnd() * 2 - 1) * this.#noiseUa : 0;
    const measuredUa = Math.max(0, flowing + noise);
    // The firmware's own protection: more than 5 % over the written limit trips it.
    if (
      this.#limits && measuredUa > this.#limits.maxCurrentUa * 1.05 + 1 && !this.#faults.has("overcurrent")
    ) {
      this.raiseFault("overcurrent");
    }
    this.#counters.telemetry++;
    this.#emit(
      DeviceType.TELEMETRY,
      encodeTelemetry({
        contact: skin.contact,
        impedanceOhm: skin.impedanceOhm,
        measuredUa,
        batteryPct: this.batteryPct,
        faults: [...this.#faults],
      }),
    );
  }

  #handle(type: number, seq: number, p: Uint8Array): void {
    if (type === HostType.HELLO) {
      // A HELLO opens a new session: output stops and limits must be written again.
      this.#counters.hellos++;
      this.#stopOutput();
      this.#limits = null;
      this.#lastHostSeq = seq;
      this.#seq = 0;
      this.#streaming = true;
      this.#nextTelemetryAt = this.#now + this.telemetryPeriodMs;
      this.#emit(
        DeviceType.INFO,
        encodeInfo({
          model: this.model,
          firmware: this.firmware,
          maxCurrentUa: this.maxCurrentUa,
          netDc: this.netDc,
        }),
      );
      return;
    }
    // STOP is obeyed whatever its sequence number: a stop encoded long ago must still stop.
    if (type === HostType.STOP) {
      this.#stopOutput();
      this.#counters.stops++;
      return this.#streaming ? this.#ack(seq, type) : undefined;
    }
    if (this.#lastHostSeq === null) return this.#nak(seq, type, "bad-sequence");
    const step = (seq - this.#lastHostSeq) & 0xff;
    if (step === 0 || step >= 128) return this.#nak(seq, type, "bad-sequence");
    this.#lastHostSeq = seq;
    if (type === HostType.LIMITS) {
      const limits = decodeLimits(p);
      if (!limits) return this.#nak(seq, type, "bad-length");
      if (limits.maxCurrentUa > this.maxCurrentUa) return this.#nak(seq, type, "above-limit");
      this.#limits = limits;
      // Lowered limits below the running output: stop it rather than keep delivering above them.
      if (this.#target && this.#target.currentUa > limits.maxCurrentUa) this.#stopOutput();
      this.#faults.delete("overcurrent");
      this.#counters.limitsWrites++;
      return this.#ack(seq, type);
    }
    if (type === HostType.OUTPUT) {
      if (p.length !== 7) return this.#nak(seq, type, "bad-length");
      const cmd = decodeOutput(p);
      if (!cmd) return this.#nak(seq, type, "bad-payload");
      if (!this.#limits) return this.#nak(seq, type, "no-limits");
      // A refused frame also stops whatever ran before it: fail safe.
      if (cmd.currentUa > this.#limits.maxCurrentUa) {
        return this.#stopOutput(), this.#nak(seq, type, "above-limit");
      }
      if (cmd.polarity !== "alternating" && !this.netDc) {
        return this.#stopOutput(), this.#nak(seq, type, "unsupported");
      }
      if (this.#faults.size > 0) return this.#stopOutput(), this.#nak(seq, type, "faulted");
      this.#target = {
        currentUa: cmd.currentUa,
        freqHz: cmd.freqHz,
        polarity: cmd.polarity,
        validUntilMs: this.#now + Math.min(cmd.validForMs, this.maxValidForMs),
      };
      this.#delivered = Math.min(this.#delivered, cmd.currentUa); // decreases take effect on receipt
      this.#counters.outputs++;
      return this.#ack(seq, type);
    }
    this.#nak(seq, type, "unknown-type");
  }
}
