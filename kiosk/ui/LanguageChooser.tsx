/** The language chooser: one button per language, each named in itself; sets the page's language (a profile, once chosen, keeps it). */
import { language, LANGUAGE_NAMES, LANGUAGES, messagesFor } from "./i18n.ts";
import { CONTROLS } from "./i18n/controls.ts";

const t = messagesFor(CONTROLS);

/** The chooser. */
export function LanguageChooser() {
  const now = language.value;
  return (
    <div class="language" role="group" aria-label={t("language")} data-testid="language">
      {LANGUAGES.map((lang) => (
        <button
          type="button"
          key={lang}
          lang={lang}
          data-lang={lang}
          aria-pressed={lang === now}
          onClick={() => (language.value = lang)}
        >
          {LANGUAGE_NAMES[lang]}
        </button>
      ))}
    </div>
  );
}
