/** Demo mode: drives a virtual probe (and skin contact, when no device models it) into a session runner. */
import type { UvPoint } from "../../core/engine/types.ts";
import { createDemoProbe, type DemoProbe, type DemoProbeOptions } from "./demo_probe.ts";
import type { SessionRunner } from "./runner.ts";

/** Options for attachDemo. */
export interface DemoOptions extends DemoProbeOptions {
  /** Send a probe observation every this many frames (2 = 25 Hz, like a camera). Default 2. */
  everyFrames?: number;
  /** Report skin contact directly while a session runs (when the device has no skin model). Default true. */
  contact?: boolean;
  /** Skin impedance reported with direct contact, in ohms. Default 4200. */
  impedanceOhm?: number;
  /**
   * The virtual probe sends nothing while another source (the page's photo demo or camera) has sent a probe
   * observation within this many ms, so the real pipeline drives the engine when it runs. Default 500.
   */
  yieldMs?: number;
}

/** An attached demo. */
export interface Demo {
  /** Where the virtual probe is now. */
  readonly position: UvPoint;
  readonly probe: DemoProbe;
  /** Stops feeding the runner. */
  dispose(): void;
}

/** Feeds the runner from a virtual probe on every frame while a session runs. */
export function attachDemo(runner: SessionRunner, options: DemoOptions = {}): Demo {
  const every = options.everyFrames ?? 2;
  const contact = options.contact ?? true;
  const impedanceOhm = options.impedanceOhm ?? 4200;
  const probe = createDemoProbe(options);
  const yieldMs = options.yieldMs ?? 500;
  let n = 0;
  let touching = false;
  let otherProbeT = -Infinity;
  const detach = runner.observe({
    event(event, { source }) {
      if (event.type === "probe" && source !== "demo") otherProbeT = event.t;
    },
    frame(frame) {
      const active = frame.state === "running" || frame.state === "ready";
      if (contact && active !== touching) {
        touching = active;
        runner.submit(
          active ? { type: "contact", on: true, impedanceOhm } : { type: "contact", on: false },
          "demo",
        );
      }
      const obs = probe.step(frame);
      const yielding = frame.t - otherProbeT < yieldMs;
      if (active && n++ % every === 0 && !yielding) runner.submit({ type: "probe", ...obs }, "demo");
    },
  });
  return {
    get position() {
      return probe.position;
    },
    probe,
    dispose: detach,
  };
}
