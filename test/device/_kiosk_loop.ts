/** Test rig: the kiosk's loop on a manual clock — real engine and session runner, the device host on a simulated SIM-1. */
import type { AsyncDriver, AsyncDriverCodec, DriverDefinition } from "@glidepath/sdk";
import { createEngine } from "../../core/engine/mod.ts";
import { createSessionRunner } from "../../kiosk/session/mod.ts";
import { inspectSimOutput } from "../../plugins/sim-binary/mod.ts";
import { simHost } from "./_host_rig.ts";

/** A cheek point inside a treatment zone: probe events there keep the output running. */
export const CHEEK = { u: 0.277, v: 0.532 };

/**
 * Starts a free session with comfort 10 and returns the parts; every transfer the host starts is recorded
 * with the time and what the SIM-1 firmware would read in it. `holdWrites` makes the bus slow: the write in
 * flight hangs and the next frames queue behind it until `releaseWrites`.
 */
export function kioskLoop(driver: DriverDefinition | AsyncDriver) {
  const { clock, device, host } = simHost(driver);
  const runner = createSessionRunner(createEngine(), { sink: host, spinMs: 0, clock });
  const writes: { at: number; seen: ReturnType<typeof inspectSimOutput> }[] = [];
  let gate: PromiseWithResolvers<void> | null = null;
  const transferOut = device.transferOut.bind(device);
  device.transferOut = async (ep, data) => {
    writes.push({ at: clock.now(), seen: inspectSimOutput(new Uint8Array(data as Uint8Array)) });
    if (gate) await gate.promise;
    return transferOut(ep, data);
  };
  host.start();
  runner.start();
  runner.submit({ type: "start", routine: "free", comfort: 10, screening: {} });
  /** Submits a cheek probe every `stepMs` for `ms`, letting everything run; `each` runs after every step. */
  const run = async (ms: number, stepMs = 10, each?: () => void) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
      await clock.run(stepMs);
      each?.();
    }
  };
  /** What the device delivers now, in µA (its firmware brought up to the clock first). */
  const deliveredUa = () => {
    device.firmware.advance(clock.now());
    return device.firmware.state.outputUa;
  };
  return {
    clock,
    device,
    host,
    runner,
    writes,
    run,
    deliveredUa,
    holdWrites: () => (gate = Promise.withResolvers()),
    releaseWrites: () => (gate?.resolve(), gate = null),
  };
}

/** The driver with some codec calls replaced (a slow or hung sandbox); `lastSentSeq` still reads the inner codec. */
export function overrideCodec(
  inner: AsyncDriver,
  override: (codec: AsyncDriverCodec) => Partial<Omit<AsyncDriverCodec, "lastSentSeq">>,
): AsyncDriver {
  return {
    ...inner,
    async createCodec() {
      const codec = await inner.createCodec();
      return {
        ...codec,
        get lastSentSeq() {
          return codec.lastSentSeq;
        },
        ...override(codec),
      };
    },
  };
}
