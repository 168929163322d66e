import { test } from "uvu";
import * as assert from "uvu/assert";
import { createApp } from "../../kiosk/server/mod.ts";
import { createRecorder } from "../../kiosk/session/mod.ts";
import { createNullSink } from "./_null_sink.ts";
import { openStore } from "../../kiosk/store/mod.ts";
import { CHEEK, fakeRunner, runningOnCheek } from "./_fixtures.ts";

function setup() {
  const sink = createNullSink();
  const { runner, clock } = fakeRunner(sink);
  const store = openStore(Deno.makeTempDirSync({ prefix: "gp-http-" }));
  const recorder = createRecorder(store);
  runner.observe(recorder);
  let now = 0;
  const app = createApp({
    runner,
    sink,
    store,
    recorder,
    version: "9.8.7",
    now: () => now,
    routines: [{ id: "free", name: "Free", steps: 0 }],
  });
  runner.start();
  return { app, runner, clock, store, advanceUptime: (ms: number) => (now += ms) };
}

test("health reports version, device status, engine state and uptime", async () => {
  const { app, advanceUptime } = setup();
  advanceUptime(2500);
  const res = await app.request("/api/health");
  assert.is(res.status, 200);
  const body = await res.json();
  assert.is(body.version, "9.8.7");
  assert.equal(body.engine, { state: "idle", currentUa: 0, zone: null, limit: "idle" });
  assert.is(body.device.kind, "none");
  assert.is(body.uptimeS, 2.5);
  assert.type(body.scheduler.p99Ms, "number");
});

test("health follows the engine: running on the cheek, then stopped by estop", async () => {
  const { app, runner, clock } = setup();
  runningOnCheek(runner, clock, 2000);
  let body = await (await app.request("/api/health")).json();
  assert.is(body.engine.state, "running");
  assert.is(body.engine.zone, "cheek-left");
  assert.ok(body.engine.currentUa > 0);
  assert.ok(body.device.framesSent > 0);
  runner.submit({ type: "estop" });
  runner.submit({ type: "probe", points: [CHEEK], confidence: 0.95 });
  clock.advance(20);
  body = await (await app.request("/api/health")).json();
  assert.is(body.engine.currentUa, 0);
  assert.is(body.engine.limit, "estop");
});

test("version defaults to the project's deno.json version in the runtime", async () => {
  const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const { startKiosk } = await import("../../kiosk/mod.ts");
  const kiosk = await startKiosk({
    port: 0,
    buildUi: false,
    demo: false,
    dataDir: Deno.makeTempDirSync(),
    log: () => {},
  });
  try {
    const body = await (await fetch(`${kiosk.url}api/health`)).json();
    assert.is(body.version, denoJson.version);
  } finally {
    await kiosk.shutdown();
  }
});

test("sessions and audit records are not served over HTTP (it has no PIN): the routes point to the staff view", async () => {
  const { app, runner, clock, store } = setup();
  runningOnCheek(runner, clock, 500);
  runner.submit({ type: "estop" });
  const id = store.sessions()[0]!.id;
  for (const path of ["/api/sessions", "/api/sessions?limit=abc", "/api/audit"]) {
    const res = await app.request(path);
    assert.is(res.status, 403, path);
    const body = await res.text();
    assert.not.ok(body.includes(id) || body.includes("estop"), `${path}: no record in ${body}`);
    assert.match(body, /staff view/);
  }
});

test("the page is served and unknown paths are 404, never files from disk", async () => {
  const { app } = setup();
  const page = await app.request("/");
  assert.is(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
  const uv = await app.request("/models/face_uv.json");
  assert.is(uv.status, 200);
  assert.is((await uv.json()).uv.length, 468);
  assert.is((await app.request("/../deno.json")).status, 404);
  assert.is((await app.request("/kiosk/main.ts")).status, 404);
});

test("routines are listed for the page", async () => {
  const { app } = setup();
  assert.equal(await (await app.request("/api/routines")).json(), [{ id: "free", name: "Free", steps: 0 }]);
});

test("prototype names as paths are plain 404s, not server errors", async () => {
  const { app } = setup();
  for (const path of ["/__proto__", "/constructor", "/toString", "/hasOwnProperty"]) {
    const res = await app.request(path);
    assert.is(res.status, 404, path);
  }
});

test("health tells the page whether the demo is allowed (only with a simulated device)", async () => {
  const { app } = setup();
  assert.is((await (await app.request("/api/health")).json()).demoAllowed, false);
  const { runner } = fakeRunner();
  const sim = createApp({ runner, demoAllowed: true });
  assert.is((await (await sim.request("/api/health")).json()).demoAllowed, true);
});

test("the kiosk-origin rule: own loopback origin or a configured host name, Host and Origin the same", async () => {
  const { isKioskOrigin } = await import("../../kiosk/server/mod.ts");
  const names = ["127.0.0.1", "localhost", "[::1]", "kiosk.lan"];
  assert.ok(isKioskOrigin("http://127.0.0.1:8000", "127.0.0.1:8000", names));
  assert.ok(isKioskOrigin("http://localhost:8000", "localhost:8000", names));
  assert.ok(isKioskOrigin("http://[::1]:8000", "[::1]:8000", names));
  assert.ok(isKioskOrigin("http://kiosk.lan:8000", "kiosk.lan:8000", names));
  assert.not.ok(isKioskOrigin("http://evil.example:8000", "evil.example:8000", names));
  assert.not.ok(isKioskOrigin("http://localhost:3000", "localhost:8000", names));
  assert.not.ok(isKioskOrigin("https://localhost:8000", "localhost:8000", names));
  assert.not.ok(isKioskOrigin("null", "localhost:8000", names));
  assert.not.ok(isKioskOrigin(undefined, "localhost:8000", names));
  assert.not.ok(isKioskOrigin("http://localhost:8000", undefined, names));
  assert.not.ok(isKioskOrigin("http://a@localhost:8000", "a@localhost:8000", names));
});

test("a foreign Host header (DNS rebinding) gets 421 naming it; loopback names and the configured host on the kiosk's port are served", async () => {
  const { runner } = fakeRunner();
  const app = createApp({ runner, hostNames: ["Kiosk.lan"] });
  const get = (host: string, path = "/api/routines") =>
    app.request(`http://127.0.0.1:8000${path}`, { headers: { host } });
  for (const host of ["evil.example:8000", "127.0.0.1.evil.example:8000", "localhost:8001", "localhost"]) {
    for (const path of ["/api/routines", "/", "/api/health"]) {
      const res = await get(host, path);
      assert.is(res.status, 421, `${host} ${path}`);
      assert.match((await res.json()).error, /not this kiosk/);
    }
  }
  for (const host of ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "kiosk.lan:8000", "LOCALHOST:8000"]) {
    assert.is((await get(host)).status, 200, host);
  }
});

test("the page is sent with Content-Security-Policy frame-ancestors 'none' (no other site may frame the kiosk)", async () => {
  const { app } = setup();
  for (const path of ["/", "/index.html"]) {
    const res = await app.request(path);
    assert.is(res.status, 200);
    assert.is(res.headers.get("content-security-policy"), "frame-ancestors 'none'", path);
  }
});

test("the page's source map is not served unless sourceMap is on (development)", async () => {
  const uiDir = Deno.makeTempDirSync({ prefix: "gp-ui-" });
  Deno.mkdirSync(`${uiDir}/dist`);
  Deno.writeTextFileSync(`${uiDir}/dist/app.js.map`, '{"version":3}');
  const { runner } = fakeRunner();
  assert.is((await createApp({ runner, uiDir }).request("/app.js.map")).status, 404);
  const dev = await createApp({ runner, uiDir, sourceMap: true }).request("/app.js.map");
  assert.is(dev.status, 200);
  assert.equal(await dev.json(), { version: 3 });
});

test.run();
