/**
 * The fault matrix (`deno task faults`) as a test: every fault, injected into the real kiosk parts, ends at 0 µA
 * (engine frame and the device's own output) with the session's record intact.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FAULT_ROWS } from "../../tools/fault_matrix.ts";
import type { FaultRow } from "../../tools/fault_matrix.ts";

function explain(row: FaultRow): string {
  return `${row.fault}: frame ${row.frameAfterUa} µA, device ${row.deviceAfterUa} µA, limit ${row.limit}; ` +
    `record: ${row.record.ok ? row.record.summary : row.record.problems.join("; ")}` +
    (row.notes.length ? `\n  ${row.notes.join("\n  ")}` : "");
}

for (const { id, run } of FAULT_ROWS) {
  test(`fault "${id}" ends at 0 µA with the session record intact`, async () => {
    const row = await run();
    if (id === "kiosk-killed") {
      assert.is(row.frameAfterUa, null, "a killed kiosk sends no frame");
    } else {
      assert.ok(row.frameAfterUa !== null, `no engine frame after the fault\n${explain(row)}`);
      assert.is(row.frameAfterUa, 0, `engine output after the fault\n${explain(row)}`);
    }
    assert.ok(row.deviceAfterUa !== null, `the device's output was not seen\n${explain(row)}`);
    assert.is(row.deviceAfterUa, 0, `device output after the fault\n${explain(row)}`);
    assert.ok(row.toDeviceZeroMs !== null, `the device's output did not stay at 0\n${explain(row)}`);
    assert.ok(row.record.ok, `record not intact\n${explain(row)}`);
    assert.ok(row.ok, explain(row));
  });
}

test.run();
