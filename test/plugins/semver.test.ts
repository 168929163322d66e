/** Semver parsing, ordering and ranges used for plugin apiVersion checks. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { compareSemVer, parseRange, parseSemVer, satisfies } from "../../core/manifest/mod.ts";

const table: [string, string, boolean][] = [
  ["1.0.0", "^1.0.0", true],
  ["1.9.3", "^1.0.0", true],
  ["2.0.0", "^1.0.0", false],
  ["0.9.0", "^1.0.0", false],
  ["0.2.5", "^0.2.3", true],
  ["0.3.0", "^0.2.3", false],
  ["0.0.4", "^0.0.3", false],
  ["1.2.9", "~1.2.3", true],
  ["1.3.0", "~1.2.3", false],
  ["1.4.0", "1.x", true],
  ["2.0.0", "1.x", false],
  ["1.2.0", "1.2.*", true],
  ["5.0.0", "*", true],
  ["1.5.0", ">=1.0.0 <2.0.0", true],
  ["2.0.0", ">=1.0.0 <2.0.0", false],
  ["3.1.0", "1.x || >=3.0.0", true],
  ["2.1.0", "1.x || >=3.0.0", false],
  ["1.4.0", "1.0.0 - 1.4.0", true],
  ["1.4.1", "1.0.0 - 1.4.0", false],
  ["1.2.3", "1.2.3", true],
  ["1.2.4", "1.2.3", false],
  ["2.0.0-beta.1", "^1.0.0", false],
  ["2.0.0-beta.1", "^1.0.0", false],
  ["1.0.0-rc.1", ">=1.0.0-beta.2 <2.0.0", true],
  ["1.0.1-rc.1", ">=1.0.0-beta.2 <2.0.0", false],
  ["1.3.0", "> 1.2", true],
  ["1.2.9", "> 1.2", false],
  ["1.2.9", "<=1.2", true],
];

test("ranges admit exactly the versions npm would", () => {
  for (const [version, range, expected] of table) {
    assert.is(satisfies(version, range), expected, `${version} in ${range}`);
  }
});

test("prerelease ranks below its release and orders identifiers per semver.org", () => {
  const order = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
  ];
  for (let i = 1; i < order.length; i++) {
    assert.is(
      compareSemVer(parseSemVer(order[i - 1]!)!, parseSemVer(order[i]!)!),
      -1,
      `${order[i - 1]} < ${order[i]}`,
    );
  }
});

test("malformed versions and ranges are rejected", () => {
  for (const bad of ["1.x", "1.2", "01.2.3", "1.2.3-", "v1.2.3", "1.2.3.4", ""]) {
    assert.is(parseSemVer(bad), null, bad);
  }
  assert.throws(() => parseRange("banana"), /Invalid semver range "banana"/);
  assert.throws(() => parseRange(""), /empty/);
});

const versionArb = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)).map(([a, b, c]) => `${a}.${b}.${c}`);

test("caret range admits a version iff it is at or above the base and shares its leftmost non-zero part", () => {
  fc.assert(fc.property(versionArb, versionArb, (base, ver) => {
    const b = parseSemVer(base)!, x = parseSemVer(ver)!;
    const atLeast = compareSemVer(x, b) >= 0;
    const same = b.major > 0
      ? x.major === b.major
      : b.minor > 0
      ? x.major === 0 && x.minor === b.minor
      : x.major === 0 && x.minor === 0 && x.patch === b.patch;
    return satisfies(x, `^${base}`) === (atLeast && same);
  }));
});

test("comparison is a total order consistent with >= and < ranges", () => {
  fc.assert(fc.property(versionArb, versionArb, (a, b) => {
    const pa = parseSemVer(a)!, pb = parseSemVer(b)!;
    const d = compareSemVer(pa, pb);
    return d === -compareSemVer(pb, pa) && satisfies(a, `>=${b}`) === (d >= 0) &&
      satisfies(a, `<${b}`) === (d < 0);
  }));
});

test.run();
