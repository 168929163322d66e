/** The operator cap is the engine's; the device host keeps only the limit it wrote and skips a write that changes nothing. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { hostRig } from "./_host_rig.ts";

test("a cap equal to the one written is not written again; a new cap is, once", async () => {
  const r = hostRig();
  r.host.start();
  await r.drive(100, 0);
  const writes = () => r.device.firmware.counters.limitsWrites;
  const connected = writes();
  await r.host.setOperatorCap(500); // every start without a cap asks for the hard ceiling again
  await r.clock.run(20);
  assert.is(writes(), connected, "no device exchange for an unchanged cap");
  await r.host.setOperatorCap(150);
  await r.clock.run(20);
  await r.host.setOperatorCap(150);
  await r.clock.run(20);
  assert.is(writes(), connected + 1);
  assert.is(r.device.firmware.state.limits?.maxCurrentUa, 150);
  const refused = await r.host.setOperatorCap(900).then(() => "", (e: Error) => e.message);
  assert.match(refused, /operatorCapUa: 900/, "a bad cap is still refused");
});

test.run();
