/** The summary and history in plain words: how a session ended, time per area, steps, dates and the next session, in the page's language. */
import type { Schedule, SessionSummary } from "../../core/session/mod.ts";
import type { Language } from "./i18n.ts";
import { messagesFor } from "./i18n.ts";
import { SUMMARY, type SummaryKey } from "./i18n/summary.ts";
import { zoneName } from "./i18n/zones.ts";

const t = messagesFor(SUMMARY);

/** How a session ended, as the screen tells it. */
export type Outcome = "complete" | "user" | "operator" | "time" | "screening" | "stopped" | "running";

/** The outcome of a recorded end reason (null: still running); `completed` is the summary's. */
export function outcomeOf(endReason: string | null, completed: boolean): Outcome {
  if (endReason === null) return "running";
  if (endReason.startsWith("aborted:screening")) return "screening";
  if (completed) return "complete";
  if (endReason === "user-end") return "user";
  if (endReason === "operator-end") return "operator";
  if (endReason === "session-time") return "time";
  // "ended" without a completed routine is the free routine ended by its own end event.
  if (endReason === "ended") return "user";
  return "stopped";
}

/** The heading and the sentence under it for a summary. */
export function endWords(
  s: Pick<SessionSummary, "endReason" | "completed" | "stimulationMs">,
  lang?: Language,
) {
  const outcome = outcomeOf(s.endReason, s.completed);
  const title: SummaryKey = outcome === "running"
    ? "title.running"
    : outcome === "screening" || s.stimulationMs === 0
    ? "title.none"
    : outcome === "complete"
    ? "title.complete"
    : outcome === "stopped"
    ? "title.early"
    : "title.ended";
  return { outcome, title: t(title, undefined, lang), lead: t(`end.${outcome}`, undefined, lang) };
}

/** A zone's plain name, "elsewhere" for output the map did not place. */
export function areaName(zone: string, lang?: Language): string {
  return zone === "other" ? t("zone.other", undefined, lang) : zoneName(zone, lang);
}

/** Capitalised first letter (names are lower-case mid-sentence, a list starts with a capital). */
export function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

/** Areas by time, most first, with each one's share of the most treated area (for bars). */
export function areaRows(zones: Record<string, number>, lang?: Language) {
  const rows = Object.entries(zones).filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]);
  const top = rows[0]?.[1] ?? 1;
  return rows.map(([zone, ms]) => ({ zone, name: capitalise(areaName(zone, lang)), ms, share: ms / top }));
}

/** Minutes and seconds, "4:05"; whole seconds, rounded down so 59.9 s of treatment never reads as a minute. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Passes done and asked over the steps reached. */
export function passTotals(s: Pick<SessionSummary, "steps">): { done: number; total: number } {
  return s.steps.reduce((n, x) => ({ done: n.done + x.passesDone, total: n.total + x.passes }), {
    done: 0,
    total: 0,
  });
}

/** A calendar day "YYYY-MM-DD" as the person says it ("Thursday 3 December"). */
export function dayWords(day: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" })
    .format(new Date(`${day}T12:00:00Z`));
}

/** A local time of day and date for a session start (epoch ms), in the page's time zone. */
export function startWords(epochMs: number, lang: Language): { date: string; time: string } {
  const d = new Date(epochMs);
  return {
    date: new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short", year: "numeric" })
      .format(d),
    time: new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }).format(d),
  };
}

/** The reminder of the next session: today, tomorrow, or the day; after a week's sessions are done, says so. */
export function nextWords(schedule: Schedule, today: string, lang: Language): string {
  const next = schedule.nextDay;
  if (next <= today) return t("next.today", undefined, lang);
  const tomorrow = new Date(Date.parse(`${today}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  if (schedule.done >= schedule.target.max && schedule.phase !== "start") {
    return t("next.weekDone", { day: dayWords(next, lang) }, lang);
  }
  if (next === tomorrow) return t("next.tomorrow", undefined, lang);
  return t("next.day", { day: dayWords(next, lang) }, lang);
}

/** The week's goal as a number or a range ("5", "2–3"). */
export function targetWords(target: Schedule["target"]): string {
  return target.min === target.max ? String(target.min) : `${target.min}–${target.max}`;
}

/** The streak in words. */
export function streakWords(weeks: number, lang?: Language): string {
  if (weeks <= 0) return t("streak.none", undefined, lang);
  return weeks === 1 ? t("streak.one", undefined, lang) : t("streak.many", { count: weeks }, lang);
}

/** The phase sentence of the plan. */
export function planWords(schedule: Schedule, lang: Language): string {
  if (schedule.phase === "start") return t("schedule.start", undefined, lang);
  if (schedule.phase === "maintenance") return t("schedule.maintenance", undefined, lang);
  return t("schedule.loading", { date: dayWords(schedule.maintenanceFrom ?? schedule.nextDay, lang) }, lang);
}

/** How long ago `then` was, in plain words ("just now", "5 min ago", "2 h ago", "3 days ago"). */
export function agoWords(then: number, now: number, lang?: Language): string {
  const min = Math.max(0, Math.floor((now - then) / 60_000));
  if (min < 1) return t("central.justNow", undefined, lang);
  if (min < 60) return t("central.minutes", { count: min }, lang);
  if (min < 48 * 60) return t("central.hours", { count: Math.floor(min / 60) }, lang);
  return t("central.days", { count: Math.floor(min / 1440) }, lang);
}

/** Today in the page's time zone, "YYYY-MM-DD". */
export function localToday(now = Date.now()): string {
  return new Date(now - new Date(now).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
