/**
 * The dashboard's pure parts: password verifiers, sessions that expire, the sign-in rate limit, its settings, the
 * approval form's checks, and the bounded station status a kiosk reports (property-tested: any sink status).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  createRateLimit,
  createSessions,
  hashPassword,
  isOnline,
  readDashboardConfig,
  validateApproval,
  validateRevoke,
  verifyPassword,
} from "../../kiosk/central/dashboard/mod.ts";
import { describeStation, readStationStatus, STATUS_MAX_BYTES } from "../../kiosk/central/station_status.ts";

test("a password verifier is salted PBKDF2-SHA-256 with the iterations in it, and checks only its password", async () => {
  const a = await hashPassword("correct horse battery", 100_000);
  const b = await hashPassword("correct horse battery", 100_000);
  assert.match(a, /^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.is.not(a, b, "a salt per verifier");
  assert.ok(await verifyPassword("correct horse battery", a));
  assert.not.ok(await verifyPassword("correct horse batterx", a));
  assert.not.ok(await verifyPassword("correct horse battery", null), "no account");
  assert.not.ok(
    await verifyPassword("correct horse battery", a.replace("100000", "1000")),
    "too few iterations",
  );
  assert.not.ok(await verifyPassword("correct horse battery", "pbkdf2-sha256$100000$!!$!!"));
  assert.match((await hashPassword("x".repeat(12))).split("$")[1]!, /^600000$/, "the default count");
  await hashPassword("too short").then(
    () => assert.unreachable(),
    (e) => assert.match(e.message, /at least 12/),
  );
});

test("a session ends after 30 idle minutes or 12 hours, and each has its own CSRF token", () => {
  let t = 0;
  const sessions = createSessions({ now: () => t });
  const { token, session } = sessions.open("dana", "downtown");
  const other = sessions.open("dana", "downtown");
  assert.is.not(session.csrf, other.session.csrf);
  assert.ok(sessions.csrfOk(session, session.csrf));
  assert.not.ok(sessions.csrfOk(session, other.session.csrf));
  assert.not.ok(sessions.csrfOk(session, undefined));
  t = 29 * 60_000;
  assert.is(sessions.get(token)?.login, "dana", "used within the idle time");
  for (let i = 0; i < 24; i++) {
    t += 29 * 60_000;
    if (t >= 12 * 3_600_000) break;
    assert.ok(sessions.get(token), `kept alive at ${t}`);
  }
  t = 12 * 3_600_000;
  assert.is(sessions.get(token), null, "12 hours at most");
  t = 0;
  const s2 = createSessions({ now: () => t });
  const k = s2.open("uma", "uptown").token;
  t = 30 * 60_000;
  assert.is(s2.get(k), null, "30 idle minutes");
  const k2 = s2.open("uma", "uptown").token;
  t += 20 * 60_000;
  assert.ok(s2.get(k2, false), "a background poll reads the session...");
  t += 20 * 60_000;
  assert.is(s2.get(k2), null, "...without keeping it alive");
  assert.is(s2.get("forged"), null);
  const s3 = createSessions({ now: () => t });
  const [x, y] = [s3.open("a1", null).token, s3.open("b1", null).token];
  s3.closeLogin("a1");
  assert.equal([s3.get(x), s3.get(y)?.login], [null, "b1"]);
});

test("the rate limit refuses the (max+1)th attempt within the window and allows it after", () => {
  let t = 0;
  const limit = createRateLimit({ max: 3, windowMs: 60_000, now: () => t });
  for (let i = 0; i < 3; i++) {
    assert.is(limit.retryAfterMs("dana"), 0);
    limit.hit("dana");
    t += 1000;
  }
  assert.is(limit.retryAfterMs("dana"), 57_000, "until the first attempt leaves the window");
  assert.is(limit.retryAfterMs("uma"), 0, "per key");
  t = 60_000;
  assert.is(limit.retryAfterMs("dana"), 0);
  limit.hit("dana");
  limit.hit("dana");
  limit.clear("dana");
  assert.is(limit.retryAfterMs("dana"), 0, "a success clears it");
});

test("a held key is not forgotten when other keys fill the table (flooding with other logins frees nothing)", () => {
  let t = 0;
  const limit = createRateLimit({ max: 2, windowMs: 60_000, keys: 3, now: () => t });
  limit.hit("dora");
  limit.hit("dora");
  for (const key of ["a", "b", "c", "d", "e", "f"]) {
    t += 1;
    limit.hit(key);
  }
  assert.ok(limit.retryAfterMs("dora") > 0, "dora is still held after six other keys");
  // The bound on memory still holds: a table of held keys only drops its oldest.
  for (const key of ["p", "q", "r", "s"]) for (let i = 0; i < 2; i++) limit.hit(key);
  assert.is(limit.retryAfterMs("dora"), 0, "every key held: the oldest goes");
  assert.ok(limit.retryAfterMs("s") > 0);
});

test("the dashboard's settings are checked in one place, naming the variable and the value", () => {
  const url = "postgres://gp_dashboard:s3cret@127.0.0.1:5432/glidepath";
  const ok = readDashboardConfig({ DASHBOARD_DATABASE_URL: url });
  assert.equal([ok.hostname, ok.port, ok.publicOrigin, ok.trustProxy, ok.database.sslmode], [
    "127.0.0.1",
    8090,
    null,
    false,
    "disable",
  ]);
  const fails = (env: Record<string, string>, re: RegExp) => {
    try {
      readDashboardConfig({ DASHBOARD_DATABASE_URL: url, ...env });
      assert.unreachable(JSON.stringify(env));
    } catch (e) {
      assert.match((e as Error).message, re);
      assert.not.match((e as Error).message, /s3cret/);
    }
  };
  fails({ PORT: "80x" }, /^Cannot start dashboard: PORT must be an integer 0\.\.65535, got "80x"$/);
  fails({ DASHBOARD_DATABASE_URL: "" }, /set DASHBOARD_DATABASE_URL/);
  fails(
    { DASHBOARD_DATABASE_URL: "postgres://gp_dashboard:s3cret@db.example/glidepath?sslmode=disable" },
    /sslmode=disable only for a server on this machine/,
  );
  fails({ HOST: "0.0.0.0" }, /off this machine: serve it behind https/);
  fails({ HOST: "0.0.0.0", DASHBOARD_PUBLIC_URL: "http://staff.example" }, /behind https/);
  fails({ DASHBOARD_PUBLIC_URL: "https://staff.example/path" }, /must be an origin/);
  fails({ DASHBOARD_TRUST_PROXY: "yes" }, /DASHBOARD_TRUST_PROXY must be 1 or 0, got "yes"/);
  const remote = readDashboardConfig({
    DASHBOARD_DATABASE_URL: "postgres://gp_dashboard:s3cret@db.example/glidepath",
    HOST: "0.0.0.0",
    DASHBOARD_PUBLIC_URL: "https://staff.example",
  });
  assert.equal([remote.database.sslmode, remote.publicOrigin], ["verify-full", "https://staff.example"]);
});

test("an approval is checked with the manifest's rules and names the bad field", () => {
  const good = {
    scope: "chain",
    id: "acme.pulse",
    version: "1.2.0",
    filesHash: "sha256:" + "AB".repeat(32),
    permissions: {},
  };
  assert.equal(validateApproval(good), {
    salon: null,
    id: "acme.pulse",
    version: "1.2.0",
    permissions: {},
    filesHash: "ab".repeat(32),
  });
  assert.is(validateApproval({ ...good, scope: "downtown" }).salon, "downtown");
  const fails = (patch: Record<string, unknown>, re: RegExp) =>
    assert.throws(() => validateApproval({ ...good, ...patch }), re);
  fails({ id: "Pulse" }, /"id" must be lowercase and dotted/);
  fails({ version: "1.2" }, /"version" must be semver, got "1.2"/);
  fails({ filesHash: "abc" }, /"filesHash" must be the plugin's files hash/);
  fails({ permissions: "{}" }, /"permissions" must be a JSON object/);
  fails({ permissions: { ffi: ["x"] } }, /"permissions.ffi" is not allowed/);
  fails(
    { permissions: { read: ["../etc"] } },
    /"permissions.read\[0\]" must be a path inside the plugin folder/,
  );
  fails({ scope: "Uptown!" }, /"scope" must be "chain" or a salon id, got "Uptown!"/);
  fails({ extra: 1 }, /"extra" is not a known field/);
  assert.equal(validateRevoke({ scope: "chain", id: "acme.pulse" }), { salon: null, id: "acme.pulse" });
  assert.throws(() => validateRevoke({ scope: "chain", id: "x" }), /"id" must be lowercase and dotted/);
});

test("online means a contact within twice the heartbeat (the station's own, else 10 s)", () => {
  assert.ok(isOnline(20_000, null));
  assert.not.ok(isOnline(20_001, null));
  assert.ok(isOnline(100_000, 60_000));
  assert.not.ok(isOnline(null, 60_000), "never contacted");
});

test("a station's status is built from the device host's report: kind, connection, latched fault", () => {
  const host = {
    kind: "device-host",
    driver: "glidepath.sim-binary",
    state: "fault",
    model: "SIM-1",
    latchedFault: "telemetry missing for 250 ms",
    lastFault: { reason: "telemetry missing for 250 ms", atMs: 5 },
  };
  const s = describeStation({
    state: "stopped",
    limit: "device-fault",
    device: host,
    store: { state: "ok" },
    outbox: { pending: 3, lagMs: 1200, parked: 0 },
    heartbeatMs: 10_000,
  });
  assert.equal(s, {
    state: "stopped",
    limit: "device-fault",
    latched: "device-fault",
    device: {
      kind: "device-host",
      connected: false,
      state: "fault",
      model: "SIM-1",
      fault: "telemetry missing for 250 ms",
      faultLatched: true,
    },
    store: "ok",
    outbox: { pending: 3, lagMs: 1200, parked: 0 },
    heartbeatMs: 10_000,
  });
  assert.equal(readStationStatus(JSON.parse(JSON.stringify(s))), s, "reads back unchanged");
  const estop = describeStation({ ...baseParts, limit: "estop", device: { kind: "none", connected: false } });
  assert.equal([estop.latched, estop.device.connected, estop.device.faultLatched], ["estop", false, null]);
  // An old station's status ({state, limit, store: {state}}) and an empty one read as what they say.
  const old = readStationStatus({ state: "idle", limit: "idle", store: { state: "ok" } });
  assert.equal([old.state, old.store, old.device.kind, old.outbox, old.heartbeatMs], [
    "idle",
    "ok",
    null,
    null,
    null,
  ]);
  assert.is(readStationStatus({}).state, null);
});

const baseParts = {
  state: "idle",
  limit: "idle",
  device: {},
  store: { state: "ok" },
  outbox: null,
  heartbeatMs: 10_000,
};

test("whatever a sink reports, the status stays under its byte bound; any stored JSON reads without throwing", () => {
  fc.assert(
    fc.property(
      fc.dictionary(fc.string(), fc.jsonValue()),
      fc.string({ unit: "binary", maxLength: 500 }),
      (device, text) => {
        const s = describeStation({
          ...baseParts,
          state: text,
          limit: text,
          device: { ...device, kind: text, model: text, state: text, latchedFault: text },
          store: { state: text },
        });
        assert.ok(new TextEncoder().encode(JSON.stringify(s)).length <= STATUS_MAX_BYTES);
      },
    ),
    { numRuns: 300 },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.jsonValue(),
        fc.record({ device: fc.dictionary(fc.string(), fc.string({ unit: "binary" })) }),
      ),
      (raw) => {
        const s = readStationStatus(raw);
        assert.ok(new TextEncoder().encode(JSON.stringify(s)).length <= STATUS_MAX_BYTES);
      },
    ),
    { numRuns: 500 },
  );
});

test.run();
