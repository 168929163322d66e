/** Words of the summary and history screens and of the export, English and Spanish (texts: summary.json); units appear only in the staff view. */
import { catalogue } from "../i18n.ts";
import messages from "./summary.json" with { type: "json" };

/** The summary and history screens' messages. */
export const SUMMARY = catalogue(messages);
/** A key of the summary and history catalogue. */
export type SummaryKey = keyof typeof messages.en;
