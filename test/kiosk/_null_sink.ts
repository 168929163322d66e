/** Test sinks: an OutputSink with no device behind it (counting what the runner sends), and one that reports skin contact. */
import type { EngineFrame } from "../../core/engine/types.ts";
import type { OutputSink, SinkReport } from "../../kiosk/session/mod.ts";

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

/**
 * A device side that reports skin contact once and takes every frame: with it a demo session on a real kiosk
 * (demoAutostart) stimulates without hardware. `kind` is what its status calls it.
 */
export function createContactSink(kind = "test"): OutputSink {
  return {
    send: () => {},
    status: () => ({ kind }),
    subscribe(listener: (r: SinkReport) => void) {
      queueMicrotask(() =>
        listener({ kind: "event", event: { type: "contact", on: true, impedanceOhm: 4000 } })
      );
      return () => {};
    },
  };
}
