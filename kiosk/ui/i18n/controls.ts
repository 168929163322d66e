/** Messages of the session controls: routine, strength, screening and consent, the buttons and why Start waits (texts: controls.json). */
import { catalogue } from "../i18n.ts";
import messages from "./controls.json" with { type: "json" };

/** The session controls' messages, English and Spanish. */
export const CONTROLS = catalogue(messages);
