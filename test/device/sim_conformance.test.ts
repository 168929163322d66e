/** The SIM-1 driver and its simulator pass every check of the SDK driver conformance kit. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CONFORMANCE_CHECKS, runDriverConformance } from "@glidepath/sdk";
import { createSimulatedDevice, simBinaryDriver } from "../../plugins/sim-binary/mod.ts";

test("SIM-1 passes the driver conformance kit, check by check", async () => {
  const report = await runDriverConformance(simBinaryDriver, createSimulatedDevice);
  const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  assert.equal(failed, []);
  assert.is(report.checks.length, CONFORMANCE_CHECKS.length);
});

test.run();
