/**
 * What replication costs the 50 Hz loop (issue 10): the real kiosk (engine, runner, recorder, demo session on a
 * contact-reporting sink) ticks for a while without a central store, with one (steady replication: the session's
 * checkpoints and audit rows), and with one draining a backlog of queued rows (as after an outage). Prints tick
 * lateness p50/p99/max per case; the runs share the machine with whatever else runs on it.
 *
 *   deno run -A bench/central_tick.ts [seconds per case=10] [backlog rows=20000]
 */
import postgres from "postgres";
import { type Kiosk } from "../kiosk/mod.ts";
import { migrateCentral, parseDatabaseUrl, registerStation } from "../kiosk/central/mod.ts";
import { openOutbox, openStore } from "../kiosk/store/mod.ts";
import { startPgCluster } from "../test/central/_pg_cluster.ts";
import { createContactSink } from "../test/kiosk/_null_sink.ts";
import { startTestKiosk } from "../test/kiosk/_kiosk.ts";

const seconds = Number(Deno.args[0] ?? 10);
const backlog = Number(Deno.args[1] ?? 20_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cluster = await startPgCluster();
const admin = postgres(cluster.adminUrl, { onnotice: () => {}, max: 1 });
await migrateCentral(admin);

async function run(label: string, central: boolean, queued: number, batchSize?: number) {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-bench-tick-" });
  let setting = null;
  if (central) {
    const c = await registerStation(admin, "bench", `tick-${crypto.randomUUID().slice(0, 8)}`);
    setting = parseDatabaseUrl(cluster.url(c.role, c.secret));
  }
  if (queued > 0) {
    const store = openStore(dataDir);
    const outbox = openOutbox(store.path);
    outbox.enable();
    const t = Date.now();
    for (let i = 0; i < queued; i++) store.audit({ at: t, action: "backlog", actor: "bench", detail: { i } });
    outbox.dispose();
    store.dispose();
  }
  const kiosk: Kiosk = await startTestKiosk({
    dataDir,
    demoAutostart: true,
    sink: createContactSink("bench"),
    sinkSimulated: true,
    operatorPin: "2468",
    central: setting,
    centralOptions: batchSize ? { batchSize } : undefined,
  });
  await sleep(500);
  kiosk.runner.resetJitter();
  const t0 = performance.now();
  let drainedMs: number | null = null;
  while (performance.now() - t0 < seconds * 1000) {
    await sleep(50);
    if (queued > 0 && drainedMs === null && kiosk.replicator!.health().pending === 0) {
      drainedMs = performance.now() - t0;
    }
  }
  const j = kiosk.runner.jitter();
  const h = kiosk.replicator?.health();
  await kiosk.shutdown();
  console.log(
    `${label.padEnd(34)} | ${String(j.ticks).padStart(5)} ${String(j.skipped).padStart(7)} | ${
      j.p50.toFixed(2).padStart(6)
    } ${j.p99.toFixed(2).padStart(6)} ${j.max.toFixed(2).padStart(6)} | ${
      h
        ? `${h.state}, shipped seq ${h.shippedSeq}${
          drainedMs !== null ? `, backlog drained in ${(drainedMs / 1000).toFixed(2)} s` : ""
        }`
        : "—"
    }`,
  );
}

console.log(
  `tick lateness of the kiosk's 50 Hz loop, ${seconds} s per case (a demo session with output throughout)`,
);
console.log("case                               | ticks skipped | p50 ms p99 ms max ms | replication");
await run("no DATABASE_URL", false, 0);
await run("DATABASE_URL, steady", true, 0);
await run(`DATABASE_URL, draining ${backlog} rows`, true, backlog);
await run(`same, batches of 100 rows`, true, backlog, 100);
await run("no DATABASE_URL (again)", false, 0);
await admin.end();
await cluster.dispose();
