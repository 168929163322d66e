/** Zone names as people say them ("right cheek"), for every zone id of the shipped zone map; the ids stay in the operator view. */
import { type Catalogue, type Language, messagesFor } from "../i18n.ts";

// A zone id's side is the image's: `-left` zones have u < 0.5, the person's own RIGHT side, which the mirror
// shows on the right (docs/zones.md). The names say the person's own side.
const en = {
  "forehead": "forehead",
  "brow-left": "right brow",
  "brow-right": "left brow",
  "temple-left": "right temple",
  "temple-right": "left temple",
  "cheek-left": "right cheek",
  "cheek-right": "left cheek",
  "nasolabial-left": "right smile line",
  "nasolabial-right": "left smile line",
  "jawline-left": "right jawline",
  "jawline-right": "left jawline",
  "neck-left": "right side of the neck",
  "neck-right": "left side of the neck",
  "chin": "chin",
  "eye-left": "right eye",
  "eye-right": "left eye",
  "lips": "lips",
  "neck-front": "front of the neck",
} as const;

/** A zone id the catalogue names. */
export type ZoneId = keyof typeof en;

/** Zone names, English and Spanish. */
export const ZONES: Catalogue<ZoneId> = {
  en,
  es: {
    "forehead": "frente",
    "brow-left": "ceja derecha",
    "brow-right": "ceja izquierda",
    "temple-left": "sien derecha",
    "temple-right": "sien izquierda",
    "cheek-left": "mejilla derecha",
    "cheek-right": "mejilla izquierda",
    "nasolabial-left": "pliegue de la sonrisa derecho",
    "nasolabial-right": "pliegue de la sonrisa izquierdo",
    "jawline-left": "mandíbula, lado derecho",
    "jawline-right": "mandíbula, lado izquierdo",
    "neck-left": "lado derecho del cuello",
    "neck-right": "lado izquierdo del cuello",
    "chin": "barbilla",
    "eye-left": "ojo derecho",
    "eye-right": "ojo izquierdo",
    "lips": "labios",
    "neck-front": "parte delantera del cuello",
  },
};

const t = messagesFor(ZONES);

/** True for a zone id the catalogue names. */
export function isZoneId(id: string): id is ZoneId {
  return Object.hasOwn(en, id);
}

/** A zone's name in the language (default: the page's); an id the catalogue lacks (a vendor's zone) reads with spaces for dashes. */
export function zoneName(id: string, lang?: Language): string {
  return isZoneId(id) ? t(id, undefined, lang) : id.replaceAll("-", " ");
}
