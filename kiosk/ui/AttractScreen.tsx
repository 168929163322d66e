/** The attract screen a station shows when nobody is at it: a large clock, what the station does, "Touch to start"; any tap or key goes on. */
import { useEffect, useState } from "preact/hooks";
import { LatchNotice } from "./LatchNotice.tsx";
import { language, messagesFor } from "./i18n.ts";
import { STATION } from "./i18n/station.ts";
import { leaveAttract } from "./idle_watch.ts";
import { screen } from "./journey.ts";
import { hello } from "./state.ts";

const t = messagesFor(STATION);

/** Keys that only move the focus or modify another key: they do not start anything. */
const PASSIVE_KEYS = new Set(["Tab", "Shift", "Control", "Alt", "Meta", "CapsLock", "Fn"]);

/** The time on the station's clock, re-read every second (the text changes once a minute). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The attract screen. No session is live while it shows (journey.ts shows the mirror and its stop for a live one),
 * so it has no stop button; a latched stop is still explained here. The camera is off: the mirror is not mounted.
 */
export function AttractScreen() {
  const now = useNow();
  const lang = language.value;
  const salon = hello.value?.station === "salon";
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Enter and Space on a focused button are its click (Staff, Touch to start); Tab moves the focus.
      const onButton = (e.target as Element | null)?.closest?.("button") != null;
      if (PASSIVE_KEYS.has(e.key) || (onButton && (e.key === "Enter" || e.key === " "))) return;
      e.preventDefault();
      leaveAttract();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  // The browser's own locale where it speaks the page's language (en-GB keeps its 24-hour clock), else the language.
  const locale = navigator.language.split("-")[0] === lang ? navigator.language : lang;
  const parts = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).formatToParts(now);
  const time = parts.filter((p) => p.type !== "dayPeriod").map((p) => p.value).join("").trim();
  const period = parts.find((p) => p.type === "dayPeriod")?.value;
  const date = new Intl.DateTimeFormat(locale, { weekday: "long", day: "numeric", month: "long" }).format(
    now,
  );
  return (
    <main class="attract" data-testid="attract" onClick={leaveAttract}>
      <div class="attract-clock">
        <time class="attract-time" data-testid="attract-time" dateTime={new Date(now).toISOString()}>
          {time}
          {period && <span class="attract-period">{period}</span>}
        </time>
        <div class="attract-date">{date}</div>
      </div>
      <p class="attract-what" data-testid="attract-what">{t(salon ? "attract.salon" : "attract.home")}</p>
      <button
        type="button"
        class="attract-go"
        data-testid="attract-go"
        autoFocus
        onClick={(e) => {
          e.stopPropagation();
          leaveAttract();
        }}
      >
        {t("attract.touch")}
      </button>
      <p class="attract-note">{t("attract.camera")}</p>
      <LatchNotice />
      <button
        type="button"
        class="attract-staff"
        data-testid="attract-staff"
        onClick={(e) => {
          e.stopPropagation();
          screen.value = "staff";
        }}
      >
        {t("attract.staff")}
      </button>
    </main>
  );
}
