/** Runs inside a plugin's sandbox subprocess: serves its entry module's exports over JSON lines on stdin/stdout. */
import { decodeMessage, encodeMessage, type WireReply, type WireRequest } from "./_wire.ts";
import { simulatorHandlers } from "./_child_simulator.ts";

// stdout carries the protocol; the plugin's console output goes to stderr.
console.log = console.info = console.debug = console.error;

interface Codec {
  [fn: string]: (...args: unknown[]) => unknown;
}
interface EntryDriver {
  id: string;
  filters: unknown;
  endpoints: unknown;
  controlSetup?: unknown;
  createCodec(): Codec;
  inspectOutput?(bytes: Uint8Array): unknown;
}

const CODEC_FNS = new Set(["hello", "limits", "output", "stop", "decode"]);
const out = Deno.stdout;
const encoder = new TextEncoder();

async function send(reply: WireReply): Promise<void> {
  const bytes = encoder.encode(encodeMessage(reply));
  let written = 0;
  while (written < bytes.length) written += await out.write(bytes.subarray(written));
}

/**
 * Loads the plugin entry (and its simulator, for `plugin check`) and serves them until stdin closes.
 * The import() calls take variables on purpose: a non-literal import is outside Deno's initial module
 * graph, so it and everything it imports (code, JSON, text) is checked against --allow-read.
 */
export async function serve(entryHref: string, simulatorHref: string | null = null): Promise<void> {
  const entry = await import(entryHref) as Record<string, unknown>;
  const simulator = simulatorHref === null ? null : await import(simulatorHref) as Record<string, unknown>;
  const codecs = new Map<number, Codec>();
  let nextHandle = 1;
  // A driver entry exports `driver` (or a default export) made with defineDriver().
  const exported = (entry.driver ?? entry.default) as EntryDriver | undefined;
  const driver = () => {
    const d = exported;
    if (!d || typeof d.createCodec !== "function") {
      throw new TypeError('The entry module exports no "driver"');
    }
    return d;
  };
  const inspect = (bytes: Uint8Array) => {
    const d = driver();
    if (typeof d.inspectOutput !== "function") throw new TypeError('The driver has no "inspectOutput"');
    return d.inspectOutput(bytes) ?? null;
  };
  const handlers: Record<string, (params: Record<string, unknown>) => unknown> = {
    describe() {
      const d = exported;
      return {
        exports: Object.keys(entry),
        driver: d
          ? { id: d.id, filters: d.filters, endpoints: d.endpoints, controlSetup: d.controlSetup ?? [] }
          : null,
      };
    },
    ping: () => "pong",
    "codec.create"() {
      const handle = nextHandle++;
      codecs.set(handle, driver().createCodec());
      return handle;
    },
    "codec.call"(p) {
      const codec = codecs.get(p.handle as number);
      const fn = p.fn as string;
      if (!codec) throw new RangeError(`No codec with handle ${p.handle}`);
      if (!CODEC_FNS.has(fn)) throw new RangeError(`No codec function "${fn}"`);
      const result = codec[fn]!(...(p.args as unknown[] ?? []));
      if (fn === "decode") return result;
      // Encoded bytes travel with the sequence number they used (the host matches ACKs to it), and
      // output and stop bytes with the driver's own read-back, for the host's output check.
      const raw = (codec as { lastSentSeq?: unknown }).lastSentSeq;
      const seq = typeof raw === "number" && Number.isInteger(raw) && raw >= 0 ? raw : null;
      if (fn === "output" || fn === "stop") {
        return { bytes: result, inspection: inspect(result as Uint8Array), seq };
      }
      return { bytes: result, seq };
    },
    "codec.dispose"(p) {
      return codecs.delete(p.handle as number);
    },
    inspect: (p) => inspect(p.bytes as Uint8Array),
    ...simulatorHandlers(simulator),
  };

  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of Deno.stdin.readable) {
    buffered += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const req = decodeMessage(line) as WireRequest;
      try {
        const handler = handlers[req.method];
        if (!handler) throw new RangeError(`Unknown method "${req.method}"`);
        const result = await handler((req.params ?? {}) as Record<string, unknown>);
        await send({ id: req.id, result: result === undefined ? null : result });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        await send({ id: req.id, error: { name: err.name, message: err.message } });
      }
    }
  }
  // stdin closed: the host is gone. Exit even if the plugin left timers running, so no orphan stays.
  Deno.exit(0);
}
