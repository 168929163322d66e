/** A person's history as files for their own records: CSV (one row a session, in their language) and JSON (everything the kiosk sent). */
import type { Schedule, SessionHistoryItem } from "../../core/session/mod.ts";
import { type Language, messagesFor } from "./i18n.ts";
import { SUMMARY } from "./i18n/summary.ts";
import { areaName, outcomeOf } from "./summary_words.ts";

const t = messagesFor(SUMMARY);

/** Options for the serialisers. */
export interface ExportOptions {
  /** Language of the CSV's headings, area names and words. */
  lang: Language;
  /** Local time minus UTC in minutes, for the dates and times written (the page passes its own). */
  utcOffsetMin: number;
  /** Routine names by id (the hello's list); an unknown id is written as it is. */
  routineNames?: Readonly<Record<string, string>>;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, semicolon or line break, quotes doubled; a field
 * a spreadsheet would run as a formula (= + - @ at the start, or a tab or return) gets a leading apostrophe.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function local(epochMs: number, offsetMin: number): { date: string; time: string } {
  const iso = new Date(epochMs + offsetMin * 60_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** The history as CSV: a heading row, then one row a session, oldest first; lines end with CRLF. */
export function historyCsv(sessions: readonly SessionHistoryItem[], options: ExportOptions): string {
  const { lang, utcOffsetMin } = options;
  const heading = [
    "csv.date",
    "csv.start",
    "csv.routine",
    "csv.minutes",
    "csv.areas",
    "csv.passesDone",
    "csv.passes",
    "csv.completed",
    "csv.end",
    "csv.peak",
  ] as const;
  const rows = [heading.map((k) => t(k, undefined, lang))];
  for (const s of [...sessions].sort((a, b) => a.startedAt - b.startedAt)) {
    const { date, time } = local(s.startedAt, utcOffsetMin);
    const areas = Object.entries(s.zones).sort((a, b) => b[1] - a[1])
      .map(([zone, ms]) => `${areaName(zone, lang)} ${(ms / 60_000).toFixed(1)}`).join("; ");
    const outcome = outcomeOf(s.endReason, s.completed);
    rows.push([
      date,
      time,
      options.routineNames?.[s.routine] ?? s.routine,
      (s.stimulationMs / 60_000).toFixed(1),
      areas,
      String(s.passesDone),
      String(s.passes),
      t(s.completed ? "csv.yes" : "csv.no", undefined, lang),
      t(`end.${outcome}`, undefined, lang),
      s.maxUa.toFixed(0),
    ]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** The history as JSON: the kiosk's own fields (ids, epoch ms, µA) with a header saying what the file is. */
export function historyJson(
  history: { profileId: string; sessions: readonly SessionHistoryItem[]; schedule: Schedule },
  exportedAt: number,
): string {
  return JSON.stringify(
    {
      format: "glidepath-history",
      version: 1,
      exportedAt: new Date(exportedAt).toISOString(),
      profileId: history.profileId,
      schedule: history.schedule,
      sessions: history.sessions,
    },
    null,
    2,
  ) + "\n";
}

/** The download's file name: "glidepath-history-2026-12-03.csv". */
export function exportFileName(kind: "csv" | "json", today: string): string {
  return `glidepath-history-${today}.${kind}`;
}
