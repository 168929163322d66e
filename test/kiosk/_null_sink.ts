/** Test sink: an OutputSink with no device behind it, counting what the runner sends. */
import type { EngineFrame } from "../../core/engine/types.ts";
import type { OutputSink } from "../../kiosk/session/mod.ts";

/** A sink with no device behind it (kiosk tests and benches that need no device). */
export function createNullSink(): OutputSink & {
  readonly sent: number;
  readonly lastFrame: EngineFrame | null;
} {
  let sent = 0;
  let lastFrame: EngineFrame | null = null;
  return {
    send(frame) {
      sent++;
      lastFrame = frame;
    },
    status: () => ({ kind: "none", connected: false, framesSent: sent }),
    get sent() {
      return sent;
    },
    get lastFrame() {
      return lastFrame;
    },
  };
}
