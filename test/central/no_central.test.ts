/** A station without DATABASE_URL runs on its local store alone, even one that had a central store before. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { openOutbox, openStore } from "../../kiosk/store/mod.ts";
import { createContactSink } from "../kiosk/_null_sink.ts";
import { startTestKiosk } from "../kiosk/_kiosk.ts";

test("without DATABASE_URL: no replicator, central null in the health, queuing switched off, nothing queued", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-nocentral-" });
  // A station that ran against a central store before: queuing is on in its file, one record waits.
  const before = openStore(dataDir);
  const outbox = openOutbox(before.path);
  outbox.enable();
  before.audit({ at: Date.now(), action: "earlier", actor: "test" });
  outbox.dispose();
  before.dispose();

  const lines: string[] = [];
  const kiosk = await startTestKiosk({
    dataDir,
    demoAutostart: true,
    sink: createContactSink(),
    sinkSimulated: true,
    operatorPin: "2468",
    log: (l) => void lines.push(l),
  });
  try {
    const output = Promise.withResolvers<EngineFrame>();
    const off = kiosk.runner.observe({ frame: (f) => f.currentUa > 0 && (off(), output.resolve(f)) });
    await output.promise;
    assert.is(kiosk.replicator, undefined);
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    assert.is(health.central, null);
    assert.ok(
      lines.some((l) => /no DATABASE_URL; records are no longer queued \(1 wait/.test(l)),
      lines.join("\n"),
    );
  } finally {
    await kiosk.shutdown();
  }
  const after = openStore(dataDir);
  const check = openOutbox(after.path);
  assert.is(check.enabled, false);
  assert.is(
    check.stats().pending,
    1,
    "only the record queued before; the session written since queued nothing",
  );
  assert.ok(after.sessions().length >= 1);
  check.dispose();
  after.dispose();
});

test.run();
