/** Sandbox wire format: one JSON object per line; bytes and non-finite numbers are tagged so JSON can carry them. */

/** Host → child request. */
export interface WireRequest {
  id: number;
  method: string;
  params?: unknown;
}

/** Child → host reply (exactly one of result / error). */
export interface WireReply {
  id: number;
  result?: unknown;
  error?: { name: string; message: string };
}

function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function tag(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (typeof value === "number" && !Number.isFinite(value)) return { $num: String(value) };
  if (Array.isArray(value)) return value.map(tag);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tag(v)]));
  }
  return value;
}

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (typeof o.$bytes === "string" && Object.keys(o).length === 1) return fromBase64(o.$bytes);
    if (typeof o.$num === "string" && Object.keys(o).length === 1) return Number(o.$num);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, untag(v)]));
  }
  return value;
}

/** Encodes a message as one line (with the trailing newline). */
export function encodeMessage(message: WireRequest | WireReply | Record<string, unknown>): string {
  return JSON.stringify(tag(message)) + "\n";
}

/** Decodes one line; throws SyntaxError on bad JSON. */
export function decodeMessage(line: string): unknown {
  return untag(JSON.parse(line));
}
