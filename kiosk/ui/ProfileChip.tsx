/** Who the session is for, on the session screen: the person's name and skipped zones, their history and settings, "Not you?", or "Who's here?". */
import { messagesFor } from "./i18n.ts";
import { PROFILES, type ZoneId } from "./i18n/profiles.ts";
import { screen } from "./journey.ts";
import { currentProfile, leaveProfile, settingsFor } from "./profile.ts";
import { openHistory } from "./SummaryScreen.tsx";
import { isLiveSession, sessionState } from "./state.ts";

const t = messagesFor(PROFILES);

/** A click that goes to "Who's here?" after `first` (there: someone's settings open, or nobody chosen). */
const toProfiles = (first?: () => void) => () => {
  first?.();
  screen.value = "profiles";
};

/** The profile chip: hidden controls while a session is live (whose session it is was fixed at its start). */
export function ProfileChip() {
  const p = currentProfile.value;
  const live = isLiveSession(sessionState.value);
  if (!p) {
    return live ? null : (
      <section class="panel profile-chip" aria-label={t("chip.who")}>
        <button type="button" data-testid="profile-who" onClick={toProfiles()}>
          {t("chip.who")}
        </button>
      </section>
    );
  }
  const skips = p.exclusions.map((z) => t(`zone.${z as ZoneId}`)).join(", ");
  return (
    <section class="panel profile-chip" aria-label={p.name} data-testid="profile-chip">
      <div class="row">
        <strong data-testid="profile-current">{p.name}</strong>
        {!live && (
          <span class="buttons">
            <button type="button" data-testid="profile-history" onClick={openHistory}>
              {t("chip.history")}
            </button>
            <button
              type="button"
              data-testid="profile-open-settings"
              onClick={toProfiles(() => (settingsFor.value = p.id))}
            >
              {t("chip.settings")}
            </button>
            <button type="button" data-testid="profile-change" onClick={toProfiles(leaveProfile)}>
              {t("chip.change")}
            </button>
          </span>
        )}
      </div>
      {skips && <p class="hint" data-testid="profile-skips">{t("chip.skips", { zones: skips })}</p>}
    </section>
  );
}
