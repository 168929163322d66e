/** "Who's here?": pick or add a person (home) or enter a client code (salon); shows the person's settings when asked. */
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { type Language, messagesFor } from "./i18n.ts";
import { PROFILES } from "./i18n/profiles.ts";
import { screen } from "./journey.ts";
import {
  createProfile,
  currentProfile,
  enterClientCode,
  profileError,
  profileList,
  requestProfiles,
  screenAfterChoosing,
  selectProfile,
  settingsFor,
} from "./profile.ts";
import { LanguageChoice, ProfileSettings } from "./ProfileSettings.tsx";
import { connected, hello } from "./state.ts";

const t = messagesFor(PROFILES);

/** Set by a choice made on this screen: the next `profile` answer moves the journey on. */
const choosing = signal(false);
const newName = signal("");
const newLanguage = signal<Language>("en");
const code = signal("");

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
