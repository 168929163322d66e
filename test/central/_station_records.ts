/** Test fixture: one record of each kind a station writes, with every column set, as the kiosk would write them. */
import { DatabaseSync } from "node:sqlite";
import type { Store } from "../../kiosk/store/mod.ts";

/**
 * Writes, at time `t`, a walk-in profile and one session `id` of theirs with its screening, a checkpoint, an
 * operator's cap in the audit log, its end, its telemetry summary and its session summary (profiles and summaries
 * through SQL, as schema v3 stores them). Every optional column has a value, so a test sees each one travel.
 */
export function writeOneOfEach(store: Store, id: string, t: number): void {
  const raw = new DatabaseSync(store.path);
  raw.exec("PRAGMA foreign_keys = ON");
  raw.prepare(
    "INSERT INTO profiles (id, kind, name, language, exclusions, max_comfort, created_at) VALUES (?, 'walk-in', ?, 'es', '[\"masseter-left\"]', 6, ?)",
  ).run(`p-${id}`, `K${id}`, t);
  store.startSession({ id, routine: "gentle-depuff", startedAt: t, comfort: 4, operatorCapUa: 300 });
  raw.prepare("UPDATE sessions SET profile_id = ? WHERE id = ?").run(`p-${id}`, id);
  store.recordScreening({
    sessionId: id,
    recordedAt: t + 1,
    answers: { pregnancy: false },
    contraindicated: false,
    consent: true,
    consentBy: "client",
  });
  store.updateSession(id, { stimulationMs: 500, maxCurrentUa: 40, at: t + 600 });
  store.audit({ at: t + 700, action: "cap", actor: "operator", sessionId: id, detail: { capUa: 200 } });
  store.endSession(id, { endedAt: t + 2000, endReason: "completed", stimulationMs: 1500, maxCurrentUa: 90 });
  store.recordTelemetry({
    sessionId: id,
    samples: 100,
    contactSamples: 97,
    meanImpedanceOhm: 4100.5,
    maxMeasuredUa: 88,
    minBatteryPct: 71,
    faults: ["none"],
  });
  raw.prepare("INSERT INTO session_summaries (session_id, summary) VALUES (?, ?)").run(
    id,
    JSON.stringify({ passes: 3, zones: { "cheek-left": 40000 } }),
  );
  raw.close();
}
