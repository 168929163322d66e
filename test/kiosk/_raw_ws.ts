/** A raw WebSocket client over TCP for tests: writes frame headers and payloads separately, reads raw bytes. */

/** An upgraded connection to the kiosk's /ws. */
export interface RawSocket {
  conn: Deno.TcpConn;
  /** The status line of the upgrade answer, e.g. "HTTP/1.1 101 Switching Protocols". */
  status: string;
  /** Writes all of `bytes`. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Reads until a close frame arrives and returns its code, or null when the server ends the connection without
   * one. Throws after `guardMs` (a guard against hanging, not a timing check).
   */
  closeCode(guardMs?: number): Promise<number | null>;
  /** Closes the connection if it is still open. */
  closeQuietly(): void;
}

/** Connects to `port` with the kiosk page's own Host and Origin. */
export async function rawConnect(port: number): Promise<RawSocket> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa("glidepath-rawws!");
  await writeAll(
    conn,
    new TextEncoder().encode(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
        `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  // Read up to the end of the answer's head; frames that follow are left in `pending`.
  let pending: Uint8Array = new Uint8Array(0);
  let end = -1;
  while (end < 0) {
    const chunk = new Uint8Array(4096);
    const n = await conn.read(chunk);
    if (n === null) throw new Error("connection closed during the upgrade");
    pending = concat(pending, chunk.subarray(0, n));
    end = new TextDecoder().decode(pending).indexOf("\r\n\r\n");
  }
  const head = new TextDecoder().decode(pending);
  pending = pending.subarray(new TextEncoder().encode(head.slice(0, end + 4)).length);
  return {
    conn,
    status: head.split("\r\n")[0]!,
    write: (bytes) => writeAll(conn, bytes),
    closeQuietly() {
      try {
        conn.close();
      } catch {
        // already closed
      }
    },
    async closeCode(guardMs = 5000) {
      let timedOut = false;
      const guard = setTimeout(() => {
        timedOut = true;
        conn.close();
      }, guardMs);
      try {
        for (;;) {
          // Server frames are unmasked: byte 1 holds the length (126/127: 2/8 more bytes follow).
          while (pending.length >= 2) {
            const opcode = pending[0]! & 0x0f;
            let len = pending[1]! & 0x7f;
            let at = 2;
            if (len === 126) (len = (pending[2]! << 8) | pending[3]!), (at = 4);
            else if (len === 127) {
              (len = Number(new DataView(pending.buffer, pending.byteOffset).getBigUint64(2))), (at = 10);
            }
            if (pending.length < at + len) break;
            if (opcode === 8) return len >= 2 ? (pending[at]! << 8) | pending[at + 1]! : 1005;
            pending = pending.subarray(at + len);
          }
          const chunk = new Uint8Array(65536);
          const n = await conn.read(chunk).catch(() => null);
          if (timedOut) throw new Error(`no close from the server within ${guardMs} ms`);
          if (n === null) return null;
          pending = concat(pending, chunk.subarray(0, n));
        }
      } finally {
        clearTimeout(guard);
      }
    },
  };
}

/** A client frame header (masked with a zero key, so the payload goes as is). */
export function frameHeader(opcode: number, fin: boolean, length: number): Uint8Array {
  const bytes = [(fin ? 0x80 : 0) | opcode];
  if (length < 126) bytes.push(0x80 | length);
  else if (length < 65536) bytes.push(0x80 | 126, length >> 8, length & 0xff);
  else {
    bytes.push(0x80 | 127);
    for (let i = 7; i >= 0; i--) bytes.push(Math.floor(length / 2 ** (8 * i)) & 0xff);
  }
  return new Uint8Array([...bytes, 0, 0, 0, 0]);
}

/** One whole client frame. */
export function frame(opcode: number, payload: Uint8Array, fin = true): Uint8Array {
  return concat(frameHeader(opcode, fin, payload.length), payload);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array) {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
