/** The first-run guide: gel, both probes on the skin, what the arrow, ring and colours on the mirror mean, and how to stop; skippable, in large type. */
import { useState } from "preact/hooks";
import { send } from "./connection.ts";
import { messagesFor } from "./i18n.ts";
import { ONBOARDING } from "./i18n/onboarding.ts";
import { screen } from "./journey.ts";
import { LanguageChooser } from "./LanguageChooser.tsx";
import { onboardedMessage, ONBOARDING_PAGES, type OnboardingProfile } from "./onboarding.ts";

const t = messagesFor(ONBOARDING);

/** Props for OnboardingScreen. */
export interface OnboardingScreenProps {
  /** The person's profile: finishing or skipping the guide remembers it there. Default: none (nothing to remember). */
  profile?: Pick<OnboardingProfile, "id"> | null;
}

/** Leaves the guide for the mirror, remembering it for the profile. */
function finish(profile: Pick<OnboardingProfile, "id"> | null): void {
  const message = onboardedMessage(profile);
  if (message) send(message);
  screen.value = "session";
}

const GREEN = "rgb(90,220,140)", RED = "rgb(255,70,70)", YELLOW = "rgb(255,210,80)";

/** The mirror as the guide draws it, in the overlay's colours: red eyes, the green area with the white arrow half done, the yellow hold ring and the probe's ring. */
function MirrorPicture() {
  return (
    <svg class="guide-picture" viewBox="0 0 240 300" role="img" aria-label={t("mirror.title")}>
      <ellipse cx="120" cy="150" rx="96" ry="130" fill="#3a3f47" stroke="#9aa3ad" stroke-width="2" />
      <ellipse cx="82" cy="118" rx="20" ry="10" fill="rgba(255,70,70,0.3)" stroke={RED} stroke-width="3" />
      <ellipse cx="158" cy="118" rx="20" ry="10" fill="rgba(255,70,70,0.3)" stroke={RED} stroke-width="3" />
      <path
        d="M120 150 L206 128 L208 196 L128 210 Z"
        fill="rgba(90,220,140,0.25)"
        stroke={GREEN}
        stroke-width="3"
      />
      <path d="M134 196 L190 150" stroke="#fff" stroke-width="4" stroke-dasharray="8 6" fill="none" />
      <path d="M134 196 L162 173" stroke={GREEN} stroke-width="6" fill="none" />
      <path d="M200 142 L182 146 L192 160 Z" fill="#fff" />
      <path d="M196 128 A20 20 0 1 1 176 148" stroke={YELLOW} stroke-width="5" fill="none" />
      <circle cx="162" cy="173" r="8" fill="none" stroke={GREEN} stroke-width="4" />
    </svg>
  );
}

/** The small sign in front of each line of the legend, in the overlay's colours. */
function LegendSign({ of }: { of: "arrow" | "ring" | "green" | "red" | "dot" }) {
  return (
    <svg class="legend-sign" viewBox="0 0 32 32" aria-hidden="true">
      {of === "arrow" && (
        <>
          <path d="M4 24 L24 8" stroke="#fff" stroke-width="3" stroke-dasharray="5 4" />
          <path d="M28 5 L18 8 L24 15 Z" fill="#fff" />
        </>
      )}
      {of === "ring" && <path d="M16 4 A12 12 0 1 1 4 16" stroke={YELLOW} stroke-width="4" fill="none" />}
      {of === "green" && (
        <rect
          x="4"
          y="6"
          width="24"
          height="20"
          fill="rgba(90,220,140,0.3)"
          stroke={GREEN}
          stroke-width="3"
        />
      )}
      {of === "red" && (
        <ellipse cx="16" cy="16" rx="12" ry="7" fill="rgba(255,70,70,0.3)" stroke={RED} stroke-width="3" />
      )}
      {of === "dot" && <circle cx="16" cy="16" r="8" fill="none" stroke={GREEN} stroke-width="4" />}
    </svg>
  );
}

const LEGEND = ["arrow", "ring", "green", "red", "dot"] as const;

/** The guide. */
export function OnboardingScreen({ profile = null }: OnboardingScreenProps) {
  const [index, setIndex] = useState(0);
  const page = ONBOARDING_PAGES[index] ?? "welcome";
  const last = index === ONBOARDING_PAGES.length - 1;
  return (
    <section class="onboarding" aria-labelledby="guide-title" data-testid="onboarding" data-page={page}>
      <header class="onboarding-top">
        <LanguageChooser />
        <button type="button" class="link" data-testid="guide-skip" onClick={() => finish(profile)}>
          {t("skip")}
        </button>
      </header>
      <p class="onboarding-progress">{t("progress", { n: index + 1, count: ONBOARDING_PAGES.length })}</p>
      <h1 id="guide-title">{t(`${page}.title`)}</h1>
      {page === "mirror"
        ? (
          <div class="guide-mirror">
            <MirrorPicture />
            <ul class="guide-legend">
              {LEGEND.map((of) => (
                <li key={of} data-legend={of}>
                  <LegendSign of={of} />
                  <span>{t(`mirror.${of}`)}</span>
                </li>
              ))}
            </ul>
          </div>
        )
        : <p class="guide-body">{t(`${page}.body`)}</p>}
      {page === "stop" && (
        // A picture of the button, not a button: the real one is on the mirror screen.
        <div class="guide-stop" aria-hidden="true">
          <span class="guide-stop-button">{t("stop.button")}</span>
          <span class="guide-keys">{t("stop.keys")}</span>
        </div>
      )}
      <nav class="onboarding-nav">
        <button
          type="button"
          data-testid="guide-back"
          disabled={index === 0}
          onClick={() => setIndex(Math.max(0, index - 1))}
        >
          {t("back")}
        </button>
        <button
          type="button"
          class="primary"
          data-testid={last ? "guide-done" : "guide-next"}
          onClick={() => (last ? finish(profile) : setIndex(index + 1))}
        >
          {last ? t("done") : t("next")}
        </button>
      </nav>
    </section>
  );
}
