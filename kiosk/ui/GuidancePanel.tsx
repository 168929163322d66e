/** Guided-routine progress: the live cue, step, stroke progress, hold countdown, passes and what is left. */
import { formatMinSec, routineLeft } from "./coach.ts";
import { cue } from "./cues.ts";
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
      {cue.value && (
        <div class={`cue cue-${cue.value.kind}`} role="status" data-testid="cue" data-kind={cue.value.kind}>
          {cue.value.text}
        </div>
      )}
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
        <span class="value">{g.holdRemainingS > 0 ? formatMinSec(g.holdRemainingS) : "—"}</span>
      </div>
      <div class="row">
        <span>Passes</span>
        <span class="value" data-testid="passes">{g.passesDone} / {g.passes}</span>
      </div>
      <div class="row">
        <span>Left</span>
        <span class="value" data-testid="left">{routineLeft(g)}</span>
      </div>
    </section>
  );
}
