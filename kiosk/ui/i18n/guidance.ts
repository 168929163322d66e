/** Messages of the guidance panel and the live cues: the step, the area, hold and what is left, and the spoken move and hold words (texts: guidance.json). */
import { catalogue } from "../i18n.ts";
import messages from "./guidance.json" with { type: "json" };

/** The guidance panel's and the cues' messages, English and Spanish. */
export const GUIDANCE = catalogue(messages);
