/** A person's settings: language (at once), zones to skip by the names people use, and a gentlest…strongest level ceiling. */
import { signal, useSignal } from "@preact/signals";
import { type Language, LANGUAGE_NAMES, LANGUAGES, messagesFor } from "./i18n.ts";
import { PROFILES, ZONE_ROWS, type ZoneId } from "./i18n/profiles.ts";
import { screen } from "./journey.ts";
import {
  deleteProfile,
  profileError,
  type ProfileView,
  screenAfterChoosing,
  settingsFor,
  updateProfile,
} from "./profile.ts";

const t = messagesFor(PROFILES);

const draft = signal<{ id: string; exclusions: string[]; maxComfort: number | null } | null>(null);
const saved = signal(false);

/** The selected person's settings: language (applies at once), zones to skip and level ceiling (saved together). */
export function ProfileSettings({ profile }: { profile: ProfileView }) {
  if (draft.value?.id !== profile.id) {
    draft.value = { id: profile.id, exclusions: [...profile.exclusions], maxComfort: profile.maxComfort };
  }
  const d = draft.value!;
  const removing = useSignal(false);
  const set = (next: Partial<typeof d>) => {
    saved.value = false;
    draft.value = { ...d, ...next };
  };
  const toggle = (zone: ZoneId, on: boolean) =>
    set({ exclusions: on ? [...d.exclusions, zone] : d.exclusions.filter((z) => z !== zone) });
  const save = () => {
    saved.value = updateProfile({ exclusions: d.exclusions, maxComfort: d.maxComfort });
  };
  const level = d.maxComfort ?? 10;
  return (
    <section
      class="profile-settings"
      data-testid="profile-settings"
      aria-label={t("settings.title", { name: profile.name })}
    >
      <h1>{t("settings.title", { name: profile.name })}</h1>
      <LanguageChoice
        value={profile.language}
        onChange={(l) => updateProfile({ language: l })}
        name="profile-language"
      />
      <fieldset class="field zones">
        <legend>{t("settings.skip")}</legend>
        <p class="hint">{t("settings.skipHint")}</p>
        <div class="zone-grid">
          {ZONE_ROWS.flatMap((row) =>
            [...row, ...(row.length === 1 ? [null] : [])].map((zone, i) =>
              zone === null ? <span key={`${row[0]}-${i}`} /> : (
                <label class="choice" key={zone}>
                  <input
                    type="checkbox"
                    checked={d.exclusions.includes(zone)}
                    data-testid={`skip-${zone}`}
                    onChange={(e) => toggle(zone, (e.target as HTMLInputElement).checked)}
                  />
                  {t(`zone.${zone}`)}
                </label>
              )
            )
          )}
        </div>
      </fieldset>
      <fieldset class="field level">
        <legend>{t("settings.level")}</legend>
        <p class="hint">{t("settings.levelHint")}</p>
        <label class="choice">
          <input
            type="checkbox"
            checked={d.maxComfort === null}
            data-testid="no-ceiling"
            onChange={(e) => set({ maxComfort: (e.target as HTMLInputElement).checked ? null : level })}
          />
          {t("settings.noLimit")}
        </label>
        <div class="ceiling" aria-disabled={d.maxComfort === null}>
          <span>{t("settings.gentlest")}</span>
          <input
            type="range"
            min={1}
            max={10}
            value={level}
            disabled={d.maxComfort === null}
            aria-valuetext={t("settings.levelValue", { level })}
            data-testid="ceiling"
            onInput={(e) => set({ maxComfort: Number((e.target as HTMLInputElement).value) })}
          />
          <span>{t("settings.strongest")}</span>
        </div>
        <p class="value" data-testid="ceiling-value">
          {d.maxComfort === null ? t("settings.noLimit") : t("settings.levelValue", { level })}
        </p>
      </fieldset>
      <div class="buttons">
        <button type="button" class="primary" data-testid="profile-save" onClick={save}>
          {t("settings.save")}
        </button>
        <span role="status" data-testid="profile-saved">
          {saved.value && !profileError.value && sameAsSaved(d, profile) ? t("settings.saved") : ""}
        </span>
      </div>
      <div class="buttons">
        <button
          type="button"
          data-testid="profile-done"
          onClick={() => {
            settingsFor.value = null;
            screen.value = screenAfterChoosing(profile);
          }}
        >
          {t("settings.done")}
        </button>
        {profile.kind === "home" && (
          <button
            type="button"
            class="danger"
            data-testid="profile-remove"
            onClick={() => {
              if (!removing.value) return void (removing.value = true);
              deleteProfile(profile.id);
              settingsFor.value = null;
            }}
          >
            {removing.value ? t("settings.removeConfirm", { name: profile.name }) : t("settings.remove")}
          </button>
        )}
      </div>
    </section>
  );
}

function sameAsSaved(d: { exclusions: string[]; maxComfort: number | null }, p: ProfileView): boolean {
  return d.maxComfort === p.maxComfort && d.exclusions.length === p.exclusions.length &&
    d.exclusions.every((z) => p.exclusions.includes(z));
}

/** The two languages as a radio pair. */
export function LanguageChoice(
  { value, onChange, name }: { value: Language; onChange: (l: Language) => void; name: string },
) {
  return (
    <fieldset class="field languages">
      <legend>{t("add.language")}</legend>
      {LANGUAGES.map((l) => (
        <label class="choice" key={l}>
          <input type="radio" name={name} value={l} checked={value === l} onChange={() => onChange(l)} />
          {LANGUAGE_NAMES[l]}
        </label>
      ))}
    </fieldset>
  );
}
