/** Acme Glow G2 firmware emulator: sessions, limits, expiring frames, slew, contact model, 25 Hz telemetry, faults. */
import { le16, PACKET, packet, packetOk, T, u16 } from "./protocol.ts";

/** Longest a frame keeps the output on, in ms (the engine's frame validity). */
export const MAX_VALID_MS = 100;

/** The device side of the Glow protocol; time moves only in advance(). */
export class GlowFirmware {
  readonly maxCurrentUa = 350;
  outputUa = 0;
  contact = false;
  impedanceOhm = Infinity;
  stalled = false;
  /** True while a host has the device open; closing ends the session. */
  connected = false;
  #now = 0;
  #seq = 0;
  #hostSeq: number | null = null;
  #limit: number | null = null;
  #slew = 100;
  #target = 0;
  #expires = 0;
  #nextTel = 0;
  #overcurrentUntil = -1;
  #corruptNext = false;
  #in: number[] = [];

  constructor(readonly send: (bytes: Uint8Array) => void) {}

  /** Host opened or closed the device: either way the session (limits, sequence) starts over. */
  setConnected(on: boolean): void {
    this.connected = on;
    this.#hostSeq = null;
    this.#limit = null;
    this.#target = 0;
    this.outputUa = 0;
    this.#nextTel = this.#now;
  }

  corruptNext(): void {
    this.#corruptNext = true;
  }

  overcurrent(): void {
    this.#overcurrentUntil = this.#now + 200;
    this.#target = 0;
    this.outputUa = 0;
    this.#reply(T.FAULT, [4]);
  }

  receive(bytes: Uint8Array): void {
    if (this.stalled) return;
    this.#in.push(...bytes);
    while (this.#in.length >= PACKET) {
      const p = new Uint8Array(this.#in.splice(0, PACKET));
      if (packetOk(p)) this.#handle(p);
      else this.#in.length = 0; // drop the rest of the transfer; the host resends
    }
  }

  #handle(p: Uint8Array): void {
    const [, type, seq] = p as unknown as [number, number, number];
    if (type === T.STOP) {
      this.#target = 0;
      this.outputUa = 0;
      return this.#reply(T.ACK, [seq]);
    }
    if (type === T.HELLO) {
      this.#hostSeq = seq;
      this.#limit = null;
      this.#target = 0;
      this.outputUa = 0;
      return this.#reply(T.INFO, [...le16(this.maxCurrentUa * 10), 2, 4]);
    }
    const step = this.#hostSeq === null ? -1 : (seq - this.#hostSeq + 256) % 256;
    if (step < 1 || step > 127) return this.#reply(T.FAULT, [3, seq]);
    this.#hostSeq = seq;
    if (type === T.LIMIT) {
      this.#limit = Math.min(u16(p[3]!, p[4]!) / 10, this.maxCurrentUa);
      this.#slew = Math.max(1, u16(p[5]!, p[6]!));
      return this.#reply(T.ACK, [seq]);
    }
    if (type === T.OUT) {
      const ua = u16(p[3]!, p[4]!) / 10;
      if (this.#limit === null || ua > this.#limit) {
        this.#target = 0;
        this.outputUa = 0;
        return this.#reply(T.FAULT, [this.#limit === null ? 1 : 2, seq]);
      }
      this.#target = ua;
      this.#expires = this.#now + Math.min(p[6]! * 10, MAX_VALID_MS); // never longer than the engine's 100 ms
      return this.#reply(T.ACK, [seq]);
    }
  }

  #reply(type: number, payload: number[]): void {
    if (!this.connected || this.stalled) return;
    const p = packet(type, this.#seq, payload);
    this.#seq = (this.#seq + 1) & 0xff;
    if (this.#corruptNext) {
      this.#corruptNext = false;
      p[4]! ^= 0x10;
    }
    this.send(p);
  }

  advance(ms: number): void {
    for (let i = 0; i < ms; i++) {
      this.#now++;
      if (this.stalled) continue;
      const on = this.#now <= this.#expires && this.contact && this.#now >= this.#overcurrentUntil;
      const target = on ? this.#target : 0;
      this.outputUa = target < this.outputUa ? target : Math.min(target, this.outputUa + this.#slew / 1000);
      if (this.connected && this.#now >= this.#nextTel) {
        this.#nextTel = this.#now + 40;
        const kohm = this.contact ? Math.min(254, Math.round(this.impedanceOhm / 1000)) : 255;
        const flags = (this.contact ? 1 : 0) | (this.#now < this.#overcurrentUntil ? 2 : 0);
        this.#reply(T.TEL, [...le16(Math.round(this.outputUa * 10)), kohm, flags]);
      }
    }
  }
}
