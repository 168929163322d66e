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

/** Every module specifier of a module: static import/export … from, bare imports and dynamic import(). */
function specifiers(text: string): string[] {
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm),
    ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

/** Relative import specifiers of a module, resolved to paths from the project root. */
function relativeImports(file: string, text: string): string[] {
  const base = new URL(`file:///${file}`);
  return specifiers(text).filter((spec) => spec.startsWith(".")).map((spec) =>
    new URL(spec, base).pathname.slice(1)
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

test("core/ imports no packages at all (only relative modules and models/ data)", async () => {
  const offenders: string[] = [];
  for await (const f of sources("core")) {
    const text = await Deno.readTextFile(f);
    for (const spec of specifiers(text)) if (!spec.startsWith(".")) offenders.push(`${f} → ${spec}`);
  }
  assert.equal(offenders, []);
});

test("plugins/ and examples/ import only @glidepath/sdk and files inside their own folder", async () => {
  const offenders: string[] = [];
  for (const root of ["plugins", "examples"]) {
    for await (const f of sources(root)) {
      const folder = f.split("/").slice(0, 2).join("/") + "/";
      const text = await Deno.readTextFile(f);
      for (const spec of specifiers(text)) {
        if (spec === "@glidepath/sdk") continue;
        const target = new URL(spec, `file:///${f}`).pathname.slice(1);
        if (spec.startsWith(".") && target.startsWith(folder)) continue;
        offenders.push(`${f} → ${spec}`);
      }
    }
  }
  assert.equal(offenders, []);
});

test("the layering check sees an import that leaves core/", () => {
  assert.equal(specifiers(`import x from "npm:foo";\nconst s = "from 'nope'";\nawait import("../y.ts");`), [
    "npm:foo",
    "../y.ts",
  ]);
  assert.equal(relativeImports("core/sdk/mod.ts", `import { x } from "../../kiosk/server/app.ts";`), [
    "kiosk/server/app.ts",
  ]);
  assert.equal(relativeImports("core/sdk/mod.ts", `export { y } from "../manifest/mod.ts";`), [
    "core/manifest/mod.ts",
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
