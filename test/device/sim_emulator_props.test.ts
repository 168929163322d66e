/** Firmware safety properties under random host traffic (valid, replayed, corrupted frames) on random timing. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createSimBinaryCodec, SimFirmware } from "../../plugins/sim-binary/mod.ts";

type Step =
  | { kind: "hello" }
  | { kind: "limits"; maxCurrentUa: number; slew: number }
  | { kind: "output"; currentUa: number; validForMs: number }
  | { kind: "stop" }
  | { kind: "replay" }
  | { kind: "flip"; bit: number }
  | { kind: "wait"; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: "hello" as const }),
  fc.record({
    kind: fc.constant("limits" as const),
    maxCurrentUa: fc.integer({ min: 0, max: 500 }),
    slew: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant("output" as const),
    currentUa: fc.integer({ min: 0, max: 500 }),
    validForMs: fc.integer({ min: 1, max: 1000 }),
  }),
  fc.constant({ kind: "stop" as const }),
  fc.constant({ kind: "replay" as const }),
  fc.record({ kind: fc.constant("flip" as const), bit: fc.nat() }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 0, max: 300 }) }),
);

test("whatever the host sends, output never exceeds the written limit, needs limits, and stops at expiry", () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      const fw = new SimFirmware({ noiseUa: 0 });
      const codec = createSimBinaryCodec();
      let now = 0;
      let last: Uint8Array | null = null;
      // Latest accepted output's end of validity, by our own reading of the rules.
      const check = () => {
        const s = fw.state;
        if (!s.limits) assert.is(s.outputUa, 0, "output without limits");
        else {assert.ok(
            s.outputUa <= s.limits.maxCurrentUa + 1e-9,
            `${s.outputUa} > ${s.limits.maxCurrentUa}`,
          );}
        if (s.validUntilMs === null) assert.is(s.outputUa, 0, "output with no valid frame");
        else assert.ok(s.validUntilMs - now <= 100, "a frame valid longer than the engine's 100 ms");
      };
      for (const st of steps) {
        let bytes: Uint8Array | null = null;
        if (st.kind === "hello") bytes = codec.hello();
        if (st.kind === "limits") {
          bytes = codec.limits({ maxCurrentUa: st.maxCurrentUa, maxSlewUaPerS: st.slew });
        }
        if (st.kind === "output") {
          bytes = codec.output({
            currentUa: st.currentUa,
            freqHz: 3,
            polarity: "alternating",
            validForMs: Math.min(st.validForMs, 100), // the codec refuses more; the firmware cap has its own test
          });
        }
        if (st.kind === "stop") bytes = codec.stop();
        if (st.kind === "replay") bytes = last;
        if (st.kind === "flip" && last) {
          bytes = last.slice();
          const bit = st.bit % (bytes.length * 8);
          bytes[bit >> 3]! ^= 1 << (bit & 7);
        }
        if (st.kind === "wait") {
          for (let t = 1; t <= st.ms; t += 7) {
            fw.advance(now + t);
            check();
          }
          now += st.ms;
          fw.advance(now);
        }
        if (bytes) {
          fw.receive(bytes);
          if (st.kind !== "replay" && st.kind !== "flip") last = bytes;
        }
        check();
        fw.drain();
      }
    }),
    { numRuns: 400 },
  );
});

test("a replayed OUTPUT never restarts output after a STOP", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 99 }), (ua, waitMs) => {
      const fw = new SimFirmware({ noiseUa: 0 });
      const codec = createSimBinaryCodec();
      fw.receive(codec.hello());
      fw.receive(codec.limits({ maxCurrentUa: 500, maxSlewUaPerS: 10_000 }));
      const out = codec.output({ currentUa: ua, freqHz: 3, polarity: "alternating", validForMs: 100 });
      fw.receive(out);
      fw.receive(codec.stop());
      fw.advance(waitMs);
      fw.receive(out);
      fw.advance(waitMs + 1);
      assert.is(fw.state.outputUa, 0);
    }),
  );
});

test.run();
