/** Every message catalogue under kiosk/ui/i18n/ is complete in every language, with the same placeholders. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fillMessage, LANGUAGES, messagesFor } from "../../kiosk/ui/i18n.ts";

const DIR = new URL("../../kiosk/ui/i18n/", import.meta.url);

type Catalogue = Record<string, Record<string, string>>;

/**
 * Every catalogue file of the folder, by name (`<area>.json`: translators' data), so a new area's file is checked
 * without listing it here; each must be the one its typed module `<area>.ts` exports.
 */
async function catalogues(): Promise<Map<string, Catalogue>> {
  const found = new Map<string, Catalogue>();
  for await (const entry of Deno.readDir(DIR)) {
    // A module without its JSON would be texts written in code again, where translators do not look.
    if (entry.name.endsWith(".ts")) {
      const json = entry.name.replace(/\.ts$/, ".json");
      assert.ok(
        await Deno.stat(new URL(json, DIR)).catch(() => null),
        `${entry.name}'s texts are in ${json}`,
      );
    }
    if (!entry.isFile || !entry.name.endsWith(".json")) continue;
    const data = JSON.parse(await Deno.readTextFile(new URL(entry.name, DIR))) as Catalogue;
    const module = await import(new URL(entry.name.replace(/\.json$/, ".ts"), DIR).href);
    const exported = Object.values(module).filter((v) => v && typeof v === "object" && "en" in v);
    assert.equal(
      exported,
      [data],
      `${entry.name.replace(/\.json$/, ".ts")} exports ${entry.name} as its catalogue`,
    );
    found.set(entry.name, data);
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What is wrong with a catalogue: a key missing or extra in a language, an empty text, placeholders that differ. */
function problems(catalogue: Catalogue): string[] {
  const out: string[] = [];
  const keys = Object.keys(catalogue.en ?? {});
  for (const lang of LANGUAGES) {
    const texts = catalogue[lang] ?? {};
    for (const key of keys) {
      const text = texts[key];
      if (typeof text !== "string") out.push(`${lang}: "${key}" is missing`);
      else if (text.trim() === "") out.push(`${lang}: "${key}" is empty`);
      else if (placeholders(text).join() !== placeholders(catalogue.en![key]!).join()) {
        out.push(
          `${lang}: "${key}" has placeholders {${placeholders(text)}}, English {${
            placeholders(catalogue.en![key]!)
          }}`,
        );
      }
    }
    for (const key of Object.keys(texts)) {
      if (!keys.includes(key)) out.push(`${lang}: "${key}" is not in English`);
    }
  }
  return out;
}

test("the check finds a missing key, an extra key and a placeholder that differs", () => {
  const bad = {
    en: { a: "A {n}", b: "B", c: "C" },
    es: { a: "A {m}", c: "C", d: "D" },
  };
  assert.equal(problems(bad), [
    'es: "a" has placeholders {m}, English {n}',
    'es: "b" is missing',
    'es: "d" is not in English',
  ]);
});

test("every catalogue has every key in English and Spanish, none empty, with the same placeholders", async () => {
  const found = await catalogues();
  const areas = [
    "controls",
    "guidance",
    "mirror",
    "onboarding",
    "profiles",
    "screening",
    "session",
    "station",
    "summary",
  ];
  for (const area of [...areas, "zones"]) assert.ok(found.has(`${area}.json`), `${area}.json is read`);
  const all = [...found].flatMap(([name, catalogue]) => problems(catalogue).map((p) => `${name}: ${p}`));
  assert.equal(all, []);
});

test("a lookup follows the page's language, falls back to English, and fills placeholders", () => {
  const t = messagesFor({ en: { hi: "Hello {name}", only: "English only" }, es: { hi: "Hola {name}" } });
  assert.is(t("hi", { name: "Ana" }, "es"), "Hola Ana");
  assert.is(t("only", undefined, "es"), "English only");
  assert.is(fillMessage("{a} and {b}", { a: 1 }), "1 and {b}", "a missing value shows");
});

test.run();
