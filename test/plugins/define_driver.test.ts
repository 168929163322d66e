import { test } from "uvu";
import * as assert from "uvu/assert";
import { defineDriver, type DriverDefinition } from "@glidepath/sdk";
import { simBinaryDriver } from "../../plugins/sim-binary/mod.ts";

test("a checked definition reads back bytes with the definition as written, its own `this` included", () => {
  // A driver whose read-back uses a helper of its own through `this`, and keeps state on it.
  const written = {
    ...simBinaryDriver,
    id: "test.this-driver",
    calls: 0,
    scale: 2,
    inspectOutput(this: { calls: number; scale: number }, bytes: Uint8Array) {
      this.calls++;
      return { currentUa: bytes.length * this.scale };
    },
  } as DriverDefinition & { calls: number };
  const checked = defineDriver(written);
  assert.ok(Object.isFrozen(checked));
  assert.equal(checked.inspectOutput(new Uint8Array(3)), { currentUa: 6 });
  assert.is(written.calls, 1, "the call ran on the definition, not on its frozen copy");
});

test("a definition without inspectOutput is refused when its module loads, naming the field", () => {
  const { inspectOutput: _, ...without } = simBinaryDriver;
  assert.throws(() => defineDriver(without as DriverDefinition), /"inspectOutput" must be a function/);
});

test.run();
