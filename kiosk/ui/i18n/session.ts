/** Messages of the session status area: states and what limits the output in plain words, the stop button, the latched-stop notice and why output stopped (texts: session.json). */
import { catalogue } from "../i18n.ts";
import messages from "./session.json" with { type: "json" };

/** The session status area's messages, English and Spanish. */
export const SESSION = catalogue(messages);
/** A key of SESSION. */
export type SessionKey = keyof typeof messages.en;
