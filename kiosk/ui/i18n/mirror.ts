/** Messages of the mirror: its prompts (what the camera, the model and the engine report) and its labels (texts: mirror.json). */
import { catalogue } from "../i18n.ts";
import messages from "./mirror.json" with { type: "json" };

/** The mirror's messages, English and Spanish. */
export const MIRROR = catalogue(messages);
