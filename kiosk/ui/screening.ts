/** The screening questions shown before a session: plain-language labels for the engine's contraindications, and the rule that every one is answered. */
import { CONTRAINDICATIONS } from "../../core/engine/envelope.ts";

/** One screening question id (a key of the engine's CONTRAINDICATIONS). */
export type ScreeningQuestion = typeof CONTRAINDICATIONS[number];

/** Answers so far: a question is absent until the user answers yes (true) or no (false). */
export type ScreeningAnswers = Partial<Record<ScreeningQuestion, boolean>>;

/** Plain-language questions, one per contraindication; every key of CONTRAINDICATIONS has one. */
export const SCREENING_LABELS: Record<ScreeningQuestion, string> = {
  implantedElectronicDevice:
    "Do you have an implanted electronic device (for example an insulin pump or neurostimulator)?",
  pacemaker: "Do you have a pacemaker or a heart defibrillator?",
  pregnancy: "Are you pregnant, or might you be?",
  epilepsy: "Do you have epilepsy or a history of seizures?",
  activeCancer: "Are you being treated for cancer, or have you had cancer in the last five years?",
  under18: "Are you under 18 years old?",
  brokenSkinOrRecentSurgeryOrFiller:
    "Do you have broken or irritated skin on the face, or facial surgery, fillers or injections in the last two weeks?",
  metalImplantsInFace:
    "Do you have metal implants in your face or jaw, such as plates or pins (not fillings or braces)?",
};

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
