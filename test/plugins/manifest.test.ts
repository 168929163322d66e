/** plugin.json validation: defaults filled, every error names its field, apiVersion compatibility. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertApiCompatible, IncompatiblePluginError, validateManifest } from "../../core/manifest/mod.ts";

const driver = {
  id: "acme.pulse",
  name: "Acme Pulse",
  version: "1.2.0",
  apiVersion: "^1.0.0",
  kinds: ["device-driver"],
  entry: "mod.ts",
  usb: { filters: [{ vendorId: "0x1209", productId: 4660 }] },
  limits: { maxCurrentUa: 400 },
};

test("a minimal driver manifest gets every default filled and is a new object", () => {
  const input = structuredClone(driver);
  const m = validateManifest(input);
  assert.is.not(m as unknown, input);
  assert.equal(input, driver, "input untouched");
  assert.is(m.entry, "./mod.ts");
  assert.equal(m.usb.filters, [{ vendorId: 0x1209, productId: 4660 }]);
  assert.equal(m.permissions, {});
  assert.equal(m.capabilities, { netDc: false, contactSensing: true, telemetryHz: 20 });
  assert.equal(m.limits, { maxCurrentUa: 400, maxSlewUaPerS: 100 });
  assert.is(m.routines, null);
  assert.is(m.simulator, null);
});

test("validating a validated manifest gives the same manifest", () => {
  const once = validateManifest(driver);
  assert.equal(validateManifest(once), once);
  const routine = validateManifest({
    id: "acme.r",
    name: "R",
    version: "1.0.0",
    apiVersion: "^1",
    kinds: ["routine"],
    entry: "r.json",
  });
  assert.equal(validateManifest(routine), routine);
});

test("a routine-only plugin uses its JSON entry as the routines file and needs no usb", () => {
  const m = validateManifest({
    id: "acme.lift",
    name: "Lift",
    version: "0.1.0",
    apiVersion: "1.x",
    kinds: ["routine"],
    entry: "routines.json",
  });
  assert.is(m.routines, "./routines.json");
  assert.equal(m.usb.filters, []);
  assert.is(m.limits.maxCurrentUa, 500);
});

const cases: [string, Record<string, unknown>, RegExp][] = [
  ["version", { version: "1.x" }, /^plugin\.json: "version" must be semver, got "1\.x"$/],
  ["id", { id: "Acme Pulse" }, /"id" must be lowercase and dotted/],
  ["apiVersion", { apiVersion: "one" }, /"apiVersion" must be a semver range, got "one"/],
  ["kinds", { kinds: [] }, /"kinds" must be a non-empty array/],
  ["kinds[0]", { kinds: ["camera"] }, /"kinds\[0\]" must be one of/],
  ["entry", { entry: "../../etc/passwd.ts" }, /"entry" must be a path inside the plugin folder/],
  ["entry url", { entry: "https://evil.example/x.ts" }, /"entry" must be a path inside the plugin folder/],
  ["permissions.run", { permissions: { run: ["sh"] } }, /"permissions\.run" is not allowed/],
  [
    "permissions.read[0]",
    { permissions: { read: ["/etc"] } },
    /"permissions\.read\[0\]" must be a path inside/,
  ],
  [
    "permissions.write[0]",
    { permissions: { write: ["."] } },
    /"permissions\.write\[0\]" must be a subfolder of the plugin folder, not the folder itself/,
  ],
  ["permissions.write[0] ./", { permissions: { write: ["./"] } }, /must be a subfolder/],
  ["permissions.net[0]", { permissions: { net: ["a b"] } }, /"permissions\.net\[0\]" must be host\[:port\]/],
  ["usb.filters", { usb: { filters: [] } }, /"usb\.filters" must be a non-empty array/],
  [
    "usb.filters[0].vendorId",
    { usb: { filters: [{ vendorId: 70000 }] } },
    /"usb\.filters\[0\]\.vendorId" must be an integer/,
  ],
  [
    "limits.maxCurrentUa",
    { limits: { maxCurrentUa: 900 } },
    /"limits\.maxCurrentUa" must be a number in \(0, 500\] µA, got 900/,
  ],
  [
    "capabilities.telemetryHz",
    { capabilities: { telemetryHz: 5 } },
    /"capabilities\.telemetryHz" must be a number 20\.\.1000/,
  ],
  ["unknown", { colour: "red" }, /"colour" is not a known field/],
  ["routines", { kinds: ["device-driver", "routine"] }, /"routines" must name the routines JSON file/],
];

test("each invalid field throws a TypeError naming that field", () => {
  for (const [label, patch, message] of cases) {
    const err = (() => {
      try {
        validateManifest({ ...driver, ...patch }, { where: "plugin.json" });
      } catch (e) {
        return e;
      }
    })();
    assert.instance(err, TypeError, label);
    assert.match((err as Error).message, message, label);
  }
});

test("a driver without limits or filters is refused; non-objects are refused", () => {
  const { limits: _l, ...noLimits } = driver;
  assert.throws(() => validateManifest(noLimits), /"limits" must declare maxCurrentUa/);
  const { usb: _u, ...noUsb } = driver;
  assert.throws(() => validateManifest(noUsb), /"usb" must be an object with filters/);
  assert.throws(() => validateManifest([]), /must be a JSON object/);
  assert.throws(
    () => validateManifest(null, { where: "x/plugin.json" }),
    /^x\/plugin\.json: must be a JSON object/,
  );
});

test("apiVersion outside the SDK version is refused with both versions named", () => {
  const m = validateManifest({ ...driver, apiVersion: "^2.0.0" });
  try {
    assertApiCompatible(m, "1.0.0");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, IncompatiblePluginError);
    assert.is(
      (e as Error).message,
      'Cannot load plugin "acme.pulse": it needs SDK API "^2.0.0", this kiosk provides 1.0.0',
    );
  }
  assertApiCompatible(validateManifest(driver), "1.4.2");
});

test.run();
