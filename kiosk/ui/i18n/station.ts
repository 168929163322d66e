/** The station's own screens in English and Spanish (texts: station.json): the attract screen and the staff view (records behind the PIN). */
import { catalogue } from "../i18n.ts";
import messages from "./station.json" with { type: "json" };

/** The station catalogue. */
export const STATION = catalogue(messages);
/** A key of STATION. */
export type StationKey = keyof typeof messages.en;
