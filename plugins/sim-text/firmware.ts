/** GP-TXT firmware emulator: sessions, limits, expiring output frames, slew, contact model, telemetry and faults. */
import { LineSplitter } from "@glidepath/sdk";
import { encodeLine, formatUa, MAX_LINE, parseLine, parseUa } from "./protocol.ts";

/** Options for the firmware emulator. */
export interface FirmwareOptions {
  /** Model name reported in INFO (default "GP-TXT-1"). */
  model?: string;
  /** Firmware version reported in INFO (default "1.0.0"). */
  firmware?: string;
  /** Highest current the hardware delivers, µA (default 400). */
  maxCurrentUa?: number;
  /** Telemetry period in ms (default 20, i.e. 50 Hz). */
  telemetryMs?: number;
  /** Noise seed for measured current (default 1). */
  seed?: number;
}

const POLARITIES = new Set(["ALT", "POS", "NEG"]);
/** Longest a line keeps the output on, in ms (the engine's frame validity); longer lines are cut to it. */
export const MAX_VALID_MS = 100;

/** The device side of GP-TXT, stepped by an injected clock (advance), talking through send(). */
export class TextFirmware {
  readonly model: string;
  readonly version: string;
  readonly maxCurrentUa: number;
  readonly telemetryMs: number;
  /** Ground truth: µA being delivered now. */
  outputUa = 0;
  contact = false;
  impedanceOhm = Infinity;
  batteryPct = 87;
  /** True once the host asserted DTR; the device only talks while it is. */
  dtr = false;
  stalled = false;
  #now = 0;
  #seq = 0;
  #hostSeq: number | null = null;
  #limitUa: number | null = null;
  #slewUaPerS = 100;
  #targetUa = 0;
  #expiresAt = 0;
  #nextTelemetry = 0;
  #faults = new Map<string, number>(); // fault → until (ms)
  #corruptNext = false;
  #lines = new LineSplitter({ maxLength: MAX_LINE });
  #rand: () => number;

  constructor(readonly send: (bytes: Uint8Array) => void, options: FirmwareOptions = {}) {
    this.model = options.model ?? "GP-TXT-1";
    this.version = options.firmware ?? "1.0.0";
    this.maxCurrentUa = options.maxCurrentUa ?? 400;
    this.telemetryMs = options.telemetryMs ?? 20;
    let s = (options.seed ?? 1) >>> 0 || 1;
    this.#rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  }

  /** Host connection state changed (USB open/close or DTR): a new connection starts with no limits. */
  setDtr(on: boolean): void {
    if (on === this.dtr) return;
    this.dtr = on;
    this.#resetSession();
    this.#nextTelemetry = this.#now;
  }

  #resetSession(): void {
    this.#limitUa = null;
    this.#hostSeq = null;
    this.#targetUa = 0;
    this.outputUa = 0;
  }

  /** Marks the next line sent as corrupted on the wire (one bit flipped). */
  corruptNext(): void {
    this.#corruptNext = true;
  }

  /** Raises a firmware fault for ms milliseconds; over-current also cuts output. */
  raiseFault(code: string, ms = 200): void {
    this.#faults.set(code, this.#now + ms);
    if (code === "overcurrent") {
      this.#targetUa = 0;
      this.outputUa = 0;
    }
    this.#reply("FLT", [code, "raised"]);
  }

  /** Bytes from the host, processed at the current time. */
  receive(bytes: Uint8Array): void {
    if (this.stalled) return;
    for (const item of this.#lines.push(bytes)) {
      if (!item.ok) continue;
      const line = parseLine(item.line);
      if ("error" in line) {
        this.#reply("NAK", [0, "bad-line"]);
        continue;
      }
      this.#handle(line.seq, line.verb, line.args);
    }
  }

  #handle(seq: number, verb: string, args: string[]): void {
    if (verb === "STOP") { // always honoured: stopping is never unsafe
      this.#targetUa = 0;
      this.outputUa = 0;
      this.#expiresAt = this.#now;
      return this.#reply("ACK", [seq]);
    }
    if (verb === "HELLO") {
      this.#resetSession();
      this.#hostSeq = seq;
      return this.#reply("INFO", [this.model, this.version, formatUa(this.maxCurrentUa), "AC"]);
    }
    // Replay protection: every other line must move the host sequence forward.
    const step = this.#hostSeq === null ? -1 : (seq - this.#hostSeq + 256) % 256;
    if (step < 1 || step > 127) return this.#reply("NAK", [seq, "stale-seq"]);
    this.#hostSeq = seq;
    if (verb === "LIM") {
      const max = parseUa(args[0]);
      const slew = Number(args[1]);
      if (max === null || !Number.isInteger(slew) || slew <= 0) return this.#reply("NAK", [seq, "bad-args"]);
      this.#limitUa = Math.min(max, this.maxCurrentUa);
      this.#slewUaPerS = slew;
      return this.#reply("ACK", [seq]);
    }
    if (verb === "OUT") {
      const ua = parseUa(args[0]);
      const hz = Number(args[1]);
      const validMs = Number(args[3]);
      if (
        ua === null || !Number.isFinite(hz) || !POLARITIES.has(args[2] ?? "") || !Number.isInteger(validMs) ||
        validMs <= 0
      ) {
        return this.#reply("NAK", [seq, "bad-args"]);
      }
      if (this.#limitUa === null) {
        this.#targetUa = 0;
        this.outputUa = 0;
        return this.#reply("NAK", [seq, "no-limits"]);
      }
      if (ua > this.#limitUa) {
        this.#targetUa = 0;
        this.outputUa = 0;
        return this.#reply("NAK", [seq, "above-limit"]);
      }
      if (args[2] !== "ALT") return this.#reply("NAK", [seq, "no-net-dc"]);
      this.#targetUa = ua;
      this.#expiresAt = this.#now + Math.min(validMs, MAX_VALID_MS);
      return this.#reply("ACK", [seq]);
    }
    this.#reply("NAK", [seq, "unknown-verb"]);
  }

  #reply(verb: string, args: (string | number)[]): void {
    if (!this.dtr || this.stalled) return;
    const bytes = encodeLine(this.#seq, verb, args);
    this.#seq = (this.#seq + 1) % 256;
    if (this.#corruptNext) {
      this.#corruptNext = false;
      const i = Math.floor(this.#rand() * (bytes.length - 1));
      bytes[i]! ^= 0x04;
    }
    this.send(bytes);
  }

  /** Moves time forward 1 ms at a time: expiry, slew, contact, telemetry. */
  advance(ms: number): void {
    for (let i = 0; i < ms; i++) this.#tick();
  }

  #tick(): void {
    this.#now += 1;
    if (this.stalled) return;
    for (const [code, until] of this.#faults) if (this.#now >= until) this.#faults.delete(code);
    const target = this.#now <= this.#expiresAt && this.contact && !this.#faults.has("overcurrent")
      ? this.#targetUa
      : 0;
    // Up is slew-limited, down is immediate.
    this.outputUa = target < this.outputUa
      ? target
      : Math.min(target, this.outputUa + this.#slewUaPerS / 1000);
    if (this.dtr && this.#now >= this.#nextTelemetry) {
      this.#nextTelemetry = this.#now + this.telemetryMs;
      const measured = this.outputUa === 0 ? 0 : this.outputUa * (1 + (this.#rand() - 0.5) * 0.01);
      const faults = [...this.#faults.keys()];
      this.#reply("TEL", [
        this.contact ? 1 : 0,
        this.contact && Number.isFinite(this.impedanceOhm) ? Math.round(this.impedanceOhm) : "OPEN",
        formatUa(measured),
        this.batteryPct,
        faults.length ? faults.join(",") : "-",
      ]);
    }
  }
}
