/** Layering: core/ imports nothing from kiosk/ or plugins/ and uses no Deno, DOM or I/O; plugins use only the SDK. */
import { test } from "uvu";
import * as assert from "uvu/assert";

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* sources(path);
    else if (/\.tsx?$/.test(e.name)) yield path;
  }
}

test("core/ imports nothing from kiosk/ or plugins/", async () => {
  const offenders: string[] = [];
  for await (const f of sources("core")) {
    const text = await Deno.readTextFile(f);
    if (/from\s+["'](\.\.\/)+(kiosk|plugins|tools|test)\//.test(text)) offenders.push(f);
  }
  assert.equal(offenders, []);
});

test("core/ uses no Deno, DOM or I/O globals", async () => {
  const offenders: string[] = [];
  for await (const f of sources("core")) {
    const code = (await Deno.readTextFile(f)).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    if (/\b(Deno\.|document\.|window\.|navigator\.|fetch\(|localStorage|XMLHttpRequest)/.test(code)) offenders.push(f);
    if (/from\s+["']node:(fs|net|http|child_process|sqlite)/.test(code)) offenders.push(f);
  }
  assert.equal(offenders, []);
});

test("every module in core/ starts with a one-line doc comment", async () => {
  const missing: string[] = [];
  for await (const f of sources("core")) {
    if (!(await Deno.readTextFile(f)).startsWith("/** ")) missing.push(f);
  }
  assert.equal(missing, []);
});

test.run();
