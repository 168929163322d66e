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

/** Relative import specifiers of a module, resolved to paths from the project root. */
function relativeImports(file: string, text: string): string[] {
  const base = new URL(`file:///${file}`);
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) =>
    new URL(m[1]!, base).pathname.slice(1)
  );
}

test("core/ imports nothing from kiosk/ or plugins/ (only core/ and models/ data)", async () => {
  const offenders: string[] = [];
  for await (const f of sources("core")) {
    for (const target of relativeImports(f, await Deno.readTextFile(f))) {
      if (!target.startsWith("core/") && !target.startsWith("models/")) offenders.push(`${f} → ${target}`);
    }
  }
  assert.equal(offenders, []);
});

test("the layering check sees an import that leaves core/", () => {
  assert.equal(relativeImports("core/sdk/mod.ts", `import { x } from "../../kiosk/server/app.ts";`), [
    "kiosk/server/app.ts",
  ]);
  assert.equal(relativeImports("core/sdk/mod.ts", `export { y } from "../plugins/mod.ts";`), [
    "core/plugins/mod.ts",
  ]);
});

test("core/ uses no Deno, DOM or I/O globals", async () => {
  const offenders: string[] = [];
  for await (const f of sources("core")) {
    const code = (await Deno.readTextFile(f)).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    if (/\b(Deno\.|document\.|window\.|navigator\.|fetch\(|localStorage|XMLHttpRequest)/.test(code)) {
      offenders.push(f);
    }
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
