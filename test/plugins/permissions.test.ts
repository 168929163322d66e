/** Approved permissions become exactly the matching --allow-* flags, confined to the plugin folder, and work in the sandbox. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { validateManifest } from "../../core/manifest/mod.ts";
import {
  describePermissions,
  permissionFlags,
  PluginFailedError,
  samePermissions,
  startSandboxedDriver,
} from "../../kiosk/plugins/mod.ts";
import { decodeMessage, encodeMessage } from "../../kiosk/plugins/_wire.ts";

test("nothing approved means no --allow-* flag at all (the sandbox adds only its own module files)", () => {
  assert.equal(permissionFlags({}, "/srv/plugins/acme"), []);
  assert.equal(describePermissions({}), [
    "none (reads only its own code files; no other file, network or environment access)",
  ]);
});

test("approved permissions map to one flag each, paths resolved inside the plugin folder", () => {
  const flags = permissionFlags(
    { read: ["./data", "models"], write: ["./data/out"], net: ["api.acme.example:443"], env: ["ACME_KEY"] },
    "/srv/plugins/acme",
  );
  assert.equal(flags, [
    "--allow-read=/srv/plugins/acme/data,/srv/plugins/acme/models",
    "--allow-write=/srv/plugins/acme/data/out",
    "--allow-net=api.acme.example:443",
    "--allow-env=ACME_KEY",
  ]);
  assert.throws(
    () => permissionFlags({ read: ["../other"] }, "/srv/plugins/acme"),
    /leaves the plugin folder/,
  );
});

test("the plugin's own module files join the read grant; a path with a comma is refused", () => {
  assert.equal(permissionFlags({}, "/srv/p", ["/srv/p/mod.ts", "/srv/p/lib/a.json"]), [
    "--allow-read=/srv/p/mod.ts,/srv/p/lib/a.json",
  ]);
  assert.equal(permissionFlags({ read: ["./data"] }, "/srv/p", ["/srv/p/mod.ts"]), [
    "--allow-read=/srv/p/data,/srv/p/mod.ts",
  ]);
  assert.throws(
    () => permissionFlags({}, "/srv/p", ["/srv/p/a,b.ts"]),
    /"\/srv\/p\/a,b\.ts": the path contains a comma/,
  );
});

test("permission sets compare regardless of order", () => {
  assert.ok(samePermissions({ read: ["a", "b"], net: ["x"] }, { net: ["x"], read: ["b", "a"] }));
  assert.not.ok(samePermissions({ read: ["a"] }, { read: ["a"], env: ["HOME"] }));
});

test("bytes and non-finite numbers survive the wire", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(Infinity, -Infinity, 12.5), (bytes, n) => {
      const back = decodeMessage(encodeMessage({ id: 1, result: { bytes, n, list: [bytes, { n }] } })) as {
        result: { bytes: Uint8Array; n: number; list: [Uint8Array, { n: number }] };
      };
      return back.result.bytes instanceof Uint8Array && back.result.bytes.join() === bytes.join() &&
        back.result.n === n && back.result.list[1].n === n && back.result.list[0].join() === bytes.join();
    }),
  );
});

const manifest = validateManifest({
  id: "test.reader-ok",
  name: "Reader",
  version: "1.0.0",
  apiVersion: "^1.0.0",
  kinds: ["device-driver"],
  entry: "mod.ts",
  permissions: { read: ["./data"] },
  usb: { filters: [{ vendorId: 0x1209, productId: 0x7478 }] },
  limits: { maxCurrentUa: 400 },
});
const entry = new URL("./fixtures/reader_ok/mod.ts", import.meta.url);
// The fixture shares a driver from outside its folder: the host preloads it.
const hostModules = [new URL("./fixtures/bad/_base.ts", import.meta.url)];

test("a plugin reads its own data folder once that read is approved", async () => {
  const driver = await startSandboxedDriver(manifest, entry, {
    permissions: manifest.permissions,
    callTimeoutMs: 3000,
    hostModules,
  });
  const codec = await driver.createCodec();
  assert.ok((await codec.hello()).length > 0);
  assert.is(driver.state, "running");
  await driver.dispose();
});

test("the same plugin is stopped when the read was not approved", async () => {
  const error = await startSandboxedDriver(manifest, entry, { callTimeoutMs: 3000, hostModules }).then(
    () => null,
    (e) => e,
  );
  assert.instance(error, PluginFailedError);
  assert.match(String(error), /NotCapable: Requires read access to "\.\/data\/cal\.txt"/);
});

test.run();
