/** One configuration: the kiosk reads the environment in main.ts alone, and the page learns its mode from the hello alone. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readHello } from "../../kiosk/ui/connection.ts";

const root = new URL("../../", import.meta.url).pathname;

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(`${root}${dir}`)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory && e.name !== "dist") yield* sources(path);
    else if (/\.tsx?$/.test(e.name)) yield path;
  }
}

async function filesWith(dirs: string[], pattern: RegExp): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    for await (const f of sources(dir)) {
      if (pattern.test(await Deno.readTextFile(`${root}${f}`))) found.push(f);
    }
  }
  return found.sort();
}

test("the environment is read only in kiosk/main.ts (and tools/plugin.ts for its own settings)", async () => {
  assert.equal(await filesWith(["kiosk", "core", "plugins", "examples"], /\bDeno\.env\b/), [
    "kiosk/main.ts",
    // Not a setting: where Deno's cache is, handed through unchanged to a plugin's otherwise empty environment.
    "kiosk/plugins/sandbox.ts",
  ]);
  const tool = await Deno.readTextFile(`${root}tools/plugin.ts`);
  assert.equal([...tool.matchAll(/\bDeno\.env\.\w+/g)].map((m) => m[0]), ["Deno.env.toObject"]);
});

test("the page asks /api/health only why output stopped and the device's maximum (gauge scale): its mode comes from the hello", async () => {
  assert.equal(await filesWith(["kiosk/ui"], /fetch\(\s*["'`][^"'`]*\/api\/health/), [
    "kiosk/ui/device_max.ts",
    "kiosk/ui/stop_reason.ts",
  ]);
});

// [hello fields, what the page makes of them]
const HELLOS: [Record<string, unknown>, { demo: boolean; simulated: boolean }][] = [
  [{ demo: true, simulated: true }, { demo: true, simulated: true }],
  [{ demo: false, simulated: true }, { demo: false, simulated: true }],
  [{ demo: false, simulated: false }, { demo: false, simulated: false }],
  // Anything but an explicit true is false: the demo is never a fallback.
  [{}, { demo: false, simulated: false }],
  [{ demo: "yes", simulated: 1 }, { demo: false, simulated: false }],
  [{ demo: true, demoAllowed: true }, { demo: true, simulated: false }],
];

for (const [fields, mode] of HELLOS) {
  test(`a hello with ${JSON.stringify(fields)} puts the page in ${JSON.stringify(mode)}`, () => {
    const hello = readHello({ type: "hello", version: "1.2.3", routines: [], ...fields });
    assert.equal({ demo: hello.demo, simulated: hello.simulated }, mode);
    assert.is(hello.version, "1.2.3");
  });
}

test.run();
