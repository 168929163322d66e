/** Messages of the first-run guide (gel, probes, what the mirror shows, how to stop) and of the calibration checklist before the first stroke (texts: onboarding.json). */
import { catalogue } from "../i18n.ts";
import messages from "./onboarding.json" with { type: "json" };

/** The guide's and the calibration checklist's messages, English and Spanish. */
export const ONBOARDING = catalogue(messages);
