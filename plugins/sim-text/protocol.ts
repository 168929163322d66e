/** GP-TXT line protocol: `<seq> <VERB> [args]*<CRC-8 hex>\n`, ASCII, both directions. */
import { crc8, hex2 } from "@glidepath/sdk";

/** Longest line either side accepts, without the newline. */
export const MAX_LINE = 96;

/** A line that passed its checksum. */
export interface Line {
  seq: number;
  verb: string;
  args: string[];
}

const ascii = new TextEncoder();

/** Encodes one line: sequence 0..255, verb, space-separated args, CRC-8/SMBUS over everything before "*". */
export function encodeLine(seq: number, verb: string, args: (string | number)[] = []): Uint8Array {
  if (!Number.isInteger(seq) || seq < 0 || seq > 255) throw new RangeError(`Invalid line seq: ${seq}`);
  const body = [String(seq), verb, ...args.map(String)].join(" ");
  if (!/^[\x20-\x7e]+$/.test(body) || body.includes("*")) {
    throw new RangeError(`Invalid line text: ${JSON.stringify(body)}`);
  }
  const bytes = ascii.encode(body);
  const text = `${body}*${hex2(crc8(bytes))}\n`;
  if (text.length - 1 > MAX_LINE) {
    throw new RangeError(`Line too long: ${text.length - 1} bytes (max ${MAX_LINE})`);
  }
  return ascii.encode(text);
}

/** Parses a line (without newline); returns the reason when it fails the format or checksum. */
export function parseLine(text: string): Line | { error: string } {
  const star = text.lastIndexOf("*");
  if (star < 0 || star !== text.length - 3) return { error: "no checksum" };
  const body = text.slice(0, star);
  const sum = text.slice(star + 1);
  if (!/^[0-9A-F]{2}$/.test(sum)) return { error: `bad checksum field "${sum}"` };
  const bytes = ascii.encode(body);
  if (bytes.length !== body.length || !/^[\x20-\x7e]+$/.test(body)) return { error: "non-ASCII bytes" };
  if (crc8(bytes) !== parseInt(sum, 16)) return { error: "checksum mismatch" };
  const [seqText, verb, ...args] = body.split(" ");
  if (!seqText || !/^(0|[1-9]\d{0,2})$/.test(seqText) || Number(seqText) > 255) {
    return { error: "bad sequence field" };
  }
  if (!verb || !/^[A-Z]{2,5}$/.test(verb)) return { error: "bad verb" };
  return { seq: Number(seqText), verb, args };
}

/** Polarity on the wire. */
export const POLARITY_CODE = { alternating: "ALT", positive: "POS", negative: "NEG" } as const;

/** µA → wire text in 0.1 µA, rounded down so the device never gets more than asked. */
export function formatUa(ua: number): string {
  return (Math.floor(ua * 10 + 1e-6) / 10).toFixed(1);
}

/** Wire number (decimal with at most one fraction digit) → number, or null when malformed. */
export function parseUa(text: string | undefined): number | null {
  return text !== undefined && /^(0|[1-9]\d{0,4})\.\d$/.test(text) ? Number(text) : null;
}
