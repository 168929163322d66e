import { test } from "uvu";
import * as assert from "uvu/assert";
import { type KioskOptions, startKiosk, StartRefusedError } from "../../kiosk/mod.ts";
import { createNullSink } from "./_null_sink.ts";

const quiet = (dataDir: string, more: KioskOptions = {}): KioskOptions => ({
  port: 0,
  buildUi: false,
  dataDir,
  sink: createNullSink(),
  log: () => {},
  ...more,
});

/** Every file under `dir` with its bytes and modification time, to show that nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) Object.assign(out, snapshot(path));
    else out[path] = `${Deno.statSync(path).mtime?.getTime()} ${Deno.readTextFileSync(path)}`;
  }
  return out;
}

async function refusal(options: KioskOptions): Promise<StartRefusedError> {
  const outcome: unknown = await startKiosk(options).then(
    async (kiosk) => void await kiosk.shutdown(),
    (error) => error,
  );
  assert.instance(outcome, StartRefusedError, "the second kiosk was refused");
  return outcome as StartRefusedError;
}

test("a second kiosk on the same data folder, on another port, is refused naming the first one's pid, and writes nothing", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-guard-" });
  const first = await startKiosk(quiet(dataDir));
  try {
    const pin = Deno.readFileSync(`${dataDir}/operator-pin`);
    const before = snapshot(dataDir);
    const error = await refusal(quiet(dataDir));
    assert.is(
      error.message,
      `Cannot start kiosk: DATA_DIR ${JSON.stringify(dataDir)} is in use by another kiosk (pid ${Deno.pid})`,
    );
    assert.equal(
      Deno.readFileSync(`${dataDir}/operator-pin`),
      pin,
      "the first kiosk's PIN file is unchanged",
    );
    assert.equal(snapshot(dataDir), before, "no file in the data folder was written");
    assert.is((await fetch(`${first.url}api/health`).then((r) => r.json())).engine.state, "idle");
  } finally {
    await first.shutdown();
  }
  // The lock goes with the first kiosk: the next start on that folder runs.
  const next = await startKiosk(quiet(dataDir));
  await next.shutdown();
});

test("a kiosk on a busy port is refused before it creates its data folder or touches the running kiosk's", async () => {
  const dataDir = Deno.makeTempDirSync({ prefix: "gp-guard-" });
  const first = await startKiosk(quiet(dataDir));
  try {
    const before = snapshot(dataDir);
    const fresh = `${Deno.makeTempDirSync({ prefix: "gp-guard-" })}/data`;
    const other = await refusal(quiet(fresh, { port: first.port }));
    assert.is(
      other.message,
      `Cannot start kiosk: PORT ${first.port} on 127.0.0.1 is in use (127.0.0.1:${first.port})`,
    );
    assert.throws(
      () => Deno.statSync(fresh),
      (e: unknown) => e instanceof Deno.errors.NotFound,
      "nothing created",
    );
    const same = await refusal(quiet(dataDir, { port: first.port }));
    assert.match(same.message, /PORT \d+ on 127\.0\.0\.1 is in use/);
    assert.equal(snapshot(dataDir), before, "the running kiosk's data folder and PIN file are untouched");
  } finally {
    await first.shutdown();
  }
});

test.run();
