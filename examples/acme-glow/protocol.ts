/** Acme Glow G2 packets: 8 bytes — 0xAC, type, seq, 4 payload bytes, CRC-8 over the first 7. */
import { crc8, type NakReason } from "@glidepath/sdk";

/** First byte of every packet. */
export const MAGIC = 0xac;
/** Every packet is this long. */
export const PACKET = 8;

/** Packet types, host → device (0x1_) and device → host (0x2_). */
export const T = {
  HELLO: 0x10,
  LIMIT: 0x11,
  OUT: 0x12,
  STOP: 0x13,
  INFO: 0x20,
  TEL: 0x21,
  FAULT: 0x22,
  ACK: 0x23,
} as const;

/** FAULT packet codes that refuse a host packet (payload byte 1 names it), as SDK NAK reasons. */
export const NAK_CODES: Record<number, NakReason> = {
  1: "no-limits",
  2: "above-limit",
  3: "bad-seq",
};

/** FAULT packet codes that report a firmware fault. */
export const FAULT_CODES: Record<number, string> = {
  4: "overcurrent",
};

/** Builds a packet; payload is up to 4 bytes. */
export function packet(type: number, seq: number, payload: number[] = []): Uint8Array {
  const p = new Uint8Array(PACKET);
  p[0] = MAGIC;
  p[1] = type;
  p[2] = seq & 0xff;
  payload.slice(0, 4).forEach((b, i) => (p[3 + i] = b & 0xff));
  p[7] = crc8(p, 0, 7);
  return p;
}

/** True when the 8 bytes at offset form a packet with a good CRC. */
export function packetOk(bytes: Uint8Array, offset = 0): boolean {
  return bytes[offset] === MAGIC && crc8(bytes, offset, offset + 7) === bytes[offset + 7];
}

/** Little-endian u16 from two bytes. */
export const u16 = (lo: number, hi: number) => lo | (hi << 8);
/** A u16 as two little-endian bytes. */
export const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
