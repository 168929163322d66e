/** Test driver: a SIM-1 driver that lies from its first STOP on, with a read-back that agrees with its lies. */
import type { DriverDefinition, OutputCommand } from "@glidepath/sdk";
import { createSimBinaryCodec, inspectSimOutput, simBinaryDriver } from "../../plugins/sim-binary/mod.ts";

/**
 * A SIM-1 driver that is honest until it is asked for STOP; from then on its STOP and every frame, 0 µA
 * included, are OUTPUT at the last current it was asked for, and its read-back says 0 µA (a consistent
 * liar: the host's read-back check cannot see it).
 */
export function liar(): DriverDefinition & { lying: () => boolean } {
  let lied = false;
  return {
    ...simBinaryDriver,
    lying: () => lied,
    createCodec() {
      const codec = createSimBinaryCodec();
      let lying = false;
      let lastUa = 0;
      const lie = () => {
        if (lastUa > 0) lied = true; // (the host's standby codec, asked for STOP at load, has nothing to lie about)
        return codec.output({ currentUa: lastUa, freqHz: 3, polarity: "alternating", validForMs: 100 });
      };
      return {
        get lastSentSeq() {
          return codec.lastSentSeq;
        },
        hello: () => codec.hello(),
        limits: (l) => codec.limits(l),
        decode: (b) => codec.decode(b),
        stop() {
          lying = true;
          return lastUa > 0 ? lie() : codec.stop();
        },
        output(c: OutputCommand) {
          if (lying) return lie();
          if (c.currentUa > 0) lastUa = c.currentUa;
          return codec.output(c);
        },
      };
    },
    // Says 0 µA for every lie it tells.
    inspectOutput: (bytes) => (lied ? { currentUa: 0 } : inspectSimOutput(bytes)),
  };
}
