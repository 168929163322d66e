/** The calibration before the first stroke, pure: face found, probe seen, skin contact good enough (else "more gel"), a strength chosen, and whether Start may be offered. */

/**
 * Above this impedance between the probes (with contact on) the page asks for more gel. The simulated devices
 * read 4–5 kΩ with gel and firm contact and lose contact at 50 kΩ (SIM-1's skin model, impedance ∝ 1/pressure²);
 * 20 kΩ is four to five times the gelled reading, before contact is lost (docs/decisions.md, issue 9.3).
 */
export const MORE_GEL_OHM = 20_000;

/** Skin contact as the frame message carries it. */
export interface ContactReading {
  on: boolean;
  impedanceOhm: number | null;
}

/** True when the probes touch but the impedance says the contact is poor (dry gel, too little of it). */
export function moreGelNeeded(contact: ContactReading | null): boolean {
  return contact !== null && contact.on && contact.impedanceOhm !== null &&
    contact.impedanceOhm > MORE_GEL_OHM;
}

/**
 * The contact check: `ok`, `more-gel` (touching, impedance too high), `none` (a live session without contact:
 * the engine's limit says `no-contact`) or `pending` (no session yet and no good contact reported: the demo and
 * many devices report contact only once a session starts).
 */
export type ContactCheck = "ok" | "more-gel" | "none" | "pending";

/** The contact check from the frame's limit, the last contact report and whether a session is live. */
export function contactCheck(
  limit: string | undefined,
  contact: ContactReading | null,
  live: boolean,
): ContactCheck {
  const touching = contact?.on === true && limit !== "no-contact";
  if (touching && moreGelNeeded(contact)) return "more-gel";
  if (touching) return "ok";
  return live ? "none" : "pending";
}

/** What the checklist is built from. */
export interface CalibrationInput {
  faceSeen: boolean;
  probeSeen: boolean;
  contact: ContactCheck;
  comfortChosen: boolean;
}

/** The checklist: a tick per check, and what keeps Start from being offered (face, then probe), or null. */
export interface Calibration {
  face: boolean;
  probe: boolean;
  contact: boolean;
  comfort: boolean;
  /** Start is offered once the camera sees the face and the probe: the first stroke needs both. */
  missing: "face" | "probe" | null;
  /** Face, probe and contact ticked: in a session the checklist can step aside (a strength has a default level). */
  complete: boolean;
}

/** Builds the checklist. */
export function calibrate(input: CalibrationInput): Calibration {
  const contact = input.contact === "ok";
  return {
    face: input.faceSeen,
    probe: input.probeSeen,
    contact,
    comfort: input.comfortChosen,
    missing: !input.faceSeen ? "face" : !input.probeSeen ? "probe" : null,
    complete: input.faceSeen && input.probeSeen && contact,
  };
}
