/** Messages of the profiles screen and the profile settings (English and Spanish), with the zone names people use (texts: profiles.json). */
import { type Catalogue, catalogue } from "../i18n.ts";
import messages from "./profiles.json" with { type: "json" };

/** The treatment zones a person may skip, top of the face to the neck (kiosk/server checks the same ids). */
export const SKIPPABLE_ZONES = [
  "forehead",
  "brow-left",
  "brow-right",
  "temple-left",
  "temple-right",
  "cheek-left",
  "cheek-right",
  "nasolabial-left",
  "nasolabial-right",
  "jawline-left",
  "jawline-right",
  "chin",
  "neck-left",
  "neck-right",
] as const;
/** One skippable zone id. */
export type ZoneId = typeof SKIPPABLE_ZONES[number];

/**
 * The zones as the settings show them, one row per part of the face: the person's left side first, as they see it
 * in the mirror (a `-right` zone is the subject's left, docs/zones.md).
 */
export const ZONE_ROWS: readonly (readonly ZoneId[])[] = [
  ["forehead"],
  ["brow-right", "brow-left"],
  ["temple-right", "temple-left"],
  ["cheek-right", "cheek-left"],
  ["nasolabial-right", "nasolabial-left"],
  ["jawline-right", "jawline-left"],
  ["chin"],
  ["neck-right", "neck-left"],
];

/**
 * The profiles messages; typed to name every skippable zone. Zone names say the person's own side: a `-left`
 * zone is the subject's right (docs/zones.md), the side a person points to as "my right" in the mirror.
 */
export const PROFILES: Catalogue<keyof typeof messages.en | `zone.${ZoneId}`> = catalogue(messages);
