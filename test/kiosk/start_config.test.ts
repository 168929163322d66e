import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseDeviceSetting, readKioskConfig, readPluginToolConfig } from "../../kiosk/config.ts";
import {
  parseProcessTable,
  type ProcessProbe,
  type ProcessRow,
  watchedAncestors,
  watchParents,
} from "../../kiosk/_parent_watch.ts";

test("no settings: the documented defaults", () => {
  assert.equal(readKioskConfig({}), {
    hostname: "127.0.0.1",
    port: 8000,
    dataDir: "./data",
    pluginDir: "data/plugins",
    device: "auto",
    demoAutostart: false,
    operatorPin: undefined,
    nice: -10,
    minifyUi: true,
    pluginCallTimeoutMs: 1000,
    sourceMap: false,
    station: "home",
    central: null,
  });
});

// [variable, value, the config field it sets, what it reads as]: every setting there is.
const SETTINGS: [string, string, string, unknown][] = [
  ["PORT", "0", "port", 0],
  ["HOST", "::1", "hostname", "::1"],
  ["DATA_DIR", "data/k2", "dataDir", "data/k2"],
  ["PLUGIN_DIR", "/opt/glidepath plugins", "pluginDir", "/opt/glidepath plugins"],
  ["DEVICE", "simulated:acme.glow", "device", "simulated:acme.glow"],
  ["DEMO_AUTOSTART", "on", "demoAutostart", true],
  ["OPERATOR_PIN", "0042", "operatorPin", "0042"],
  ["KIOSK_NICE", "19", "nice", 19],
  ["GLIDEPATH_NO_MINIFY", "1", "minifyUi", false],
  ["PLUGIN_CALL_TIMEOUT_MS", "2500", "pluginCallTimeoutMs", 2500],
  ["SOURCE_MAP", "1", "sourceMap", true],
  ["STATION", "salon", "station", "salon"],
];

test("every setting is read, and an empty one counts as unset", () => {
  const config = readKioskConfig(Object.fromEntries(SETTINGS.map(([name, value]) => [name, value])));
  assert.equal(config, {
    ...Object.fromEntries(SETTINGS.map(([, , field, read]) => [field, read])),
    central: null,
  });
  assert.is(readKioskConfig({ PORT: "", KIOSK_NICE: "", HOST: "" }).port, 8000);
  assert.is(readKioskConfig({ KIOSK_NICE: "-20" }).nice, -20);
  assert.is(readKioskConfig({ PORT: "65535" }).port, 65535);
  assert.is(readKioskConfig({ HOST: "kiosk-1.local" }).hostname, "kiosk-1.local");
});

// [variable, bad value, the whole message, error class]
type Bad = [string, string, string, typeof TypeError | typeof RangeError];

/** Rows for `name`: each value is refused with "`name` `rule`, got <the value as JSON>" and its error class. */
const refused = (name: string, rule: string, values: [string, Bad[3]][]): Bad[] =>
  values.map(([v, kind]) => [name, v, `${name} ${rule}, got ${JSON.stringify(v)}`, kind]);

const DEVICES_REFUSED = [
  "demo",
  "Auto",
  "SIMULATED",
  "simulated:",
  "simulated:glow",
  "simulated:Acme.Glow",
  "hardware:1",
  "usb",
];
const REPLACED = "was replaced by DEVICE=auto|simulated|hardware|simulated:<plugin-id> (docs/kiosk.md)";
const BAD: Bad[] = [
  ...refused("PORT", "must be an integer 0..65535", [
    ["abc", TypeError],
    ["65536", RangeError],
    ["-1", RangeError],
    ["80.5", TypeError],
    ["0x50", TypeError],
    [" 80", TypeError],
  ]),
  ...refused("KIOSK_NICE", "must be an integer -20..19", [
    ["x", TypeError],
    ["-21", RangeError],
    ["20", RangeError],
    ["1e1", TypeError],
  ]),
  ...refused("PLUGIN_CALL_TIMEOUT_MS", "must be an integer 20..10000", [
    ["19", RangeError],
    ["1s", TypeError],
  ]),
  ...refused("HOST", "must be an IP address or host name", [
    ["http://127.0.0.1", TypeError],
    ["127.0.0.1:8000", TypeError],
    ["kiosk box", TypeError],
  ]),
  ...refused("DATA_DIR", "must be a folder path", [["data\0x", TypeError]]),
  ...refused("PLUGIN_DIR", "must be a folder path", [["p\0", TypeError]]),
  ...refused(
    "DEVICE",
    "must be auto, simulated, hardware or simulated:<plugin-id>",
    DEVICES_REFUSED.map((v) => [v, TypeError]),
  ),
  // Replaced settings are refused by name, not ignored: an old start script must not run a different device.
  ...["1", "0"].flatMap((v) =>
    ["DEMO", "PREFER_HARDWARE"].map((name): Bad => [name, v, `${name} ${REPLACED}, got "${v}"`, TypeError])
  ),
  ["DEMO_AUTOSTART", "y", 'DEMO_AUTOSTART must be 1 or 0, got "y"', TypeError],
  ["STATION", "Salon", 'STATION must be home or salon, got "Salon"', TypeError],
  ["STATION", "shop", 'STATION must be home or salon, got "shop"', TypeError],
  ["GLIDEPATH_NO_MINIFY", "please", 'GLIDEPATH_NO_MINIFY must be 1 or 0, got "please"', TypeError],
  // The PIN is a secret even when mistyped: its length is named, never its digits.
  ["OPERATOR_PIN", "123", "OPERATOR_PIN must be 4 to 12 digits, got 3 characters", TypeError],
  ["OPERATOR_PIN", "1234567890123", "OPERATOR_PIN must be 4 to 12 digits, got 13 characters", TypeError],
  ["OPERATOR_PIN", "12a4", "OPERATOR_PIN must be 4 to 12 digits, got 4 characters", TypeError],
];

for (const [name, value, message, kind] of BAD) {
  test(`${name}=${JSON.stringify(value)} is refused with a message naming the variable and the value`, () => {
    let caught: unknown;
    try {
      readKioskConfig({ [name]: value });
    } catch (error) {
      caught = error;
    }
    assert.instance(caught, kind);
    assert.is((caught as Error).message, `Cannot start kiosk: ${message}`);
  });
}

test("a bad setting is found whatever the other settings are: each is checked, none skipped", () => {
  for (const [name, value] of BAD) {
    assert.throws(() =>
      readKioskConfig({ PORT: "0", DEVICE: "simulated", DATA_DIR: "data/x", [name]: value })
    );
  }
});

// [DEVICE, what the kiosk looks for]
const DEVICES: [string, ReturnType<typeof parseDeviceSetting>][] = [
  ["auto", { kind: "auto" }],
  ["simulated", { kind: "simulated", pluginId: null }],
  ["hardware", { kind: "hardware" }],
  ["simulated:acme.glow", { kind: "simulated", pluginId: "acme.glow" }],
  ["simulated:glidepath.sim-text", { kind: "simulated", pluginId: "glidepath.sim-text" }],
];

for (const [value, setting] of DEVICES) {
  test(`DEVICE=${value} is read as is and means ${JSON.stringify(setting)}`, () => {
    assert.is(readKioskConfig({ DEVICE: value }).device, value);
    assert.equal(parseDeviceSetting(value), setting);
  });
}

test("DEVICE unset or empty is auto; an empty DEMO or PREFER_HARDWARE counts as unset", () => {
  assert.is(readKioskConfig({ DEVICE: "" }).device, "auto");
  assert.is(readKioskConfig({ DEMO: "", PREFER_HARDWARE: "" }).device, "auto");
});

test("PLUGIN_DIR has one default, <DATA_DIR>/plugins, for the kiosk and the plugin tool alike", () => {
  for (const env of [{}, { DATA_DIR: "/srv/kiosk" }, { DATA_DIR: "/srv/kiosk", PLUGIN_DIR: "/opt/p" }]) {
    assert.is(readPluginToolConfig(env).pluginDir, readKioskConfig(env).pluginDir, JSON.stringify(env));
  }
  assert.is(readKioskConfig({ DATA_DIR: "/srv/kiosk" }).pluginDir, "/srv/kiosk/plugins");
});

test("the plugin tool checks PLUGIN_CALL_TIMEOUT_MS like the kiosk: a number in range, or a message naming it", () => {
  assert.is(readPluginToolConfig({}).checkCallTimeoutMs, 200);
  assert.is(readPluginToolConfig({ PLUGIN_CALL_TIMEOUT_MS: "3000" }).checkCallTimeoutMs, 3000);
  for (const [value, kind] of [["abc", TypeError], ["19", RangeError], ["1e3", TypeError]] as const) {
    assert.throws(
      () => readPluginToolConfig({ PLUGIN_CALL_TIMEOUT_MS: value }),
      (e: Error) =>
        e instanceof kind &&
        e.message ===
          `Cannot run plugin command: PLUGIN_CALL_TIMEOUT_MS must be an integer 20..10000, got "${value}"`,
    );
  }
  assert.throws(() => readPluginToolConfig({ PLUGIN_DIR: "p\0" }), /PLUGIN_DIR must be a folder path/);
});

const table = (rows: [number, number, number][]): Map<number, ProcessRow> =>
  new Map(rows.map(([pid, ppid, pgid]) => [pid, { ppid, pgid }]));

// The README's command from a shell: bash (100) → npm exec (200, the job's group leader) → sh → deno task → kiosk.
const NPX_TREE = table([[1, 0, 1], [100, 1, 100], [200, 100, 200], [210, 200, 200], [220, 210, 200], [
  230,
  220,
  200,
]]);

test("the watch follows the start command up to its process group leader, not the shell above it", () => {
  assert.equal(watchedAncestors(230, NPX_TREE), [220, 210, 200]);
  // A kiosk that leads its own group (systemd, setsid): its parent only.
  assert.equal(watchedAncestors(230, table([[100, 1, 100], [230, 100, 230]])), [100]);
  // Started by pid 1 itself: nothing to watch.
  assert.equal(watchedAncestors(230, table([[1, 0, 1], [230, 1, 230]])), []);
});

test("ps output is parsed into the process table", () => {
  const parsed = parseProcessTable("    1     0     1\n  230   220   200\nbad line\n");
  assert.equal([...parsed], [[1, { ppid: 0, pgid: 1 }], [230, { ppid: 220, pgid: 200 }]]);
});

function fakeProbe(): ProcessProbe & { dead: Set<number>; parent: number } {
  const probe = {
    pid: 230,
    parent: 220,
    dead: new Set<number>(),
    ppid: () => probe.parent,
    alive: (pid: number) => !probe.dead.has(pid),
    table: () => Promise.resolve(NPX_TREE),
  };
  return probe;
}

test("a SIGKILLed npx (an ancestor, not the parent) is noticed once", async () => {
  const probe = fakeProbe();
  const gone: string[] = [];
  const watch = await watchParents((why) => gone.push(why), { probe, intervalMs: 60_000 });
  try {
    watch.check();
    assert.equal(gone, [], "all there: nothing to do");
    probe.dead.add(200);
    watch.check();
    watch.check();
    assert.equal(gone, ["process 200 exited"]);
  } finally {
    watch.stop();
  }
});

test("a parent that exits is noticed by the changed parent pid, even when its pid is taken again", async () => {
  const probe = fakeProbe();
  const gone: string[] = [];
  const watch = await watchParents((why) => gone.push(why), { probe, intervalMs: 60_000 });
  try {
    probe.parent = 1; // reparented to init; pid 220 itself may already belong to a new process
    watch.check();
    assert.equal(gone, ["parent process 220 exited"]);
  } finally {
    watch.stop();
  }
});

test("without a process table the parent alone is watched", async () => {
  const probe = { ...fakeProbe(), table: () => Promise.resolve(null) };
  const watch = await watchParents(() => {}, { probe, intervalMs: 60_000 });
  watch.stop();
  assert.equal(watch.pids, [220]);
});

test.run();
