/** The calibration step before the first stroke: face found, probe seen, skin contact (or "more gel") and a strength, each with a tick. */
import { computed, effect, signal } from "@preact/signals";
import { calibrate, contactCheck } from "./calibration.ts";
import { comfort, COMFORT_CHOICES, comfortChosen, comfortText, comfortWord } from "./comfort.ts";
import { send } from "./connection.ts";
import { messagesFor } from "./i18n.ts";
import { CONTROLS } from "./i18n/controls.ts";
import { ONBOARDING } from "./i18n/onboarding.ts";
import { contact, faceSeen, frame, isLiveSession, latch, probeSeen, sessionState } from "./state.ts";

const t = messagesFor(ONBOARDING);
const tc = messagesFor(CONTROLS);

/** The contact check; a computed, so the checklist re-renders when it changes, not with every frame. */
export const contactState = computed(() =>
  contactCheck(frame.value?.limit, contact.value, isLiveSession(frame.value?.state))
);

/** The checklist now (Controls reads `missing` to offer Start). */
export const checklist = computed(() =>
  calibrate({
    faceSeen: faceSeen.value,
    probeSeen: probeSeen.value,
    contact: contactState.value,
    comfortChosen: comfortChosen.value,
  })
);

/** The checklist was complete during this live session: it steps aside until the session ends. */
const calibrated = signal(false);
effect(() => {
  if (!isLiveSession(sessionState.value)) calibrated.value = false;
  else if (checklist.value.complete) calibrated.value = true;
});

/** Sets the strength from a choice; during a session it goes to the engine at once (it can only scale a zone's level). */
export function chooseComfort(level: number): void {
  comfort.value = level;
  comfortChosen.value = true;
  if (isLiveSession(sessionState.peek())) send({ type: "comfort", level });
}

function Check(
  { id, done, label, detail, waiting = false }: {
    id: string;
    done: boolean;
    label: string;
    detail?: string;
    /** The detail says what comes next, not what to fix. */
    waiting?: boolean;
  },
) {
  return (
    <li class={`check ${done ? "check-done" : "check-todo"}`} data-check={id} data-done={String(done)}>
      <span class="tick" aria-hidden="true">{done ? "✓" : "○"}</span>
      <span>
        {label}
        <span class="visually-hidden">: {done ? t("done.mark") : t("todo.mark")}</span>
        {detail && <small class={waiting ? "check-detail waiting" : "check-detail"}>{detail}</small>}
      </span>
    </li>
  );
}

/** The checklist, shown before Start and during a session until it is complete (not under a latched stop). */
export function CalibrationChecklist() {
  if (calibrated.value || latch.value !== null) return null;
  const c = checklist.value;
  const contactNow = contactState.value;
  const contactDetail = contactNow === "more-gel"
    ? t("check.contact.gel")
    : contactNow === "none"
    ? t("check.contact.none")
    : contactNow === "pending"
    ? t("check.contact.pending")
    : undefined;
  const level = comfort.value;
  return (
    <section
      class="panel calibration"
      aria-label={t("calibration")}
      data-testid="calibration"
      data-contact={contactNow}
    >
      <h2>{t("calibration")}</h2>
      <ul class="checks">
        <Check id="face" done={c.face} label={t("check.face")} detail={c.face ? undefined : tc("why.face")} />
        <Check
          id="probe"
          done={c.probe}
          label={t("check.probe")}
          detail={c.probe ? undefined : tc("why.probe")}
        />
        <Check
          id="contact"
          done={c.contact}
          label={t("check.contact")}
          detail={contactDetail}
          waiting={contactNow === "pending"}
        />
        <Check
          id="comfort"
          done={c.comfort}
          label={c.comfort ? t("check.comfort.chosen", { word: comfortText(level) }) : t("check.comfort")}
        />
      </ul>
      <div class="comfort-choices" role="group" aria-label={t("check.comfort")}>
        {COMFORT_CHOICES.map((choice) => (
          <button
            type="button"
            key={choice.word}
            class="comfort-choice"
            data-comfort={choice.word}
            aria-pressed={comfortChosen.value && comfortWord(level) === choice.word}
            onClick={() => chooseComfort(choice.level)}
          >
            {tc(`comfort.${choice.word}`)}
          </button>
        ))}
      </div>
    </section>
  );
}
