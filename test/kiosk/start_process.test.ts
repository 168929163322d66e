import { test } from "uvu";
import * as assert from "uvu/assert";
import { startKiosk } from "../../kiosk/mod.ts";
import { createNullSink } from "./_null_sink.ts";
import { openStore } from "../../kiosk/store/mod.ts";

// The README's start command, run for real: npx → sh → deno task → deno run kiosk/main.ts. `deno task start`
// may write only ./data, so each case gets its own folder under it.
const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
const START_MS = 120_000; // npx, the page bundle and the device, on a loaded 2-core box
const STOP_MS = 20_000;

function dataDir(): string {
  return `data/.test-start-${crypto.randomUUID().slice(0, 8)}`;
}

interface Run {
  child: Deno.ChildProcess;
  stdout: () => string;
  stderr: () => string;
  status: Promise<Deno.CommandStatus>;
}

function collect(stream: ReadableStream<Uint8Array>): () => string {
  let text = "";
  (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  })().catch(() => {});
  return () => text;
}

/** Spawns the start command in a process group of its own (as a shell job or a systemd unit would). */
function start(env: Record<string, string>): Run {
  const child = new Deno.Command("npx", {
    args: ["-y", "deno@2.9.6", "task", "start"],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  return { child, stdout: collect(child.stdout), stderr: collect(child.stderr), status: child.status };
}

/** The kiosk's own stderr lines: without the `Task start ...` header deno task prints. */
function ownLines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "" && !/^Task start /.test(l));
}

async function until<T>(what: string, ms: number, probe: () => T | Promise<T>): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  while (true) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) {
      assert.unreachable(`timed out: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Proc {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  args: string;
}

async function processes(): Promise<Proc[]> {
  const out = await new Deno.Command("ps", { args: ["-A", "-o", "pid=,ppid=,pgid=,stat=,args="] }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean).map((line) => {
    const [pid, ppid, pgid, state, ...args] = line.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: state!, args: args.join(" ") };
  });
}

/** Every process of the run (its process group) that still runs; a zombie has stopped. */
async function running(run: Run): Promise<Proc[]> {
  return (await processes()).filter((p) => p.pgid === run.child.pid && !p.state.startsWith("Z"));
}

/** Starts the kiosk with the demo autostarting and waits until current flows. */
async function stimulating(dir: string): Promise<{ run: Run; tree: Proc[] }> {
  const run = start({ PORT: "0", DATA_DIR: dir, DEMO_AUTOSTART: "1", KIOSK_NICE: "0" });
  const url = await until("the kiosk listens", START_MS, () => run.stdout().match(/listening on (\S+)/)?.[1]);
  await until("current flows", START_MS, async () => {
    const health = await fetch(`${url}api/health`).then((r) => r.json());
    return health.engine.currentUa > 0;
  });
  const tree = await running(run);
  assert.ok(
    tree.some((p) => p.args.includes("kiosk/main.ts")),
    "the kiosk is in the command's process group",
  );
  assert.ok(tree.some((p) => /^deno task start/.test(p.args)), "so is deno task");
  return { run, tree };
}

/** After `signal`: every process of the command is gone, and the kiosk logged its zero-output stop. */
async function expectStopped(run: Run, dir: string, reason: string): Promise<void> {
  try {
    await until(
      "every process of the command is gone",
      STOP_MS,
      async () => (await running(run)).length === 0,
    );
    assert.match(run.stdout(), `stopped (${reason}): output 0, session record closed`);
    const store = openStore(`${ROOT}/${dir}`);
    try {
      assert.is(store.sessions()[0]?.endReason, reason, "the running session's record was closed");
    } finally {
      store.dispose();
    }
  } finally {
    for (const p of await running(run)) Deno.kill(p.pid, "SIGKILL");
    await run.status;
    Deno.removeSync(`${ROOT}/${dir}`, { recursive: true });
  }
}

/** Runs a start that should be refused; one that does not exit in time is killed and fails the test. */
const refused = async (env: Record<string, string>) => {
  const run = start(env);
  const exited = await until(
    "the refused start exits",
    START_MS,
    () => running(run).then((ps) => ps.length === 0),
  )
    .catch(async (error) => {
      for (const p of await running(run)) Deno.kill(p.pid, "SIGKILL");
      throw error;
    });
  const status = await run.status;
  return { exited, code: status.code, stdout: run.stdout(), lines: ownLines(run.stderr()) };
};

test("a bad setting exits 2 with one line on stderr and writes nothing: no data folder, no bundle, no PIN", async () => {
  const dirs = [dataDir(), dataDir(), "/tmp/glidepath-not-allowed"];
  const results = await Promise.all([
    refused({ KIOSK_NICE: "x", DATA_DIR: dirs[0]! }),
    refused({ PORT: "abc", DATA_DIR: dirs[1]! }),
    refused({ DATA_DIR: dirs[2]! }),
  ]);
  const expected = [
    'Cannot start kiosk: KIOSK_NICE must be an integer -20..19, got "x"',
    'Cannot start kiosk: PORT must be an integer 0..65535, got "abc"',
    'Cannot start kiosk: no write permission for DATA_DIR "/tmp/glidepath-not-allowed"; add it to --allow-write',
  ];
  results.forEach((r, i) => {
    assert.is(r.code, 2, r.lines.join("\n"));
    assert.equal(r.lines, [expected[i]], "one line, no stack trace");
    assert.not.match(r.stdout, /page bundled|operator PIN/);
    assert.throws(() => Deno.statSync(dirs[i]!.startsWith("/") ? dirs[i]! : `${ROOT}/${dirs[i]}`));
  });
});

test("a second kiosk on a busy port, or on a data folder in use, exits 2 and leaves the first one's PIN file as it was", async () => {
  const dir = dataDir();
  const first = await startKiosk({
    port: 0,
    buildUi: false,
    dataDir: `${ROOT}/${dir}`,
    sink: createNullSink(),
    log: () => {},
  });
  try {
    const pin = Deno.readFileSync(`${ROOT}/${dir}/operator-pin`);
    const [busyPort, busyDir] = await Promise.all([
      refused({ PORT: String(first.port), DATA_DIR: dir }),
      refused({ PORT: "0", DATA_DIR: dir }),
    ]);
    assert.is(busyPort.code, 2);
    assert.equal(busyPort.lines, [
      `Cannot start kiosk: PORT ${first.port} on 127.0.0.1 is in use (127.0.0.1:${first.port})`,
    ]);
    assert.is(busyDir.code, 2);
    assert.equal(busyDir.lines, [
      `Cannot start kiosk: DATA_DIR ${JSON.stringify(dir)} is in use by another kiosk (pid ${Deno.pid})`,
    ]);
    assert.not.match(busyPort.stdout + busyDir.stdout, /page bundled|operator PIN/);
    assert.equal(Deno.readFileSync(`${ROOT}/${dir}/operator-pin`), pin, "byte-identical");
  } finally {
    await first.shutdown();
    Deno.removeSync(`${ROOT}/${dir}`, { recursive: true });
  }
});

test("SIGTERM to npx stops the stimulating kiosk with output 0; no deno process is left behind", async () => {
  const dir = dataDir();
  const { run } = await stimulating(dir);
  Deno.kill(run.child.pid, "SIGTERM");
  // npx passes SIGTERM to its `sh`, which dies without passing it on: the kiosk sees its ancestors go.
  await expectStopped(run, dir, "parent-gone");
});

test("SIGINT as Ctrl-C sends it (to the command's process group) stops the kiosk with output 0", async () => {
  const dir = dataDir();
  const { run } = await stimulating(dir);
  Deno.kill(-run.child.pid, "SIGINT");
  await expectStopped(run, dir, "SIGINT");
});

test("SIGKILL to the kiosk's parent (deno task) stops the kiosk with output 0", async () => {
  const dir = dataDir();
  const { run, tree } = await stimulating(dir);
  Deno.kill(tree.find((p) => /^deno task start/.test(p.args))!.pid, "SIGKILL");
  await expectStopped(run, dir, "parent-gone");
});

test("SIGKILL to npx (an ancestor further up) stops the kiosk with output 0", async () => {
  const dir = dataDir();
  const { run } = await stimulating(dir);
  Deno.kill(run.child.pid, "SIGKILL");
  await expectStopped(run, dir, "parent-gone");
});

test.run();
