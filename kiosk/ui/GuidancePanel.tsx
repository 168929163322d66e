/** Guided-routine progress in plain words: the live cue, step, target area, stroke progress, hold countdown, passes and what is left. */
import { cueText, formatMinSec, routineLeft } from "./coach.ts";
import { cue } from "./cues.ts";
import { messagesFor } from "./i18n.ts";
import { GUIDANCE } from "./i18n/guidance.ts";
import { zoneName } from "./i18n/zones.ts";
import { displayFrame, isLiveSession, sessionState } from "./state.ts";

const t = messagesFor(GUIDANCE);

/** The guidance panel: hidden before a session (the calibration has that place), says so when a session runs no guided routine. */
export function GuidancePanel() {
  const g = displayFrame.value?.guidance;
  if (!g && !isLiveSession(sessionState.value)) return null;
  if (!g) {
    return (
      <section class="panel guidance" aria-label={t("title")}>
        <h2>{t("title")}</h2>
        <div class="row">{t("none")}</div>
      </section>
    );
  }
  const shown = cue.value;
  return (
    <section class="panel guidance" aria-label={t("title")}>
      <h2>{t("title")}</h2>
      {shown && (
        <div class={`cue cue-${shown.kind}`} role="status" data-testid="cue" data-kind={shown.kind}>
          {cueText(shown)}
        </div>
      )}
      <div class="row">
        <span>{t("step")}</span>
        <span class="value" data-testid="step" data-step={g.stepIndex + 1} data-step-id={g.stepId}>
          {t("step.value", { n: g.stepIndex + 1, count: g.stepCount })}
        </span>
      </div>
      <div class="row">
        <span>{t("area")}</span>
        <span class="value" data-testid="target" data-zone={g.targetZone}>{zoneName(g.targetZone)}</span>
      </div>
      <div class="row">
        <span>{t("stroke")}</span>
        <span class="value">{Math.round(g.strokeProgress * 100)} %</span>
      </div>
      <div class="gauge">
        <div style={{ width: `${g.strokeProgress * 100}%` }} />
      </div>
      <div class="row">
        <span>{t("hold")}</span>
        <span class="value">{g.holdRemainingS > 0 ? formatMinSec(g.holdRemainingS) : "—"}</span>
      </div>
      <div class="row">
        <span>{t("passes")}</span>
        <span class="value" data-testid="passes">
          {t("passes.value", { done: g.passesDone, count: g.passes })}
        </span>
      </div>
      <div class="row">
        <span>{t("left")}</span>
        <span class="value" data-testid="left">{routineLeft(g)}</span>
      </div>
    </section>
  );
}
