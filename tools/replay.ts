/** `deno task replay [FILE]`: runs the engine on a virtual clock over JSON Lines events, one JSON line per 20 ms frame. */
import { createEngine, type Engine, type EngineFrame, FRAME_MS, parseEvent } from "../core/engine/mod.ts";
import { loadCoreRoutines } from "../kiosk/routines/mod.ts";

/** After the input ends, frames continue until the session is over or this much time has passed. */
const TAIL_MS = 1000;

/** Stable output shape (DESIGN §4), plus guidance while a guided routine runs. */
function line(frame: EngineFrame): string {
  const out: Record<string, unknown> = {
    t: frame.t,
    currentUa: frame.currentUa,
    freqHz: frame.freqHz,
    zone: frame.zone,
    state: frame.state,
    limit: frame.limit,
  };
  if (frame.polarity !== "alternating") out.polarity = frame.polarity;
  if (frame.guidance) out.guidance = frame.guidance;
  return JSON.stringify(out);
}

/** Replays JSON Lines text chunks; writes frame lines through `write`. Throws naming the line and field. */
export async function replay(
  chunks: AsyncIterable<string>,
  write: (text: string) => Promise<void> | void,
  engine: Engine,
): Promise<void> {
  let nextFrameT = 0;
  let lastEventT: number | null = null;
  let lineNo = 0;
  let buffered = "";
  const frame = async (t: number) => await write(line(engine.frame(t)) + "\n");

  const handle = async (text: string) => {
    lineNo++;
    if (text.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TypeError(`line ${lineNo}: not valid JSON (${(error as Error).message})`);
    }
    const event = parseEvent(json, `line ${lineNo}: `, { zoneIds: engine.zoneIds });
    if (lastEventT !== null && event.t < lastEventT) {
      throw new RangeError(`line ${lineNo}: field "t" must not decrease (${event.t} after ${lastEventT})`);
    }
    lastEventT = event.t;
    // Frames strictly before the event see the old state; a frame at the same t sees the event.
    while (nextFrameT < event.t) {
      await frame(nextFrameT);
      nextFrameT += FRAME_MS;
    }
    try {
      engine.apply(event);
    } catch (error) {
      throw new RangeError(`line ${lineNo}: ${(error as Error).message}`);
    }
  };

  try {
    for await (const chunk of chunks) {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        await handle(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    }
    if (buffered.length > 0) await handle(buffered);
  } catch (error) {
    // Keep what the valid lines produced: frames up to the last accepted event's time.
    while (lastEventT !== null && nextFrameT <= lastEventT) {
      await frame(nextFrameT);
      nextFrameT += FRAME_MS;
    }
    throw error;
  }

  const stopAt = (lastEventT ?? 0) + TAIL_MS;
  while (nextFrameT <= stopAt) {
    await frame(nextFrameT);
    nextFrameT += FRAME_MS;
    const state = engine.state;
    if (state === "ended" || state === "aborted" || state === "idle") break;
  }
}

if (import.meta.main) {
  const file = Deno.args[0];
  const input = file ? (await Deno.open(file)).readable : Deno.stdin.readable;
  const encoder = new TextEncoder();
  const writer = Deno.stdout.writable.getWriter();
  let pending = "";
  // Batch output: one write per 64 KiB keeps a 20-minute session (60,000 frames) fast.
  const write = async (text: string) => {
    pending += text;
    if (pending.length > 65536) {
      await writer.write(encoder.encode(pending));
      pending = "";
    }
  };
  const flush = async () => {
    if (pending) await writer.write(encoder.encode(pending));
    pending = "";
  };
  const engine = createEngine({ routines: await loadCoreRoutines() });
  try {
    await replay(input.pipeThrough(new TextDecoderStream()), write, engine);
    await flush();
  } catch (error) {
    await flush();
    console.error(`replay: ${(error as Error).message}`);
    Deno.exit(2);
  }
}
