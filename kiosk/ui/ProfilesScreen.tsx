/** "Who's here?": pick or add a person (home) or enter a client code (salon), and the person's settings: language, zones to skip, level ceiling. */
import { signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { type Language, LANGUAGE_NAMES, LANGUAGES, messagesFor } from "./i18n.ts";
import { PROFILES, ZONE_ROWS, type ZoneId } from "./i18n/profiles.ts";
import { screen } from "./journey.ts";
import {
  createProfile,
  currentProfile,
  deleteProfile,
  enterClientCode,
  profileError,
  profileList,
  type ProfileView,
  requestProfiles,
  selectProfile,
  updateProfile,
} from "./profile.ts";
import { connected, hello } from "./state.ts";

const t = messagesFor(PROFILES);

/** Whose settings the screen shows (a profile id), or null: the screen shows who is here. */
export const settingsFor = signal<string | null>(null);
/** Set by a choice made on this screen: the next `profile` answer moves the journey on. */
const choosing = signal(false);
const newName = signal("");
const newLanguage = signal<Language>("en");
const code = signal("");

/** Where the journey goes once a person is chosen: the first-run guide until they have seen it, else the mirror. */
export function screenAfterChoosing(p: ProfileView): "onboarding" | "session" {
  // Until the onboarding screen is registered in App.tsx, "onboarding" shows the session (App's fallback).
  return p.onboarded ? "session" : "onboarding";
}

/** A refused profile message in the person's words (the server's field says which). */
export function profileErrorText(e: { of: string; field: string; message: string } | null): string | null {
  if (!e) return null;
  if (e.field === "store") return t("error.store");
  if (e.field === "name") return /already taken/.test(e.message) ? t("error.taken") : t("error.name");
  if (e.field === "code") return t("error.code");
  if (e.field === "type" && /session is running/.test(e.message)) return t("error.busy");
  if (e.field === "profile" || e.field === "profileId") return t("error.gone");
  return t("error.other", { message: e.message });
}

/** The profiles screen: registered as "profiles" in App.tsx. */
export function ProfilesScreen() {
  const salon = hello.value?.station === "salon";
  const p = currentProfile.value;
  useEffect(() => {
    if (!salon && connected.value) requestProfiles();
  }, [salon, connected.value]);
  useEffect(() => {
    if (!choosing.value || !p) return;
    choosing.value = false;
    settingsFor.value = null;
    screen.value = screenAfterChoosing(p);
  }, [p, choosing.value]);
  const settings = p !== null && settingsFor.value === p.id;
  return (
    <main class="profiles" data-testid="profiles-screen" lang={p?.language ?? "en"}>
      {settings ? <ProfileSettings profile={p} /> : salon ? <ClientCode /> : <HomePicker />}
      <p class="error" role="alert" data-testid="profile-error">
        {profileErrorText(profileError.value) ?? ""}
      </p>
    </main>
  );
}

function HomePicker() {
  const people = profileList.value;
  const add = (e: Event) => {
    e.preventDefault();
    if (!newName.value.trim()) {
      return void (profileError.value = { of: "profile-create", field: "name", message: "" });
    }
    choosing.value = createProfile(newName.value, newLanguage.value);
    newName.value = "";
  };
  return (
    <>
      <h1>{t("title")}</h1>
      <p class="hint">{t("intro")}</p>
      {people.length === 0 && <p class="hint" data-testid="no-profiles">{t("none")}</p>}
      <ul class="people" aria-label={t("title")}>
        {people.map((person) => (
          <li key={person.id}>
            <button
              type="button"
              class="person"
              data-testid={`profile-${person.name}`}
              onClick={() => (choosing.value = selectProfile(person.id))}
            >
              {person.name}
            </button>
            <button
              type="button"
              class="person-settings"
              aria-label={t("settings.open", { name: person.name })}
              data-testid={`profile-settings-${person.name}`}
              onClick={() => {
                settingsFor.value = person.id;
                selectProfile(person.id);
              }}
            >
              ⚙
            </button>
          </li>
        ))}
      </ul>
      <form class="panel add-person" onSubmit={add} aria-label={t("add.heading")}>
        <h2>{t("add.heading")}</h2>
        <label class="field">
          <span>{t("add.name")}</span>
          <input
            type="text"
            maxLength={40}
            autoComplete="off"
            value={newName.value}
            data-testid="profile-name"
            onInput={(e) => {
              newName.value = (e.target as HTMLInputElement).value;
              profileError.value = null;
            }}
          />
        </label>
        <LanguageChoice
          value={newLanguage.value}
          onChange={(l) => (newLanguage.value = l)}
          name="new-language"
        />
        <button type="submit" class="primary" data-testid="profile-add">{t("add.submit")}</button>
      </form>
      <button
        type="button"
        class="link"
        data-testid="profile-guest"
        onClick={() => (screen.value = "session")}
      >
        {t("guest")}
      </button>
    </>
  );
}

function ClientCode() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const go = (e: Event) => {
    e.preventDefault();
    const typed = code.value.trim();
    // Cleared at once: the next client never sees this one's code.
    code.value = "";
    if (!/^[A-Za-z0-9]{4,8}$/.test(typed)) {
      return void (profileError.value = { of: "client-code", field: "code", message: "" });
    }
    choosing.value = enterClientCode(typed);
  };
  return (
    <form class="client-code" onSubmit={go}>
      <h1>{t("salon.title")}</h1>
      <p class="hint">{t("salon.intro")}</p>
      <label class="field">
        <span>{t("salon.code")}</span>
        <input
          ref={ref}
          type="text"
          inputMode="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          maxLength={8}
          value={code.value}
          data-testid="client-code"
          onInput={(e) => {
            code.value = (e.target as HTMLInputElement).value.toUpperCase();
            profileError.value = null;
          }}
        />
      </label>
      <p class="hint">{t("salon.hint")}</p>
      <button type="submit" class="primary" data-testid="client-code-go">{t("salon.submit")}</button>
      <p class="hint small">{t("salon.privacy")}</p>
    </form>
  );
}

function LanguageChoice(
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
