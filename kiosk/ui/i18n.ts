/** The page's message catalogue: the person's language as a signal, and typed lookups for each area's messages. */
import { signal } from "@preact/signals";

/** Languages the page speaks; English is complete and the fallback for any missing text. */
export const LANGUAGES = ["en", "es"] as const;
/** One of LANGUAGES. */
export type Language = typeof LANGUAGES[number];
/** Each language's name in itself, for the chooser. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: "English", es: "Español" };

/** True for a supported language code. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/** The language the page speaks now (the selected profile's, else English). Reading it subscribes a component. */
export const language = signal<Language>("en");

/** One area's messages: every key in English, any subset in the other languages. */
export type Catalogue<K extends string> =
  & { en: Readonly<Record<K, string>> }
  & {
    [L in Exclude<Language, "en">]: Readonly<Partial<Record<K, string>>>;
  };

/**
 * Types one area's catalogue file (`i18n/<area>.json`, translators' data): its keys are the English texts' keys, so
 * a mistyped key in code fails `deno check`; a key another language lacks reads in English, and
 * test/kiosk/i18n_catalogues.test.ts names it.
 */
export function catalogue<K extends string>(
  messages:
    & { en: Readonly<Record<K, string>> }
    & {
      [L in Exclude<Language, "en">]: NoInfer<Readonly<Partial<Record<K, string>>>>;
    },
): Catalogue<K> {
  return messages;
}

/** Placeholder values for a message: `{name}` in the text is replaced by params.name. */
export type MessageParams = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; one with no value is left as written, so a missing value shows instead of hiding. */
export function fillMessage(text: string, params?: MessageParams): string {
  if (!params) return text;
  return text.replace(
    /\{(\w+)\}/g,
    (whole, name: string) => Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * A lookup for one area's catalogue in the current language (English where a text is missing):
 * `const t = messagesFor(SUMMARY); t("title")`. Called during render, it re-renders on a language change.
 */
export function messagesFor<K extends string>(
  catalogue: Catalogue<K>,
): (key: K, params?: MessageParams, lang?: Language) => string {
  return (key, params, lang = language.value) =>
    fillMessage(catalogue[lang][key] ?? catalogue.en[key], params);
}
