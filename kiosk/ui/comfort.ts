/** The comfort level the person chose (1..10) and its plain word: gentle, medium or strong. */
import { signal } from "@preact/signals";
import { type Language, messagesFor } from "./i18n.ts";
import { CONTROLS } from "./i18n/controls.ts";

/** The level before anyone chooses (medium). */
export const DEFAULT_COMFORT = 5;

/** The three words, each with the level its button picks. */
export const COMFORT_CHOICES = [
  { word: "gentle", level: 3 },
  { word: "medium", level: 6 },
  { word: "strong", level: 9 },
] as const;

/** gentle, medium or strong. */
export type ComfortWord = typeof COMFORT_CHOICES[number]["word"];

/** The comfort level for the next start and the live session (the engine scales the zone level by level / 10). */
export const comfort = signal(DEFAULT_COMFORT);
/** The person picked a strength (a button or the slider) since the last session ended: the calibration tick. */
export const comfortChosen = signal(false);

/** The word for a level: 1–3 gentle, 4–7 medium, 8–10 strong. */
export function comfortWord(level: number): ComfortWord {
  if (!Number.isFinite(level)) throw new RangeError(`Cannot name comfort level ${level}: it must be 1..10`);
  return level <= 3 ? "gentle" : level <= 7 ? "medium" : "strong";
}

const t = messagesFor(CONTROLS);

/** The level's word in the language ("gentle", "suave"). */
export function comfortText(level: number, lang?: Language): string {
  return t(`comfort.${comfortWord(level)}`, undefined, lang);
}
