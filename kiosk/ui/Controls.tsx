/** The user's controls: language, calibration, routine, strength, screening (explicit yes/no per question), consent, start/end, pause/resume; and the emergency stop. While a stop is latched they offer neither Start nor Resume. */
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { checklist } from "./Calibration.tsx";
import { comfort, comfortChosen, comfortText, DEFAULT_COMFORT } from "./comfort.ts";
import { LanguageChooser } from "./LanguageChooser.tsx";
import { operatorSettings } from "./OperatorPanel.tsx";
import { pressEstop, send } from "./connection.ts";
import { messagesFor } from "./i18n.ts";
import { CONTROLS } from "./i18n/controls.ts";
import { SCREENING } from "./i18n/screening.ts";
import { SESSION } from "./i18n/session.ts";
import { screen } from "./journey.ts";
import { currentProfile, currentVisit, startProfileFields } from "./profile.ts";
import {
  SCREENING_QUESTIONS,
  type ScreeningAnswers,
  screeningComplete,
  screeningContraindicated,
  screeningPayload,
} from "./screening.ts";
import {
  estopStatus,
  frame,
  hello,
  isLiveSession,
  lastError,
  latch,
  operator,
  sessionState,
} from "./state.ts";

const t = messagesFor(CONTROLS);
const question = messagesFor(SCREENING);
const ts = messagesFor(SESSION);

const routine = signal<string>("");
const consent = signal(false);
const answers = signal<ScreeningAnswers>({});

/** Forgets the screening answers, consent and strength choice, so the next person answers afresh. */
export function clearScreening(): void {
  answers.value = {};
  consent.value = false;
  comfortChosen.value = false;
}

/** Forgets everything the last person chose here (answers, consent, routine, comfort): the station's idle return. */
export function resetControls(): void {
  clearScreening();
  routine.value = "";
  comfort.value = DEFAULT_COMFORT;
}

// A session that ends (by End, the engine, an abort or the time limit) clears the last person's answers.
let wasActive = false;
frame.subscribe((f) => {
  const active = isLiveSession(f?.state);
  if (wasActive && !active) clearScreening();
  wasActive = active;
});

// Set by a start this page sent: once the session is live, the focus goes to its controls (the Start button
// the focus was on is gone, which would leave it on the page body, out of keyboard reach of Pause and End).
let focusWhenLive = false;

/** The session controls panel. */
export function Controls() {
  const routines = hello.value?.routines ?? [];
  const selected = routine.value || (hello.value?.demo ? "express-lift" : routines[0]?.id) || "free";
  const state = sessionState.value;
  const active = isLiveSession(state);
  // Under a latched stop a start would be accepted but give no output: not offered, so it cannot seem to work.
  const latched = latch.value !== null;
  // A salon visit is screened once: its later sessions reuse the answers (the kiosk records them again).
  const reuse = currentVisit.value?.screened === true;
  // The person's ceiling: the slider stops there (the engine clamps any level to it anyway).
  const ceiling = currentProfile.value?.maxComfort ?? 10;
  const level = Math.min(comfort.value, ceiling);
  const complete = reuse || screeningComplete(answers.value);
  // The first stroke needs the camera to see the face and the probe (calibration.ts): no Start before.
  const missing = checklist.value.missing;
  const canStart = !active && !latched && complete && consent.value && missing === null;
  const start = () => {
    if (!canStart) return;
    const message: Record<string, unknown> = {
      type: "start",
      routine: selected,
      comfort: level,
      ...(reuse ? {} : { screening: screeningPayload(answers.value) }),
      consent: true,
      ...startProfileFields(),
    };
    if (operator.value.unlocked) {
      const { capUa, netDc } = operatorSettings.value;
      if (capUa !== null) message.operatorCapUa = capUa;
      if (netDc) message.netDc = true;
    }
    if (send(message)) {
      answers.value = {};
      consent.value = false;
      focusWhenLive = true;
      if (currentVisit.value && !reuse) currentVisit.value = { ...currentVisit.value, screened: true };
    } else lastError.value = t("notConnected");
  };
  const pauseRef = useRef<HTMLButtonElement>(null);
  const endRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!active || !focusWhenLive) return;
    focusWhenLive = false;
    (pauseRef.current ?? endRef.current)?.focus();
  }, [active]);
  return (
    <section class="panel controls" aria-label={t("title")}>
      <h2>{t("title")}</h2>
      <LanguageChooser />
      {!active && !latched && (
        <button type="button" class="guide" data-testid="guide" onClick={() => (screen.value = "onboarding")}>
          {t("guide")}
        </button>
      )}
      {/* Nothing to choose while stopped: the stop is explained instead (LatchNotice and the hint below). */}
      {!latched && (
        <>
          <label class="field">
            <span>{t("routine")}</span>
            <select
              value={selected}
              onChange={(e) => (routine.value = (e.target as HTMLSelectElement).value)}
              disabled={active}
            >
              {routines.map((r) => <option value={r.id} key={r.id}>{r.name}</option>)}
            </select>
          </label>
          <label class="field">
            <span>{t("comfort", { word: comfortText(level) })}</span>
            <input
              type="range"
              min={1}
              max={ceiling}
              value={level}
              aria-valuetext={t("comfort.value", { word: comfortText(level), level })}
              data-testid="comfort"
              onInput={(e) => {
                comfort.value = Number((e.target as HTMLInputElement).value);
                comfortChosen.value = true;
                if (active) send({ type: "comfort", level: comfort.value });
              }}
            />
          </label>
        </>
      )}
      {!active && !latched && reuse && (
        <p class="hint" data-testid="screening-reused">
          Your answers from earlier in this visit are used. If anything has changed, please tell staff.
        </p>
      )}
      {!active && !latched && (
        <div class="screening" data-testid="screening">
          {!reuse && (
            <>
              <p class="hint">{t("screening.hint")}</p>
              {SCREENING_QUESTIONS.map((key) => (
                <fieldset key={key} class="question" data-question={key}>
                  <legend>{question(key)}</legend>
                  {([true, false] as const).map((yes) => (
                    <label class="choice" key={String(yes)}>
                      <input
                        type="radio"
                        name={`screen-${key}`}
                        value={yes ? "yes" : "no"}
                        checked={answers.value[key] === yes}
                        onChange={() => (answers.value = { ...answers.value, [key]: yes })}
                      />
                      {yes ? t("yes") : t("no")}
                    </label>
                  ))}
                </fieldset>
              ))}
              {screeningContraindicated(answers.value) && (
                <p class="warn" role="alert">{t("screening.yes")}</p>
              )}
            </>
          )}
          <label class="choice consent">
            <input
              type="checkbox"
              checked={consent.value}
              data-testid="consent"
              onChange={(e) => (consent.value = (e.target as HTMLInputElement).checked)}
            />
            {t("consent")}
          </label>
        </div>
      )}
      <div class="buttons">
        {!active
          ? !latched && (
            <button
              type="button"
              onClick={start}
              disabled={!canStart}
              data-testid="start"
              aria-describedby={canStart ? undefined : "start-why"}
            >
              {t("start")}
            </button>
          )
          : (
            <>
              {state === "paused"
                ? (
                  <button type="button" onClick={() => send({ type: "resume" })} data-testid="resume">
                    {t("resume")}
                  </button>
                )
                : state !== "stopped" && (
                  <button
                    type="button"
                    onClick={() => send({ type: "pause" })}
                    data-testid="pause"
                    ref={pauseRef}
                  >
                    {t("pause")}
                  </button>
                )}
              <button
                type="button"
                onClick={() => {
                  send({ type: "end" });
                  clearScreening();
                }}
                data-testid="end"
                ref={endRef}
              >
                {t("end")}
              </button>
            </>
          )}
      </div>
      {latched && <p class="hint" data-testid="latched-hint">{t("hint.latched")}</p>}
      {state === "paused" && <p class="hint" data-testid="paused-hint">{t("hint.paused")}</p>}
      {!active && !latched && !canStart && (
        <p class="hint" id="start-why" data-testid="start-why">
          {!complete
            ? t("why.answers")
            : !consent.value
            ? t("why.consent")
            : missing === "face"
            ? t("why.face")
            : t("why.probe")}
        </p>
      )}
      <div class="error" role="status">{lastError.value ?? ""}</div>
    </section>
  );
}

/** The emergency-stop button: output to 0 on the next frame, latched until an operator reset; says whether it got through. */
export function EmergencyStop() {
  const status = estopStatus.value;
  return (
    <button
      type="button"
      class={`estop estop-${status}`}
      onClick={pressEstop}
      data-testid="estop"
      data-status={status}
      aria-live="assertive"
    >
      {ts(`estop.${status}`)}
    </button>
  );
}
