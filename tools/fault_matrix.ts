/**
 * `deno task faults [ROW...]`: runs each fault against the real kiosk parts and prints the fault matrix, one row
 * per fault: how it was injected, output before and after, how fast it reached 0 µA, the limit reported, and
 * whether the session's record is intact. Exits 1 when a row does not end at 0 µA with its record intact.
 * docs/decisions.md "Fault matrix (issue 7.7)" says how each row is injected and what "record intact" means.
 */
import { DEVICE_ROWS, runDeviceRow } from "./faults/_device_rows.ts";
import { PLUGIN_ROWS, runPluginRow } from "./faults/_plugin_rows.ts";
import { runDiskFullRow, runKilledRow } from "./faults/_process_rows.ts";
import { errorRow, type FaultRow, formatMatrix } from "./faults/_row.ts";

export type { FaultRow } from "./faults/_row.ts";
export { formatMatrix } from "./faults/_row.ts";

/** Every row of the matrix by id, in print order; each runs against its own fresh kiosk. */
export const FAULT_ROWS: ReadonlyArray<{ id: string; run: () => Promise<FaultRow> }> = [
  ...DEVICE_ROWS.map((id) => ({ id, run: () => runDeviceRow(id) })),
  { id: "kiosk-killed", run: runKilledRow },
  { id: "disk-full", run: runDiskFullRow },
  ...PLUGIN_ROWS.map((id) => ({ id: `plugin-${id}`, run: () => runPluginRow(id) })),
];

/** Runs the rows whose ids are given (all when none), one after another. */
async function runFaultMatrix(ids: string[] = []): Promise<FaultRow[]> {
  const unknown = ids.filter((id) => !FAULT_ROWS.some((r) => r.id === id));
  if (unknown.length) {
    throw new RangeError(
      `Unknown fault row ${JSON.stringify(unknown[0])}; rows: ${FAULT_ROWS.map((r) => r.id).join(", ")}`,
    );
  }
  const rows: FaultRow[] = [];
  for (const r of FAULT_ROWS) {
    if (ids.length > 0 && !ids.includes(r.id)) continue;
    try {
      rows.push(await r.run());
    } catch (error) {
      // A row that could not run is a failed row with its reason, not the end of the matrix.
      rows.push(errorRow(r.id, "(not run)", `not run: ${error instanceof Error ? error.message : error}`));
    }
  }
  return rows;
}

if (import.meta.main) {
  const started = performance.now();
  const rows = await runFaultMatrix(Deno.args);
  console.log(formatMatrix(rows));
  const failed = rows.filter((r) => !r.ok);
  for (const r of failed) {
    console.log(`\n${r.fault}: FAIL${r.notes.length ? `\n  ${r.notes.join("\n  ")}` : ""}`);
  }
  console.log(
    `\n${rows.length - failed.length} of ${rows.length} rows end at 0 µA with the record intact` +
      ` (${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  Deno.exit(failed.length ? 1 : 0);
}
