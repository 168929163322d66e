/** The screening questions shown before a session: the engine's contraindications (their words: i18n/screening.ts), and the rule that every one is answered. */
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";
import { SCREENING, type ScreeningQuestion } from "./i18n/screening.ts";

/** One screening question id (a key of the engine's CONTRAINDICATIONS). */
export type { ScreeningQuestion };

/** Answers so far: a question is absent until the user answers yes (true) or no (false). */
export type ScreeningAnswers = Partial<Record<ScreeningQuestion, boolean>>;

/** The questions in English, one per contraindication (every language: kiosk/ui/i18n/screening.ts). */
export const SCREENING_LABELS: Readonly<Record<ScreeningQuestion, string>> = SCREENING.en;

/** The questions in the engine's order. */
export const SCREENING_QUESTIONS: readonly ScreeningQuestion[] = CONTRAINDICATIONS;

/** True when every question has an explicit yes or no. */
export function screeningComplete(answers: ScreeningAnswers): boolean {
  return SCREENING_QUESTIONS.every((q) => typeof answers[q] === "boolean");
}

/** True when any answer is yes (the engine then gives no output for the session, DESIGN §3 rule 8). */
export function screeningContraindicated(answers: ScreeningAnswers): boolean {
  return SCREENING_QUESTIONS.some((q) => answers[q] === true);
}

/**
 * The screening object for a start message: every question as an explicit boolean.
 * Throws a TypeError naming the first unanswered question, so a default can never stand in for an answer.
 */
export function screeningPayload(answers: ScreeningAnswers): Record<ScreeningQuestion, boolean> {
  const out = {} as Record<ScreeningQuestion, boolean>;
  for (const q of SCREENING_QUESTIONS) {
    const a = answers[q];
    if (typeof a !== "boolean") {
      throw new TypeError(`Cannot start: screening question "${q}" is not answered`);
    }
    out[q] = a;
  }
  return out;
}
