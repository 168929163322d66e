import { test } from "uvu";
import * as assert from "uvu/assert";
import { DatabaseSync } from "node:sqlite";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { createContactSink } from "./_null_sink.ts";
import { startTestKiosk } from "./_kiosk.ts";

const root = new URL("../../", import.meta.url).pathname;

/** Resolves with the first frame the predicate accepts. */
function frameWhere(
  kiosk: { runner: { observe(o: { frame(f: EngineFrame): void }): () => void } },
  ok: (f: EngineFrame) => boolean,
) {
  const done = Promise.withResolvers<EngineFrame>();
  const off = kiosk.runner.observe({ frame: (f) => ok(f) && (off(), done.resolve(f)) });
  return done.promise;
}

test("a locked store mid-session stops the kiosk's output, and /api/health says why and since when", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-rec-rt-" });
  const lines: string[] = [];
  const kiosk = await startTestKiosk({
    demoAutostart: true,
    dataDir,
    sink: createContactSink(),
    sinkSimulated: true,
    log: (l) => void lines.push(l),
  });
  try {
    await frameWhere(kiosk, (f) => f.currentUa > 0);
    const ok = await (await fetch(`${kiosk.url}api/health`)).json();
    assert.equal(ok.store, { state: "ok" });
    const other = new DatabaseSync(kiosk.store.path);
    other.exec("BEGIN EXCLUSIVE");
    const stopped = await frameWhere(kiosk, (f) => f.limit === "device-fault");
    assert.is(stopped.currentUa, 0);
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    assert.is(health.store.state, "failing");
    assert.is(health.store.reason, "store: database is locked");
    assert.ok(Date.now() - Date.parse(health.store.since) < 60_000, health.store.since);
    assert.ok(lines.some((l) => l.includes("store write failed (database is locked)")), lines.join("\n"));
    other.exec("COMMIT");
    other.close();
  } finally {
    await kiosk.shutdown();
  }
});

test("a kiosk killed with SIGKILL mid-session: the next start closes its session as crashed with the last checkpoint", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-rec-kill-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "kiosk/main.ts"],
    cwd: root,
    env: {
      DATA_DIR: dataDir,
      PORT: "0",
      DEVICE: "simulated",
      DEMO_AUTOSTART: "1",
      OPERATOR_PIN: "2468",
      KIOSK_NICE: "0",
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  let checkpointMs = 0;
  try {
    // Wait (no timing assert) until a running session has checkpointed some output, read-only from outside.
    for (let i = 0; i < 600 && checkpointMs === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const db = new DatabaseSync(`${dataDir}/glidepath.sqlite`, { readOnly: true });
        const row = db.prepare("SELECT max(stimulation_ms) AS ms FROM sessions WHERE ended_at IS NULL")
          .get() as {
            ms: number | null;
          };
        db.close();
        checkpointMs = row.ms ?? 0;
      } catch {
        // not created yet
      }
    }
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  assert.ok(checkpointMs > 0, "the killed kiosk had a session with output checkpointed");
  const kiosk = await startTestKiosk({
    dataDir,
    sink: createContactSink(),
  });
  await kiosk.shutdown();
  const store = openStore(dataDir);
  const crashed = store.sessions().filter((s) => s.endReason === "crashed");
  assert.is(crashed.length, 1);
  assert.ok(crashed[0]!.stimulationMs >= checkpointMs, `${crashed[0]!.stimulationMs} ≥ ${checkpointMs}`);
  assert.ok(
    store.auditLog({ limit: 100 }).some((e) => e.action === "crashed" && e.sessionId === crashed[0]!.id),
  );
  store.dispose();
});

test("shutdown completes with the store locked: output 0, server closed, the failure logged", async () => {
  const lines: string[] = [];
  const kiosk = await startTestKiosk({
    dataDir: Deno.makeTempDirSync({ prefix: "gp-rec-rt-" }),
    sink: createContactSink(),
    log: (l) => void lines.push(l),
  });
  const other = new DatabaseSync(kiosk.store.path);
  other.exec("BEGIN EXCLUSIVE");
  try {
    await kiosk.shutdown("SIGTERM");
    const reached = await fetch(`${kiosk.url}api/health`).then(
      (r) => r.body?.cancel().then(() => true),
      () => false,
    );
    assert.is(reached, false, "the server is closed");
    assert.ok(lines.some((l) => l.includes("shutdown not audited: database is locked")), lines.join("\n"));
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
});

test.run();
