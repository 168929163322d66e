/** Guided-routine progress: step, stroke progress, hold countdown and passes. */
import { displayFrame } from "./state.ts";

/** The guidance panel; says so when no guided routine runs. */
export function GuidancePanel() {
  const g = displayFrame.value?.guidance;
  if (!g) {
    return (
      <section class="panel guidance" aria-label="guidance">
        <h2>Guidance</h2>
        <div class="row">No guided routine running</div>
      </section>
    );
  }
  return (
    <section class="panel guidance" aria-label="guidance">
      <h2>Guidance</h2>
      <div class="row">
        <span>Step</span>
        <span class="value" data-testid="step">{g.stepIndex + 1} / {g.stepCount} · {g.stepId}</span>
      </div>
      <div class="row">
        <span>Target</span>
        <span class="value">{g.targetZone}</span>
      </div>
      <div class="row">
        <span>Stroke</span>
        <span class="value">{Math.round(g.strokeProgress * 100)} %</span>
      </div>
      <div class="gauge">
        <div style={{ width: `${g.strokeProgress * 100}%` }} />
      </div>
      <div class="row">
        <span>Hold</span>
        <span class="value">{g.holdRemainingS > 0 ? `${g.holdRemainingS.toFixed(1)} s` : "—"}</span>
      </div>
      <div class="row">
        <span>Passes</span>
        <span class="value" data-testid="passes">{g.passesDone} / {g.passes}</span>
      </div>
    </section>
  );
}
