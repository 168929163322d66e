/** Fault-matrix rows on a kiosk subprocess: killed with SIGKILL mid-session, and its store's disk filling up. */
import { startKiosk } from "../../kiosk/mod.ts";
import { checkRecord } from "./_record.ts";
import { errorRow, type FaultRow, judge } from "./_row.ts";
import { epoch, spawnKiosk } from "./_child.ts";
import { ARM_UA, WINDOW_MS } from "./_device_rows.ts";

/** Output the killed kiosk must have reached first, µA: past its first checkpoint and event-log flush (1 s). */
const KILL_ARM_UA = 100;

/**
 * kill -9 of a real kiosk process mid-session. The device on the cable (a copy of the SIM-1 firmware fed the
 * bytes the kiosk wrote) stops by its own frame expiry, timed on the firmware's clock. Then a kiosk starts
 * again on the same data folder: the session left open must be closed as crashed, and audited.
 */
export async function runKilledRow(): Promise<FaultRow> {
  const dataDir = await Deno.makeTempDir({ prefix: "gp-faults-killed-" });
  const child = await spawnKiosk({ dataDir }).catch(async (error) => {
    await removeAll(dataDir);
    throw error;
  });
  let killedAt = 0;
  try {
    await child.frameAtLeast(KILL_ARM_UA);
    killedAt = epoch();
    Deno.kill(child.pid, "SIGKILL");
  } finally {
    if (!killedAt) killQuietly(child.pid);
    await child.exited;
    await child.page.close();
    if (!killedAt) await removeAll(dataDir);
  }
  const samples = child.deviceSamples(killedAt - 200, killedAt + 300);
  // The restart: a kiosk on the same data folder, shut down again at once.
  const restartLog: string[] = [];
  const again = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    device: "simulated",
    dataDir,
    pluginDir: `${dataDir}/plugins`,
    operatorPin: "7391",
    log: (line) => void restartLog.push(line),
  });
  await again.shutdown("fault-matrix");
  const record = checkRecord(dataDir, { stop: false, endReason: /crash/, audit: /crash/ });
  await Deno.remove(dataDir, { recursive: true });
  const row = judge({
    fault: "kiosk killed",
    how: "SIGKILL to the kiosk process, then a restart",
    injectedAt: killedAt,
    frames: child.frames,
    samples,
    record,
    notes: restartLog.filter((l) => /crash|session|open/i.test(l)).slice(0, 3),
  });
  // No kiosk, no frames: what ends the output is the device's own expiry, on its firmware's clock.
  row.clock = "emulator";
  row.frameAfterUa = null;
  row.toZeroFrameMs = null;
  row.limit = null;
  row.ok = row.deviceAfterUa === 0 && record.ok;
  return row;
}

/**
 * The kiosk's store runs out of disk mid-session: its data folder is a private 2 MiB tmpfs (unshare -rm, event
 * logs bound to a normal folder) that the kiosk process fills up, so every SQLite write fails with SQLITE_FULL
 * (WAL appends included, which PRAGMA max_page_count would not stop). Space comes back before the shutdown.
 */
export async function runDiskFullRow(): Promise<FaultRow> {
  const how = "the store's file system fills up (2 MiB tmpfs): SQLITE_FULL";
  const dataDir = await Deno.makeTempDir({ prefix: "gp-faults-disk-" });
  const copyTo = await Deno.makeTempDir({ prefix: "gp-faults-disk-record-" });
  let child;
  try {
    child = await spawnKiosk({ dataDir, copyTo, smallDisk: true });
  } catch (error) {
    await removeAll(dataDir, copyTo);
    return errorRow("disk full", how, `not injected: ${error instanceof Error ? error.message : error}`);
  }
  let injectedAt = 0;
  let windowEnd = 0;
  let failure: unknown = null;
  try {
    await child.frameAtLeast(ARM_UA);
    await child.command("fill");
    const filled = await child.message((m) => m.filled !== undefined);
    if (/^not full/.test(String(filled.filled))) {
      throw new Error(`Cannot fill the store's disk: ${filled.filled}`);
    }
    injectedAt = filled.at as number;
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    windowEnd = epoch();
    await child.command("unfill");
    await child.command("stop");
    await child.message((m) => m.stopped === true, 10_000);
  } catch (error) {
    failure = error;
  } finally {
    if (failure || !windowEnd) killQuietly(child.pid);
    await child.exited;
    await child.page.close();
  }
  if (failure) {
    await removeAll(dataDir, copyTo);
    return errorRow("disk full", how, `not run: ${failure instanceof Error ? failure.message : failure}`);
  }
  const frames = child.frames.filter((f) => f.at <= windowEnd);
  const maxFrameUa = Math.max(...child.frames.map((f) => f.ua));
  const record = checkRecord(copyTo, { stop: true, maxFrameUa });
  await removeAll(dataDir, copyTo);
  return judge({
    fault: "disk full",
    how,
    injectedAt,
    frames,
    samples: child.deviceSamples(injectedAt - 200, windowEnd),
    record,
    notes: [...child.log, ...(await child.stderr).split("\n")].filter((l) =>
      /full/i.test(l) && !/^\s/.test(l)
    )
      .slice(0, 3),
  });
}

async function removeAll(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
}

// The process may already be gone (it crashed, or it exited after "stop").
function killQuietly(pid: number): void {
  try {
    Deno.kill(pid, "SIGKILL");
  } catch { /* already exited */ }
}
