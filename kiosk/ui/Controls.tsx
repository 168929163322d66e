/** Start/end controls with screening and consent, comfort level, and operator reset. */
import { signal } from "@preact/signals";
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import { send } from "./connection.ts";
import { frame, hello, lastError } from "./state.ts";

const routine = signal<string>("");
const comfort = signal(5);
const consent = signal(false);
const answers = signal<Record<string, boolean>>({});

const LABELS: Record<string, string> = {
  implantedElectronicDevice: "Implanted electronic device",
  pacemaker: "Pacemaker",
  pregnancy: "Pregnancy",
  epilepsy: "Epilepsy",
  activeCancer: "Active cancer",
  under18: "Under 18",
  brokenSkinOrRecentSurgeryOrFiller: "Broken skin, recent facial surgery or filler",
  metalImplantsInFace: "Metal implants in the face",
};

/** The session controls panel. */
export function Controls() {
  const routines = hello.value?.routines ?? [];
  const selected = routine.value || (hello.value?.demo ? "express-lift" : routines[0]?.id) || "free";
  const state = frame.value?.state ?? "idle";
  const active = state === "running" || state === "ready" || state === "paused";
  const start = () => {
    const screening: Record<string, boolean> = {};
    for (const key of CONTRAINDICATIONS) screening[key] = answers.value[key] ?? false;
    send({ type: "start", routine: selected, comfort: comfort.value, screening, consent: consent.value });
  };
  return (
    <section class="panel controls" aria-label="controls">
      <h2>Controls</h2>
      <label>
        Routine{" "}
        <select
          value={selected}
          onChange={(e) => (routine.value = (e.target as HTMLSelectElement).value)}
          disabled={active}
        >
          {routines.map((r) => <option value={r.id} key={r.id}>{r.name}</option>)}
        </select>
      </label>
      <label>
        Comfort {comfort.value}{" "}
        <input
          type="range"
          min={1}
          max={10}
          value={comfort.value}
          onInput={(e) => {
            comfort.value = Number((e.target as HTMLInputElement).value);
            if (active) send({ type: "comfort", level: comfort.value });
          }}
        />
      </label>
      {!active && (
        <div class="screening">
          Any of these apply?
          {CONTRAINDICATIONS.map((key) => (
            <label key={key}>
              <input
                type="checkbox"
                checked={answers.value[key] ?? false}
                onChange={(
                  e,
                ) => (answers.value = { ...answers.value, [key]: (e.target as HTMLInputElement).checked })}
              />{" "}
              {LABELS[key] ?? key}
            </label>
          ))}
          <label>
            <input
              type="checkbox"
              checked={consent.value}
              onChange={(e) => (consent.value = (e.target as HTMLInputElement).checked)}
            />{" "}
            I have read the guidance and consent to this session
          </label>
        </div>
      )}
      <div class="row">
        <button type="button" onClick={start} disabled={active || !consent.value} data-testid="start">
          Start
        </button>
        <button type="button" onClick={() => send({ type: "end" })} disabled={!active} data-testid="end">
          End
        </button>
        <button type="button" onClick={() => send({ type: "reset", by: "operator" })} data-testid="reset">
          Operator reset
        </button>
      </div>
      <div class="error" role="status">{lastError.value ?? ""}</div>
    </section>
  );
}

/** The emergency-stop button: output to 0 on the next frame, latched until an operator reset. */
export function EmergencyStop() {
  return (
    <button type="button" class="estop" onClick={() => send({ type: "estop" })} data-testid="estop">
      EMERGENCY STOP
    </button>
  );
}
