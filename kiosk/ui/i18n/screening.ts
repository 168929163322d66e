/** The screening questions in plain words (texts: screening.json), one per engine contraindication (core/engine/envelope.ts CONTRAINDICATIONS). */
import type { CONTRAINDICATIONS } from "../../../core/engine/envelope.ts";
import { type Catalogue, catalogue } from "../i18n.ts";
import messages from "./screening.json" with { type: "json" };

/** One screening question id (a key of the engine's CONTRAINDICATIONS). */
export type ScreeningQuestion = typeof CONTRAINDICATIONS[number];

/** The questions, English and Spanish; typed on CONTRAINDICATIONS so a new contraindication cannot go unasked. */
export const SCREENING: Catalogue<ScreeningQuestion> = catalogue(messages);
