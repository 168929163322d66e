/** A profile's history: this week against the plan, the streak, the next session, past sessions by date, and a copy to download (CSV, JSON). */
import { type Language, language, messagesFor } from "./i18n.ts";
import { SUMMARY } from "./i18n/summary.ts";
import { screen } from "./journey.ts";
import { hello } from "./state.ts";
import { exportFileName, historyCsv, historyJson } from "./history_export.ts";
import { finishRecords } from "./SummaryScreen.tsx";
import { LatchNotice } from "./LatchNotice.tsx";
import { type History, sessionHistory, sessionSummary, type StationHistoryItem } from "./summary_state.ts";
import {
  agoWords,
  areaName,
  clock,
  localToday,
  nextWords,
  outcomeOf,
  planWords,
  startWords,
  streakWords,
  targetWords,
} from "./summary_words.ts";

const t = messagesFor(SUMMARY);

/** Hands a file to the browser's downloads (a Blob URL on a link with `download`, then released). */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function routineNames(): Record<string, string> {
  return Object.fromEntries((hello.value?.routines ?? []).map((r) => [r.id, r.name]));
}

/** The history screen. */
export function HistoryScreen() {
  const asked = sessionHistory.value;
  const lang = language.value;
  const back = sessionSummary.value.state !== "idle";
  return (
    <main class="records history" data-testid="history" aria-live="polite">
      <LatchNotice />
      <header class="records-head">
        <h1>{t("history.title")}</h1>
        {asked.state !== "ready" && (
          <p class="lead" data-testid="history-status">
            {asked.state === "error"
              ? asked.field === "profile" ? t("history.needsProfile") : t("history.error")
              : t("history.loading")}
          </p>
        )}
      </header>
      {asked.state === "ready" && <HistoryBody h={asked.value} lang={lang} />}
      <nav class="records-actions">
        {back && (
          <button type="button" onClick={() => (screen.value = "summary")} data-testid="history-back">
            {t("button.back")}
          </button>
        )}
        <button type="button" class="primary" onClick={finishRecords} data-testid="history-done">
          {t("button.done")}
        </button>
      </nav>
    </main>
  );
}

function HistoryBody({ h, lang }: { h: History; lang: Language }) {
  const s = h.schedule;
  const today = localToday();
  const offset = -new Date().getTimezoneOffset();
  const names = routineNames();
  const target = s.target.max;
  return (
    <>
      <section
        class="panel plan"
        aria-labelledby="plan-title"
        data-testid="schedule"
        data-sessions={s.sessions}
      >
        <h2 id="plan-title">{t("schedule.title")}</h2>
        <p class="plan-progress" data-testid="schedule-progress">
          {t("schedule.progress", { done: s.done, target: targetWords(s.target) })}
        </p>
        <div class="plan-dots" aria-hidden="true">
          {Array.from(
            { length: Math.max(target, s.done) },
            (_, i) => (
              <span key={i} class={i < s.done ? "dot done" : i < s.target.min ? "dot" : "dot optional"} />
            ),
          )}
        </div>
        <p class="plan-next" data-testid="next-session">{nextWords(s, today, lang)}</p>
        <p class="plan-streak" data-testid="streak">{streakWords(s.streakWeeks)}</p>
        <p class="hint">{planWords(s, lang)}</p>
      </section>
      <section class="panel export" aria-labelledby="export-title">
        <h2 id="export-title">{t("export.title")}</h2>
        <p class="hint">{t("export.hint")}</p>
        <div class="export-buttons">
          <button
            type="button"
            data-testid="export-csv"
            onClick={() =>
              download(
                exportFileName("csv", today),
                "text/csv;charset=utf-8",
                // A byte-order mark, so a spreadsheet reads the accents as UTF-8.
                "\ufeff" + historyCsv(h.sessions, { lang, utcOffsetMin: offset, routineNames: names }),
              )}
          >
            {t("export.csv")}
          </button>
          <button
            type="button"
            data-testid="export-json"
            onClick={() =>
              download(exportFileName("json", today), "application/json", historyJson(h, Date.now()))}
          >
            {t("export.json")}
          </button>
        </div>
      </section>
      <section class="panel sessions" aria-labelledby="list-title">
        <h2 id="list-title">{t("list.title")}</h2>
        {h.central && (
          <p class="hint" data-testid="history-central" data-pulled-at={h.central.pulledAt}>
            {t("central.copy", { age: agoWords(h.central.pulledAt, Date.now(), lang) })}
          </p>
        )}
        {h.sessions.length === 0
          ? <p>{t("history.empty")}</p>
          : (
            <ol class="session-list" data-testid="history-sessions">
              {h.sessions.map((item) => (
                <SessionRow
                  key={`${item.station ?? ""} ${item.id}`}
                  item={item}
                  lang={lang}
                  names={names}
                  elsewhere={h.central !== null}
                />
              ))}
            </ol>
          )}
      </section>
    </>
  );
}

function SessionRow(
  { item, lang, names, elsewhere }: {
    item: StationHistoryItem;
    lang: Language;
    names: Record<string, string>;
    /** Sessions of other stations are listed too: each row says where it was recorded. */
    elsewhere: boolean;
  },
) {
  const { date, time } = startWords(item.startedAt, lang);
  const outcome = outcomeOf(item.endReason, item.completed);
  const state = item.stimulationMs === 0
    ? "none"
    : outcome === "complete"
    ? "complete"
    : outcome === "stopped"
    ? "stopped"
    : null;
  const areas = Object.entries(item.zones).sort((a, b) => b[1] - a[1]).map(([z]) => areaName(z, lang));
  return (
    <li class="session-row" data-session={item.id} data-station={item.station ?? "here"}>
      <span class="session-when">
        <strong>{date}</strong> {time}
      </span>
      <span class="session-what">
        {names[item.routine] ?? item.routine} · {t("list.treated", { time: clock(item.stimulationMs) })}
        {state && <span class={`badge badge-${state}`}>{t(`list.${state}`)}</span>}
      </span>
      {areas.length > 0 && <span class="session-areas">{areas.join(", ")}</span>}
      {elsewhere && (
        <span class="session-station" data-testid="session-station">
          {item.station === null ? t("list.here") : t("list.at", { station: item.station })}
        </span>
      )}
    </li>
  );
}
