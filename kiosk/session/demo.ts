/** Demo mode: drives a virtual probe (and skin contact, when no device models it) into a session runner. */
import type { UvPoint } from "../../core/engine/types.ts";
import { createDemoProbe, type DemoProbe, type DemoProbeOptions } from "./demo_probe.ts";
import type { SessionRunner } from "./runner.ts";
import { type Clock, systemClock } from "../../core/sdk/mod.ts";

/** Options for attachDemo. */
export interface DemoOptions extends DemoProbeOptions {
  /** Send a probe observation every this many ms (40 = 25 Hz, like a camera). Default 40. */
  periodMs?: number;
  /** Timers for the demo's own pace (use the runner's clock). Default: the real clock. */
  clock?: Clock;
  /** Report skin contact directly while a session runs (when the device has no skin model). Default true. */
  contact?: boolean;
  /** Skin impedance reported with direct contact, in ohms. Default 4200. */
  impedanceOhm?: number;
  /**
   * The virtual probe sends nothing while another source (the page's photo demo or camera) has sent a probe
   * observation within this many ms, so the real pipeline drives the engine when it runs. Default 500.
   */
  yieldMs?: number;
  /** Where a refused submit goes. Default console.error. */
  onError?: (error: unknown) => void;
}

/** An attached demo. */
export interface Demo {
  /** Where the virtual probe is now. */
  readonly position: UvPoint;
  readonly probe: DemoProbe;
  /** Stops feeding the runner and clears its timer (call it before disposing the runner). */
  dispose(): void;
}

/**
 * Feeds the runner from a virtual probe while a session runs. It is an input like the page's camera: on its
 * own timer it reads the runner's last frame and submits, never from inside the runner's frame callbacks.
 */
export function attachDemo(runner: SessionRunner, options: DemoOptions = {}): Demo {
  const periodMs = options.periodMs ?? 40;
  const clock = options.clock ?? systemClock;
  const contact = options.contact ?? true;
  const impedanceOhm = options.impedanceOhm ?? 4200;
  const probe = createDemoProbe(options);
  const yieldMs = options.yieldMs ?? 500;
  const onError = options.onError ?? ((error) => console.error("demo:", error));
  let touching = false;
  let otherProbeT = -Infinity;
  let disposed = false;
  const detach = runner.observe({
    event(event, { source }) {
      if (event.type === "probe" && source !== "demo") otherProbeT = event.t;
    },
  });

  function step() {
    const frame = runner.lastFrame;
    if (!frame) return;
    const active = frame.state === "running" || frame.state === "ready";
    if (contact && active !== touching) {
      touching = active;
      runner.submit(
        active ? { type: "contact", on: true, impedanceOhm } : { type: "contact", on: false },
        "demo",
      );
    }
    const obs = probe.step(frame);
    const yielding = runner.now() - otherProbeT < yieldMs;
    if (active && !yielding) runner.submit({ type: "probe", ...obs }, "demo");
  }

  let timer = clock.setTimeout(function pace() {
    if (disposed) return;
    timer = clock.setTimeout(pace, periodMs);
    try {
      step();
    } catch (error) {
      // A refused observation is the engine's answer, like a page's; the demo goes on at the next step.
      onError(error);
    }
  }, periodMs);

  function dispose() {
    if (disposed) return;
    disposed = true;
    clock.clearTimeout(timer);
    detach();
  }

  return {
    get position() {
      return probe.position;
    },
    probe,
    dispose,
  };
}
