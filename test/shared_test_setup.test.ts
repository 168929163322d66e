/** Test set-up is written once (issue 8): the suites that shared it take kiosks, sinks, stations and oracles from helpers. */
import { test } from "uvu";
import * as assert from "uvu/assert";

/** A file's code with comments stripped. */
const code = async (path: string) =>
  (await Deno.readTextFile(path)).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");

/** Of `files`, those whose code matches `pattern`. */
async function matching(files: string[], pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const f of files) if (pattern.test(await code(f))) found.push(f);
  return found;
}

const PAGE_SUITES = [
  "",
  "_coach",
  "_journey",
  "_language",
  "_layout",
  "_onboarding",
  "_operator",
  "_profiles",
  "_station",
  "_summary",
]
  .map((s) => `test/kiosk/page${s}.test.ts`);

test("the page suites take kiosk, browser and per-case clean-up from pageSuite, not their own hooks", async () => {
  assert.equal(await matching(PAGE_SUITES, /\bopenPageKiosk\(|\btest\.(before|after)\(/), []);
  assert.equal(await matching(PAGE_SUITES, /\bpageSuite\(test, /), PAGE_SUITES);
});

test("the sink that reports skin contact is written once, in test/kiosk/_null_sink.ts", async () => {
  const users = [
    "bench/central_tick.ts",
    "test/central/no_central.test.ts",
    "test/central/three_stations.test.ts",
    "test/kiosk/records_runtime.test.ts",
    "test/kiosk/runtime.test.ts",
  ];
  const contactSink = /subscribe\(listener[^{]*\{\s*queueMicrotask\(/;
  assert.equal(await matching(["test/kiosk/_null_sink.ts", ...users], contactSink), [
    "test/kiosk/_null_sink.ts",
  ]);
});

test("central suites name their stations through startCentralFor, without a cast each", async () => {
  const suites = ["history", "replicator", "rls", "tls"].map((s) => `test/central/${s}.test.ts`);
  assert.equal(await matching(suites, /\(typeof central\.stations\)\[0\]/), []);
  assert.equal(await matching(suites, /\bstartCentralFor\(/), suites);
});

test("the property suites' own point-in-polygon lives only in test/core/_arbitraries.ts", async () => {
  const suites = ["_arbitraries.ts", "envelope_property.test.ts", "exclusions_property.test.ts"];
  assert.equal(await matching(suites.map((s) => `test/core/${s}`), /function inside\(/), [
    "test/core/_arbitraries.ts",
  ]);
});

test.run();
