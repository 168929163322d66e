/** Zone names as people say them ("right cheek"), for every zone id of the shipped zone map; the ids stay in the operator view (texts: zones.json). */
import { catalogue, type Language, messagesFor } from "../i18n.ts";
import messages from "./zones.json" with { type: "json" };

/**
 * Zone names, English and Spanish. A zone id's side is the image's: `-left` zones have u < 0.5, the person's own
 * RIGHT side, which the mirror shows on the right (docs/zones.md). The names say the person's own side.
 */
export const ZONES = catalogue(messages);
/** A zone id the catalogue names. */
export type ZoneId = keyof typeof messages.en;

const t = messagesFor(ZONES);

/** True for a zone id the catalogue names. */
export function isZoneId(id: string): id is ZoneId {
  return Object.hasOwn(ZONES.en, id);
}

/** A zone's name in the language (default: the page's); an id the catalogue lacks (a vendor's zone) reads with spaces for dashes. */
export function zoneName(id: string, lang?: Language): string {
  return isZoneId(id) ? t(id, undefined, lang) : id.replaceAll("-", " ");
}
