/** The raw readings behind the PIN: current in µA, frequency, the engine's limit and zone ids, step id, impedance and stimulation time. The person's view says the same in plain words. */
import { contact, displayFrame, operator, stimulation } from "./state.ts";

/** The readings; shown only while the operator panel is unlocked. */
export function OperatorReadings() {
  if (!operator.value.unlocked) return null;
  const f = displayFrame.value;
  const c = contact.value;
  const s = stimulation.value;
  const rows: [string, string][] = [
    ["current", `${(f?.currentUa ?? 0).toFixed(0)} µA · ${f?.freqHz ?? 0} Hz · ${f?.polarity ?? "—"}`],
    ["state", f?.state ?? "—"],
    ["limit", f?.limit ?? "—"],
    ["zone", f?.zone ?? "—"],
    ["step", f?.guidance ? `${f.guidance.stepId} → ${f.guidance.targetZone}` : "—"],
    [
      "contact",
      c === null
        ? "—"
        : `${c.on ? "on" : "off"}${c.impedanceOhm === null ? "" : ` · ${Math.round(c.impedanceOhm)} Ω`}`,
    ],
    ["stimulation", s === null ? "—" : `${(s.ms / 1000).toFixed(1)} s of ${(s.limitMs / 1000).toFixed(0)} s`],
  ];
  return (
    <section class="panel operator-readings" aria-label="readings" data-testid="operator-readings">
      <h2>Readings</h2>
      {rows.map(([name, value]) => (
        <div class="row" key={name}>
          <span>{name}</span>
          <span class="value" data-reading={name}>{value}</span>
        </div>
      ))}
    </section>
  );
}
