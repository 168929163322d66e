/** The summary and history pages' pure parts: plain words for outcomes, areas and the next session, the CSV and JSON export, and the catalogue. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import type { Schedule, SessionHistoryItem } from "../../core/session/mod.ts";
import { LANGUAGES } from "../../kiosk/ui/i18n.ts";
import { SUMMARY } from "../../kiosk/ui/i18n/summary.ts";
import { csvField, exportFileName, historyCsv, historyJson } from "../../kiosk/ui/history_export.ts";
import {
  areaRows,
  clock,
  endWords,
  nextWords,
  outcomeOf,
  streakWords,
  targetWords,
} from "../../kiosk/ui/summary_words.ts";
import { coverageSpots, mapPoint } from "../../kiosk/ui/CoverageMap.tsx";

test("outcomes: a refused screening, a finished routine, an end by the person or staff, the time limit, a stop", () => {
  const table: [string | null, boolean, string][] = [
    ["aborted:screening", false, "screening"],
    ["ended", true, "complete"],
    ["ended", false, "user"],
    ["user-end", false, "user"],
    ["operator-end", false, "operator"],
    ["session-time", false, "time"],
    ["estop", false, "stopped"],
    ["crashed", false, "stopped"],
    ["aborted:estop", false, "stopped"],
    [null, false, "running"],
  ];
  for (const [reason, completed, want] of table) {
    assert.is(outcomeOf(reason, completed), want, String(reason));
  }
  assert.equal(
    endWords({ endReason: "aborted:screening", completed: false, stimulationMs: 0 }, "en").title,
    "No treatment this time",
  );
  assert.equal(
    endWords({ endReason: "ended", completed: true, stimulationMs: 5000 }, "es").title,
    "Bien hecho: rutina completada",
  );
});

test("areas by time, most first, in the person's words, with their share of the most treated", () => {
  assert.equal(areaRows({ chin: 1000, "cheek-left": 4000, other: 500 }, "en"), [
    { zone: "cheek-left", name: "Right cheek", ms: 4000, share: 1 },
    { zone: "chin", name: "Chin", ms: 1000, share: 0.25 },
    { zone: "other", name: "Elsewhere", ms: 500, share: 0.125 },
  ]);
  assert.is(areaRows({ "cheek-left": 1 }, "es")[0]!.name, "Mejilla derecha");
});

test("clock: whole seconds, never rounded up to the next minute", () => {
  assert.equal([0, 999, 59_999, 60_000, 754_321].map(clock), ["0:00", "0:00", "0:59", "1:00", "12:34"]);
});

const schedule = (over: Partial<Schedule> = {}): Schedule => ({
  phase: "loading",
  target: { min: 5, max: 5 },
  done: 2,
  weekStart: "2026-11-30",
  nextDay: "2026-12-03",
  streakWeeks: 0,
  firstDay: "2026-11-02",
  maintenanceFrom: "2027-01-04",
  sessions: 10,
  ...over,
});

test("the next session in words: today, tomorrow, a day, or the week done", () => {
  const today = "2026-12-03";
  assert.is(nextWords(schedule(), today, "en"), "Next session: today");
  assert.is(nextWords(schedule({ nextDay: "2026-12-04" }), today, "en"), "Next session: tomorrow");
  assert.is(
    nextWords(
      schedule({ nextDay: "2026-12-05", phase: "maintenance", target: { min: 2, max: 3 } }),
      today,
      "en",
    ),
    "Next session: Saturday, December 5",
  );
  assert.is(
    nextWords(schedule({ done: 5, nextDay: "2026-12-07" }), today, "en"),
    "This week is done. Next session: Monday, December 7",
  );
  assert.is(nextWords(schedule({ nextDay: "2026-12-04" }), today, "es"), "Próxima sesión: mañana");
  assert.is(targetWords({ min: 2, max: 3 }), "2–3");
  assert.is(streakWords(3, "en"), "3 weeks in a row on track");
});

const item = (over: Partial<SessionHistoryItem> = {}): SessionHistoryItem => ({
  id: "s1",
  routine: "express-lift",
  startedAt: Date.parse("2026-12-02T09:05:00Z"),
  endedAt: Date.parse("2026-12-02T09:15:00Z"),
  endReason: "ended",
  stimulationMs: 390_000,
  maxUa: 212.4,
  zones: { chin: 60_000, "cheek-left": 330_000 },
  passesDone: 12,
  passes: 12,
  completed: true,
  ...over,
});

test("CSV: a heading row in the person's language, one row a session oldest first, local dates, CRLF", () => {
  const csv = historyCsv([
    item({ id: "b", startedAt: Date.parse("2026-12-02T23:30:00Z") }),
    item({ id: "a" }),
  ], {
    lang: "en",
    utcOffsetMin: 60,
    routineNames: { "express-lift": "Express lift (8 min)" },
  });
  assert.is(
    csv,
    "date,start,routine,minutes treated,areas,passes done,passes,complete,how it ended,peak current (µA)\r\n" +
      '2026-12-02,10:05,Express lift (8 min),6.5,"right cheek 5.5; chin 1.0",12,12,yes,You finished every step.,212\r\n' +
      '2026-12-03,00:30,Express lift (8 min),6.5,"right cheek 5.5; chin 1.0",12,12,yes,You finished every step.,212\r\n',
  );
  const es = historyCsv([item({ completed: false, endReason: "user-end", routine: "gentle-depuff" })], {
    lang: "es",
    utcOffsetMin: 0,
  });
  assert.match(
    es,
    /^fecha,inicio,rutina,minutos de tratamiento,zonas,pasadas hechas,pasadas,completa,cómo terminó,/,
  );
  assert.match(
    es,
    /,gentle-depuff,6\.5,"mejilla derecha 5\.5; barbilla 1\.0",12,12,no,Terminaste la sesión\.,212\r\n$/,
  );
});

test("CSV fields: quoted when they hold a separator, quote or line break; never read as a formula", () => {
  assert.is(csvField("plain"), "plain");
  assert.is(csvField('say "hi", ok'), '"say ""hi"", ok"');
  assert.is(csvField("a\nb"), '"a\nb"');
  assert.is(csvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  assert.is(csvField("-1"), "'-1");
  assert.is(csvField(-1), "-1", "a number is a number");
  fc.assert(
    fc.property(fc.string(), (s) => {
      const f = csvField(s);
      // A reader that undoes RFC 4180 quoting gets the text back (with the apostrophe, if one was added).
      const back = f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f;
      assert.ok(back === s || back === `'${s}`, JSON.stringify([s, f]));
      if (!f.startsWith('"')) assert.not.match(f, /[",\r\n;]/);
      assert.not.match(back.replace(/^'/, "x"), /^[=+\-@\t\r]/);
    }),
    { numRuns: 1000 },
  );
});

test("JSON: what the kiosk sent, with what the file is and when it was made", () => {
  const history = { profileId: "p1", sessions: [item()], schedule: schedule() };
  const out = JSON.parse(historyJson(history, Date.parse("2026-12-03T10:00:00Z")));
  assert.equal(out, {
    format: "glidepath-history",
    version: 1,
    exportedAt: "2026-12-03T10:00:00.000Z",
    ...history,
  });
  assert.is(exportFileName("csv", "2026-12-03"), "glidepath-history-2026-12-03.csv");
});

test("the map is a mirror: the person's right cheek (u < 0.5) is drawn on the right, and only cells with time glow", () => {
  const [xRightCheek] = mapPoint(0.277, 0.532, 100, 100);
  const [xLeftCheek] = mapPoint(0.723, 0.532, 100, 100);
  assert.ok(xRightCheek > 50 && xLeftCheek < 50, `${xRightCheek} ${xLeftCheek}`);
  const ms = Array(4).fill(0);
  ms[1] = 100;
  ms[2] = 25;
  const spots = coverageSpots({ cols: 2, rows: 2, u0: 0, u1: 1, v0: 0, v1: 1, ms });
  assert.equal(spots, [{ u: 0.75, v: 0.25, k: 1 }, { u: 0.25, v: 0.75, k: 0.5 }]);
});

test("the catalogue has every text in every language, with the same placeholders", () => {
  const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
  for (const lang of LANGUAGES) {
    for (const [key, en] of Object.entries(SUMMARY.en)) {
      const text = (SUMMARY[lang] as Record<string, string>)[key];
      assert.type(text, "string", `${lang}: ${key}`);
      assert.is(holes(text!), holes(en), `${lang}: ${key}`);
    }
  }
});

test.run();
