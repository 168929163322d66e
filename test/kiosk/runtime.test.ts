import { test } from "uvu";
import * as assert from "uvu/assert";
import type { EngineFrame } from "../../core/engine/mod.ts";
import type { OutputSink } from "../../kiosk/session/mod.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { startTestKiosk } from "./_kiosk.ts";
import { createContactSink } from "./_null_sink.ts";

/** A sink that reports skin contact and keeps every frame it is sent. */
function recordingSink() {
  const frames: EngineFrame[] = [];
  let disposed = false;
  const sink: OutputSink = {
    ...createContactSink(),
    send: (f) => void frames.push(f),
    dispose: () => void (disposed = true),
  };
  return { sink, frames, isDisposed: () => disposed };
}

test("shutdown zeroes the output first, then closes the session record with the signal as its end reason", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-rt-" });
  const { sink, frames, isDisposed } = recordingSink();
  const kiosk = await startTestKiosk({
    demo: true,
    demoAutostart: true,
    dataDir,
    sink,
    sinkSimulated: true,
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
  const kiosk = await startTestKiosk({
    demo: false,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-rt-" }),
    sink: recordingSink().sink,
  });
  await Promise.all([kiosk.shutdown(), kiosk.shutdown()]);
  await kiosk.shutdown();
});

test("demo mode is refused with a real device: no virtual probe, no autostart, and a log line says why", async () => {
  const lines: string[] = [];
  const { sink, frames } = recordingSink();
  const kiosk = await startTestKiosk({
    demo: true,
    demoAutostart: true,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-rt-" }),
    sink,
    log: (l) => void lines.push(l),
  });
  try {
    assert.is(kiosk.demo, undefined);
    assert.ok(lines.some((l) => /demo: refused: .*real hardware/.test(l)), lines.join("\n"));
    const seen = Promise.withResolvers<void>();
    let n = 0;
    kiosk.runner.observe({ frame: () => ++n === 10 && seen.resolve() });
    await seen.promise;
    assert.is(kiosk.runner.state, "idle", "nothing started by itself");
    assert.ok(frames.every((f) => f.currentUa === 0));
  } finally {
    await kiosk.shutdown();
  }
});

/** A demo kiosk with autostart on a recording sink; `frames(n)` resolves after the next n frames. */
async function autostartKiosk() {
  const { sink } = recordingSink();
  const kiosk = await startTestKiosk({
    demoAutostart: true,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-rt-" }),
    sink,
    sinkSimulated: true,
  });
  const frames = (count: number) => {
    const done = Promise.withResolvers<void>();
    let n = 0;
    const off = kiosk.runner.observe({ frame: () => ++n === count && (off(), done.resolve()) });
    return done.promise;
  };
  return { kiosk, frames };
}

test("demo autostart restarts a session that ended normally, never one aborted by screening", async () => {
  const { kiosk, frames } = await autostartKiosk();
  // Before the first tick: a contraindicated user answered the screening.
  kiosk.runner.submit(
    { type: "start", routine: "express-lift", comfort: 5, screening: { pacemaker: true } },
    "page",
  );
  try {
    assert.ok(kiosk.demo, "demo runs on a simulated device by default");
    await frames(10);
    assert.is(kiosk.runner.state, "aborted", "the aborted session stays aborted");
    const screening = { pacemaker: false };
    kiosk.runner.submit({ type: "start", routine: "express-lift", comfort: 5, screening }, "operator");
    await frames(3);
    kiosk.runner.submit({ type: "end" }, "operator");
    await frames(3);
    assert.ok(["ready", "running"].includes(kiosk.runner.state), `restarted: ${kiosk.runner.state}`);
    assert.is(kiosk.store.sessions().length, 3, "aborted, ended, and the autostarted one");
  } finally {
    await kiosk.shutdown();
  }
});

test("demo autostart never starts under a latched stop, nor after the reset until a person starts a session", async () => {
  const { kiosk, frames } = await autostartKiosk();
  const demoStarts: number[] = [];
  kiosk.runner.observe({
    event: (e, { source }) => void (e.type === "start" && source === "demo" && demoStarts.push(e.t)),
  });
  try {
    await frames(5);
    assert.is(demoStarts.length, 1, "the demo started by itself");
    kiosk.runner.submit({ type: "estop" }, "page");
    kiosk.runner.submit({ type: "end" }, "page");
    await frames(25);
    assert.is(kiosk.runner.state, "ended");
    assert.is(kiosk.runner.lastFrame!.limit, "estop");
    kiosk.runner.submit({ type: "reset" }, "operator");
    await frames(25);
    assert.is(kiosk.runner.state, "ended", "the reset did not restart the demo");
    assert.is(demoStarts.length, 1, "no autostart under the latch or after the reset, and no retries");
    const screening = { pacemaker: false };
    kiosk.runner.submit({ type: "start", routine: "express-lift", comfort: 5, screening }, "page");
    kiosk.runner.submit({ type: "end" }, "page");
    await frames(5);
    assert.is(demoStarts.length, 2, "after a person's session the demo runs again");
  } finally {
    await kiosk.shutdown();
  }
});

test("without OPERATOR_PIN a random 6-digit PIN is logged once and written to DATA_DIR/operator-pin (0600)", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-rt-" });
  const lines: string[] = [];
  const kiosk = await startTestKiosk({
    dataDir,
    sink: recordingSink().sink,
    log: (l) => void lines.push(l),
  });
  await kiosk.shutdown();
  const pin = Deno.readTextFileSync(`${dataDir}/operator-pin`).trim();
  assert.match(pin, /^[0-9]{6}$/);
  assert.is(Deno.statSync(`${dataDir}/operator-pin`).mode! & 0o777, 0o600);
  assert.is(lines.filter((l) => l.includes(pin)).length, 1, "printed once");
  const given = Deno.makeTempDirSync({ prefix: "gp-rt-" });
  const k2 = await startTestKiosk({
    dataDir: given,
    operatorPin: "7391",
    sink: recordingSink().sink,
  });
  await k2.shutdown();
  assert.throws(
    () => Deno.statSync(`${given}/operator-pin`),
    (e: unknown) => e instanceof Deno.errors.NotFound,
  );
});

test("the device's operator cap follows cap events, and a start without a cap restores the hard ceiling", async () => {
  const { sink } = recordingSink();
  const caps: number[] = [];
  sink.setOperatorCap = (ua) => void caps.push(ua);
  const kiosk = await startTestKiosk({
    demo: false,
    dataDir: Deno.makeTempDirSync({ prefix: "gp-rt-" }),
    sink,
  });
  try {
    kiosk.runner.submit(
      { type: "start", routine: "free", comfort: 5, screening: {}, operatorCapUa: 300 },
      "operator",
    );
    kiosk.runner.submit({ type: "cap", operatorCapUa: 150 }, "operator");
    kiosk.runner.submit({ type: "end" }, "operator");
    await new Promise((r) => setTimeout(r, 60));
    kiosk.runner.submit({ type: "start", routine: "free", comfort: 5, screening: {} }, "page");
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(caps, [300, 150, 500]);
  } finally {
    await kiosk.shutdown();
  }
});

test.run();
