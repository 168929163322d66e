/** The conformance kit passes the three real drivers and catches drivers or devices that break a protocol rule. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CONFORMANCE_CHECKS,
  type CreateSimulatedDevice,
  type DriverCodec,
  type DriverDefinition,
  runDriverConformance,
} from "../../core/sdk/mod.ts";
import { driver as textDriver } from "../../plugins/sim-text/mod.ts";
import { createSimulatedDevice as textSim } from "../../plugins/sim-text/simulator.ts";
import binaryDriver from "../../plugins/sim-binary/driver.ts";
import { createSimulatedDevice as binarySim } from "../../plugins/sim-binary/simulator.ts";
import { driver as glowDriver } from "../../examples/acme-glow/mod.ts";
import { createSimulatedDevice as glowSim } from "../../examples/acme-glow/simulator.ts";

async function failedChecks(
  driver: DriverDefinition,
  sim: CreateSimulatedDevice,
  only?: string[],
): Promise<string[]> {
  const report = await runDriverConformance(driver, sim, { only });
  return report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
}

function mutate(wrap: (codec: DriverCodec) => DriverCodec): DriverDefinition {
  return { ...textDriver, createCodec: () => wrap(textDriver.createCodec()) };
}

for (
  const [name, driver, sim] of [
    ["GP-TXT (sim-text)", textDriver, textSim],
    ["SIM-1 (sim-binary)", binaryDriver, binarySim],
    ["Acme Glow (example)", glowDriver, glowSim],
  ] as const
) {
  test(`${name} passes every conformance check`, async () => {
    const report = await runDriverConformance(driver as DriverDefinition, sim as CreateSimulatedDevice);
    assert.is(report.checks.length, CONFORMANCE_CHECKS.length);
    assert.equal(report.checks.filter((c) => !c.ok), []);
  });
}

test("a codec that skips the checksum is caught forging messages from flipped bits", async () => {
  // Decodes each line as if its checksum were right by recomputing it first.
  const { encodeLine } = await import("../../plugins/sim-text/protocol.ts");
  const lax = mutate((codec) => {
    const decode = codec.decode.bind(codec);
    let partial = "";
    codec.decode = (chunk) => {
      partial += new TextDecoder().decode(chunk);
      const lines = partial.split("\n");
      partial = lines.pop()!;
      return lines.flatMap((line) => {
        const body = line.replace(/\*..$/, "");
        const [seq, verb, ...args] = body.split(" ");
        try {
          return decode(encodeLine(Number(seq) & 255, verb ?? "X", args));
        } catch {
          return [{ kind: "corrupt" as const, reason: "unparseable" }];
        }
      });
    };
    return codec;
  });
  const failed = await failedChecks(lax, textSim, ["flipped bit"]);
  assert.is(failed.length, 1);
  assert.match(failed[0]!, /bit \d+ .*(no corrupt reported|decoded as)/);
});

test("a codec that ignores device sequence numbers is caught losing a message silently", async () => {
  const noSeq = mutate((codec) => {
    const decode = codec.decode.bind(codec);
    codec.decode = (chunk) =>
      decode(chunk).filter((m) => !(m.kind === "corrupt" && /sequence/.test(m.reason)));
    return codec;
  });
  const failed = await failedChecks(noSeq, textSim, ["lost device message"]);
  assert.match(failed[0] ?? "", /no corrupt\/gap reported/);
});

test("a codec that encodes more current than asked fails output and read-back checks", async () => {
  const greedy = mutate((codec) => {
    const output = codec.output.bind(codec);
    codec.output = (c) => output({ ...c, currentUa: Math.min(500, c.currentUa * 1.5) });
    return codec;
  });
  const failed = await failedChecks(greedy, textSim, ["output follows", "inspectOutput reads back"]);
  assert.is(failed.length, 2);
  assert.match(failed[0]!, /device output was 150 µA, wanted 100/);
});

test("a codec that encodes out-of-envelope commands fails the envelope check", async () => {
  const { encodeLine } = await import("../../plugins/sim-text/protocol.ts");
  const careless = mutate((codec) => {
    codec.output = (c) => encodeLine(1, "OUT", [String(c.currentUa), 3, "ALT", c.validForMs]);
    return codec;
  });
  const failed = await failedChecks(careless, textSim, ["outside the envelope"]);
  assert.match(failed[0] ?? "", /was encoded/);
});

test("a device whose frames never expire fails the expiry check", async () => {
  const sticky: CreateSimulatedDevice = (o) => {
    const sim = textSim(o);
    let last = 0;
    return {
      ...sim,
      device: sim.device,
      advance: (ms) => sim.advance(ms),
      setContact: (on, z) => sim.setContact(on, z),
      inject: (f) => sim.inject(f),
      dispose: () => sim.dispose(),
      get outputUa() {
        return (last = sim.outputUa > 0 ? sim.outputUa : last);
      },
    };
  };
  const failed = await failedChecks(textDriver, sticky, ["frames expire"]);
  assert.match(failed[0] ?? "", /still 100 µA 200 ms after a 100 ms frame/);
});

test("a device that sends no info on hello fails hello and everything that needs it, not the pure checks", async () => {
  const mute: CreateSimulatedDevice = (o) => {
    const sim = textSim(o);
    sim.firmware.receive = () => {};
    return sim;
  };
  const report = await runDriverConformance(textDriver, mute);
  const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
  assert.ok(failed.includes("hello returns device info"));
  assert.ok(!failed.includes("codec refuses commands outside the envelope"));
  assert.ok(!failed.includes("inspectOutput reads back what output and stop encode"));
});

test.run();
