import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import { startKiosk } from "../../kiosk/mod.ts";
import type { OutputSink, SinkReport } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";

/** A sink that reports skin contact and keeps every frame it is sent. */
function recordingSink() {
  const frames: EngineFrame[] = [];
  let disposed = false;
  const sink: OutputSink = {
    send: (f) => void frames.push(f),
    status: () => ({ kind: "test" }),
    subscribe(listener: (r: SinkReport) => void) {
      queueMicrotask(() =>
        listener({ kind: "event", event: { type: "contact", on: true, impedanceOhm: 4000 } })
      );
      return () => {};
    },
    dispose: () => void (disposed = true),
  };
  return { sink, frames, isDisposed: () => disposed };
}

test("shutdown zeroes the output first, then closes the session record with the signal as its end reason", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-rt-" });
  const { sink, frames, isDisposed } = recordingSink();
  const kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: true,
    demoAutostart: true,
    dataDir,
    sink,
    log: () => {},
  });
  const flowing = Promise.withResolvers<void>();
  kiosk.runner.observe({ frame: (f) => f.currentUa > 0 && flowing.resolve() });
  await flowing.promise;
  await kiosk.shutdown("SIGTERM");
  const last = frames[frames.length - 1]!;
  assert.is(last.currentUa, 0);
  assert.ok(isDisposed(), "the device side was released");
  const sent = frames.length;
  await new Promise((r) => setTimeout(r, 60));
  assert.is(frames.length, sent, "no frame after shutdown");
  const store = openStore(dataDir);
  const [session] = store.sessions();
  assert.is(session?.routine, "express-lift");
  assert.is(session?.endReason, "SIGTERM");
  assert.is(store.screenings(session!.id)[0]?.consentBy, "demo");
  assert.is(store.auditLog()[0]?.action, "shutdown");
  const log = Deno.readTextFileSync(`${dataDir}/sessions/${session!.id}.jsonl`).trim().split("\n");
  assert.ok(log.some((l) => JSON.parse(l).type === "start"), "the session's event log was written");
  store.dispose();
});

test("shutdown twice is harmless", async () => {
  const kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-rt-" }),
    sink: recordingSink().sink,
    log: () => {},
  });
  await Promise.all([kiosk.shutdown(), kiosk.shutdown()]);
  await kiosk.shutdown();
});

test.run();
