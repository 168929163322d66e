/** After a session: how it ended, time per area, passes, a chart of the strength over time and a map of where the treatment was given; units only in the staff view. */
import { signal } from "@preact/signals";
import type { SummaryView } from "../../core/session/mod.ts";
import { CoverageMap } from "./CoverageMap.tsx";
import { LatchNotice } from "./LatchNotice.tsx";
import { lockOperator } from "./connection.ts";
import { language, messagesFor } from "./i18n.ts";
import { SUMMARY } from "./i18n/summary.ts";
import { type Screen, screen } from "./journey.ts";
import { visitOver } from "./idle_watch.ts";
import { hello, operator } from "./state.ts";
import { SummaryChart } from "./SummaryChart.tsx";
import { forgetRecords, requestHistory, sessionSummary } from "./summary_state.ts";
import { areaName, areaRows, capitalise, clock, endWords, passTotals } from "./summary_words.ts";
import { PinForm } from "./PinForm.tsx";

const t = messagesFor(SUMMARY);

/** Where Done goes: the start of the journey (the salon's attract screen, the home mirror's profiles). */
export function journeyStart(): Screen {
  const station = (hello.value as { station?: unknown } | null)?.station;
  return station === "salon" ? "attract" : "profiles";
}

/**
 * Leaves the records screens: nothing of this person's stays on the page. At a salon the client's visit is over
 * (the station forgets them and shows the attract screen); at home the mirror asks who is next.
 */
export function finishRecords(): void {
  forgetRecords();
  if (journeyStart() === "attract") visitOver();
  else screen.value = journeyStart();
}

/** Back to the mirror for another session of the same person (at a salon, the same visit: screened once). */
export function sessionAgain(): void {
  forgetRecords();
  screen.value = "session";
}

/** Opens the history of the selected profile. */
export function openHistory(): void {
  screen.value = "history";
  requestHistory();
}

/** The summary screen. */
export function SummaryScreen() {
  const asked = sessionSummary.value;
  void language.value; // re-render on a language change
  return (
    <main class="records summary" data-testid="summary" aria-live="polite">
      {/* A stop still latched after the session is explained here too: staff must reset it. */}
      <LatchNotice />
      {asked.state === "ready" ? <SummaryBody s={asked.value} /> : (
        <header class="records-head">
          <h1>{t("title.ended")}</h1>
          <p class="lead" data-testid="summary-status">
            {asked.state === "error" ? t("summary.error") : t("summary.loading")}
          </p>
        </header>
      )}
      <nav class="records-actions">
        <button type="button" onClick={openHistory} data-testid="to-history">{t("button.history")}</button>
        <button type="button" onClick={sessionAgain} data-testid="summary-again">{t("button.again")}</button>
        <button type="button" class="primary" onClick={finishRecords} data-testid="summary-done">
          {t("button.done")}
        </button>
      </nav>
    </main>
  );
}

function SummaryBody({ s }: { s: SummaryView }) {
  const words = endWords(s);
  const areas = areaRows(s.zones);
  const passes = passTotals(s);
  const routine = hello.value?.routines.find((r) => r.id === s.routine)?.name;
  return (
    <>
      <header class="records-head">
        <h1 data-testid="summary-title">{words.title}</h1>
        <p class="lead" data-testid="summary-end" data-outcome={words.outcome}>{words.lead}</p>
        {routine && <p class="hint">{routine}</p>}
      </header>
      <section class="stats" aria-label={t("stat.time")}>
        <Stat value={clock(s.stimulationMs)} label={t("stat.time")} testid="summary-time" />
        <Stat value={String(areas.length)} label={t("stat.areas")} testid="summary-area-count" />
        {passes.total > 0 && (
          <Stat value={t("stat.of", passes)} label={t("stat.passes")} testid="summary-passes" />
        )}
      </section>
      <section class="panel areas" aria-labelledby="areas-title">
        <h2 id="areas-title">{t("zones.title")}</h2>
        {areas.length === 0 ? <p>{t("zones.none")}</p> : (
          <ul class="area-list" data-testid="summary-areas">
            {areas.map((a) => (
              <li key={a.zone} data-zone={a.zone}>
                <span class="area-name">{a.name}</span>
                <span class="area-time">{clock(a.ms)}</span>
                <span class="area-bar" aria-hidden="true">
                  <span style={{ width: `${Math.max(4, a.share * 100)}%` }} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="panel map" aria-labelledby="map-title">
        <h2 id="map-title">{t("map.title")}</h2>
        <CoverageMap coverage={s.coverage} label={t("map.label")} />
        <p class="map-sides" aria-hidden="true">
          <span>{t("map.left")}</span>
          <span>{t("map.right")}</span>
        </p>
        <p class="hint">{t("map.hint")}</p>
      </section>
      <section class="panel chart-panel" aria-labelledby="chart-title">
        <h2 id="chart-title">{t("chart.title")}</h2>
        <div class="chart-frame">
          <span class="chart-scale" aria-hidden="true">
            <span>{t("chart.strong")}</span>
            <span>{t("chart.gentle")}</span>
          </span>
          <SummaryChart series={s.series} label={t("chart.label", { time: clock(s.durationMs) })} />
        </div>
        <p class="chart-time" aria-hidden="true">
          <span>0:00</span>
          <span>{clock(s.durationMs)}</span>
        </p>
      </section>
      {s.steps.length > 0 && (
        <section class="panel steps" aria-labelledby="steps-title">
          <h2 id="steps-title">{t("steps.title")}</h2>
          <ol class="step-list" data-testid="summary-steps">
            {s.steps.map((step) => (
              <li key={step.index} data-done={step.passesDone >= step.passes}>
                <span>{step.index + 1}. {capitalise(areaName(step.zone))}</span>
                <span>{t("steps.passes", { done: step.passesDone, total: step.passes })}</span>
              </li>
            ))}
          </ol>
          {s.stepCount > s.steps.length && (
            <p class="hint">{t("steps.left", { count: s.stepCount - s.steps.length })}</p>
          )}
        </section>
      )}
      <StaffFigures s={s} />
    </>
  );
}

function Stat({ value, label, testid }: { value: string; label: string; testid: string }) {
  return (
    <div class="stat">
      <span class="stat-value" data-testid={testid}>{value}</span>
      <span class="stat-label">{label}</span>
    </div>
  );
}

const pin = signal("");

/** The figures with units (current, ids, the recorded end reason), behind the operator PIN. */
function StaffFigures({ s }: { s: SummaryView }) {
  const { unlocked } = operator.value;
  const treated = s.series.meanUa.filter((ua) => ua > 0);
  const mean = treated.length ? treated.reduce((a, b) => a + b, 0) / treated.length : 0;
  return (
    <details class="panel staff" data-testid="summary-staff">
      <summary>{t("staff.title")}</summary>
      {unlocked
        ? (
          <dl class="staff-figures">
            <dt>{t("staff.peak")}</dt>
            <dd data-testid="staff-peak">{s.maxUa.toFixed(0)} µA</dd>
            <dt>{t("staff.mean")}</dt>
            <dd>{mean.toFixed(0)} µA</dd>
            <dt>{t("staff.duration")}</dt>
            <dd>{clock(s.durationMs)}</dd>
            <dt>{t("staff.end")}</dt>
            <dd>{s.endReason ?? "—"}</dd>
            <dt>{t("staff.session")}</dt>
            <dd>{s.sessionId}</dd>
            <dd>
              <button type="button" onClick={lockOperator}>{t("staff.lock")}</button>
            </dd>
          </dl>
        )
        : (
          <PinForm
            pin={pin}
            class="staff-unlock"
            label={t("staff.pin")}
            unlock={t("staff.unlock")}
            testId="summary"
          />
        )}
    </details>
  );
}
