/** DEVICE picks the kiosk's device: a plugin's own simulated device runs a session, hardware never runs the demo, the hello says which. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Kiosk, type KioskOptions, startKiosk, StartRefusedError } from "../../kiosk/mod.ts";
import { createPluginHost } from "../../kiosk/plugins/mod.ts";
import { parseDeviceSetting } from "../../kiosk/config.ts";
import { chooseDevice } from "../../kiosk/_device_choice.ts";
import { DeviceUnavailableError } from "../../kiosk/device/mod.ts";
import { installGlow } from "../plugins/fixtures/glow_install.ts";
import { CHEEK, NO } from "./_fixtures.ts";
import { startTestKiosk } from "./_kiosk.ts";

/** A temp operator plugin folder with examples/acme-glow installed, approved when `approve`. */
async function glowFolder(approve: boolean): Promise<string> {
  const pluginDir = await Deno.makeTempDir({ prefix: "gp-dev-" });
  await installGlow(pluginDir);
  if (approve) {
    const host = await createPluginHost({ operatorDir: pluginDir });
    await host.enable("acme.glow"); // the operator approves it (as `plugin enable` does)
    await host.dispose();
  }
  return pluginDir;
}

/** The first hello a page gets from the kiosk at `url`. */
async function helloOf(url: string): Promise<Record<string, unknown>> {
  const ws = new WebSocket(url.replace("http://", "ws://") + "ws", {
    headers: { origin: url.replace(/\/$/, "") },
  } as unknown as string[]);
  const hello = Promise.withResolvers<Record<string, unknown>>();
  const guard = setTimeout(() => hello.reject(new Error("no hello (guard)")), 10_000);
  ws.onmessage = (e) => {
    const msg = JSON.parse(String(e.data));
    if (msg.type === "hello") hello.resolve(msg);
  };
  ws.onerror = () => hello.reject(new Error("socket error"));
  const closed = new Promise((resolve) => ws.onclose = resolve);
  try {
    return await hello.promise;
  } finally {
    clearTimeout(guard);
    ws.close();
    await closed; // the kiosk hears the page go before it shuts down
  }
}

/** A kiosk on a fresh data folder without the page bundle, its log lines kept. */
async function kioskOn(options: KioskOptions): Promise<{ kiosk: Kiosk; lines: string[] }> {
  const lines: string[] = [];
  const kiosk = await startTestKiosk({
    dataDir: await Deno.makeTempDir({ prefix: "gp-dev-" }),
    log: (l) => void lines.push(l),
    ...options,
  });
  return { kiosk, lines };
}

/** Runs `body` on kioskOn(`options`); shuts the kiosk down after, passed or failed. */
async function withKioskOn(
  options: KioskOptions,
  body: (started: { kiosk: Kiosk; lines: string[] }) => Promise<void>,
): Promise<void> {
  const started = await kioskOn(options);
  try {
    await body(started);
  } finally {
    await started.kiosk.shutdown();
  }
}

/** What the hello tells a page about the kiosk's mode. */
async function modeOf(url: string): Promise<{ demo: unknown; simulated: unknown }> {
  const hello = await helloOf(url);
  return { demo: hello.demo, simulated: hello.simulated };
}

async function refusal(start: Promise<unknown>): Promise<Error> {
  const error = await start.then(() => null, (e: Error) => e);
  assert.instance(error, StartRefusedError);
  return error as Error;
}

test("DEVICE=simulated:acme.glow: the plugin's own simulated device, driven by its driver, runs a session", async () =>
  withKioskOn({
    device: "simulated:acme.glow",
    demo: false,
    pluginDir: await glowFolder(true),
    // About the wiring, not the machine's load: a loaded box must not trip the telemetry watchdog first.
    deviceHost: { telemetryTimeoutMs: 5000, staleReconnectMs: 10_000 },
  }, async ({ kiosk, lines }) => {
    assert.ok(lines.some((l) => /device: simulated .* of plugin acme\.glow/.test(l)), lines.join("\n"));
    kiosk.runner.submit({ type: "start", routine: "free", comfort: 10, screening: NO }, "operator");
    const reached = Promise.withResolvers<void>();
    const guard = setTimeout(
      () => reached.reject(new Error(`no output (guard)\n${lines.join("\n")}`)),
      15_000,
    );
    const probes = setInterval(() => {
      kiosk.runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 }, "page");
    }, 20);
    let measured = 0;
    const off = kiosk.runner.observe({ frame: (f) => void (f.currentUa > 20 && reached.resolve()) });
    try {
      await reached.promise;
      // The simulated Glow itself reports the current it delivers (its telemetry through the driver).
      for (let i = 0; i < 200 && measured <= 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
        const health = await (await fetch(`${kiosk.url}api/health`)).json();
        measured = health.device.measuredUa ?? 0;
        assert.is(health.device.driver, "acme.glow");
        assert.is(health.demoAllowed, true, "a simulated device");
      }
    } finally {
      clearTimeout(guard);
      clearInterval(probes);
      off();
    }
    assert.ok(measured > 0, `the simulated Glow measured ${measured} µA`);
    assert.equal(await modeOf(kiosk.url), { demo: false, simulated: true });
  }));

test("DEVICE=simulated:glidepath.sim-text: a first-party plugin's simulated device (trusted, in-process) connects", () =>
  withKioskOn({
    device: "simulated:glidepath.sim-text",
    demo: false,
  }, async ({ kiosk, lines }) => {
    let health = { device: { state: "", driver: "" }, demoAllowed: false };
    // Until the driver's hello and limits went through (a guard of 10 s, not a timing check).
    for (let i = 0; i < 500 && health.device.state !== "connected"; i++) {
      await new Promise((r) => setTimeout(r, 20));
      health = await (await fetch(`${kiosk.url}api/health`)).json();
    }
    assert.is(health.device.state, "connected", lines.join("\n"));
    assert.is(health.device.driver, "glidepath.sim-text");
    assert.is(health.demoAllowed, true);
  }));

test("DEVICE=simulated:<id> refuses the start, naming what to do, for a plugin not approved or not installed", async () => {
  const unapproved = await refusal(startTestKiosk({
    device: "simulated:acme.glow",
    dataDir: await Deno.makeTempDir({ prefix: "gp-dev-" }),
    pluginDir: await glowFolder(false),
  }));
  assert.match(
    unapproved.message,
    /^Cannot start kiosk: DEVICE=simulated:acme\.glow: plugin "acme\.glow" is/,
  );
  assert.match(unapproved.message, /deno task plugin enable acme\.glow$/);
  const missing = await refusal(startTestKiosk({
    device: "simulated:acme.nothing",
    dataDir: await Deno.makeTempDir({ prefix: "gp-dev-" }),
  }));
  assert.is(
    missing.message,
    'Cannot start kiosk: DEVICE=simulated:acme.nothing: no plugin "acme.nothing" is installed (deno task plugin add <folder>)',
  );
});

test("DEVICE=simulated: the simulated SIM-1 with the demo, and the hello says so", () =>
  withKioskOn({
    device: "simulated",
  }, async ({ kiosk, lines }) => {
    assert.ok(
      lines.some((l) => l.startsWith("device: simulated (hardware not requested)")),
      lines.join("\n"),
    );
    assert.ok(kiosk.demo, "the demo runs");
    assert.equal(await modeOf(kiosk.url), { demo: true, simulated: true });
  }));

test("DEVICE=hardware without a device: no demo even when asked, output 0 while it waits, the hello says so", () =>
  withKioskOn({
    device: "hardware",
    demo: true,
    usb: { getDevices: () => Promise.resolve([]) },
  }, async ({ kiosk, lines }) => {
    assert.ok(
      lines.some((l) => /DEVICE=hardware: no supported device is plugged in/.test(l)),
      lines.join("\n"),
    );
    assert.ok(lines.some((l) => l.startsWith("demo: refused")), lines.join("\n"));
    assert.is(kiosk.demo, undefined);
    const health = await (await fetch(`${kiosk.url}api/health`)).json();
    assert.is(health.demoAllowed, false);
    assert.is(health.engine.currentUa, 0);
    assert.equal(await modeOf(kiosk.url), { demo: false, simulated: false });
  }));

test("DEVICE=hardware on a machine where USB cannot be used refuses the start, never falling back to a simulation", async () => {
  const error = await refusal(chooseDevice({
    setting: parseDeviceSetting("hardware"),
    plugins: null,
    openUsb: () => Promise.reject(new DeviceUnavailableError("No USB subsystem on this machine")),
    log: () => {},
  }));
  assert.is(error.message, "Cannot start kiosk: DEVICE=hardware, but No USB subsystem on this machine");
});

const root = new URL("../../", import.meta.url).pathname;

/** `deno run kiosk/main.ts` with env; ended (SIGTERM) once `until(stdout so far)` resolves true, else it must exit. */
async function mainWith(env: Record<string, string>, until?: (out: string) => Promise<boolean>) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "kiosk/main.ts"],
    cwd: root,
    env: { NO_COLOR: "1", PORT: "0", KIOSK_NICE: "0", OPERATOR_PIN: "2468", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let done = false;
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000); // a guard against hanging, not a timing check
  const poll = setInterval(async () => {
    if (!until || done) return;
    if (await until(out).catch(() => false) && !done) {
      done = true;
      child.kill("SIGTERM");
    }
  }, 100);
  const stderr = new Response(child.stderr).text();
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) out += chunk;
  const { code } = await child.status;
  clearTimeout(guard);
  clearInterval(poll);
  return { code, out, err: (await stderr).trim() };
}

test("from the environment: DEVICE=simulated:acme.glow runs the demo session on the Glow's simulated device", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "gp-dev-" });
  let measured = 0;
  const run = await mainWith(
    {
      DEVICE: "simulated:acme.glow",
      PLUGIN_DIR: await glowFolder(true),
      DATA_DIR: dataDir,
      DEMO_AUTOSTART: "1",
    },
    async (out) => {
      const url = out.match(/listening on (http:\S+)/)?.[1];
      if (!url) return false;
      // Until the Glow reports current: the autostarted demo routine on the virtual probe.
      measured = (await (await fetch(`${url}api/health`)).json()).device.measuredUa ?? 0;
      return measured > 0;
    },
  );
  assert.match(run.out, /device: simulated .* of plugin acme\.glow, driven by plugin acme\.glow/, run.err);
  assert.match(run.out, /\(demo mode\)/);
  assert.ok(measured > 0, `the simulated Glow delivered current\n${run.out}\n${run.err}`);
  assert.is(run.code, 0, run.err);
});

test("from the environment: a plugin not approved, or the replaced DEMO, stops the start with one line, exit 2", async () => {
  const [unapproved, demo] = await Promise.all([
    mainWith({
      DEVICE: "simulated:acme.glow",
      PLUGIN_DIR: await glowFolder(false),
      DATA_DIR: await Deno.makeTempDir({ prefix: "gp-dev-" }),
    }),
    mainWith({ DEMO: "1", DATA_DIR: await Deno.makeTempDir({ prefix: "gp-dev-" }) }),
  ]);
  assert.is(unapproved.code, 2, unapproved.err);
  assert.match(
    unapproved.err,
    /^Cannot start kiosk: DEVICE=simulated:acme\.glow: plugin "acme\.glow" is [^\n]*$/,
  );
  assert.not.match(unapproved.out, /page bundled/, "refused before the page is bundled");
  assert.is(demo.code, 2);
  assert.is(
    demo.err,
    'Cannot start kiosk: DEMO was replaced by DEVICE=auto|simulated|hardware|simulated:<plugin-id> (docs/kiosk.md), got "1"',
  );
});

test("a bad device option is refused before the port is bound", async () => {
  const error = await startKiosk({ port: 0, device: "demo" as "auto", log: () => {} }).then(
    () => null,
    (e: Error) => e,
  );
  assert.instance(error, TypeError);
  assert.is(
    error!.message,
    'Cannot start kiosk: device must be auto, simulated, hardware or simulated:<plugin-id>, got "demo"',
  );
});

test.run();
