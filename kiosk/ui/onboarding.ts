/** The first-run guide, pure: its pages, the screen a chosen profile goes to, and the message that remembers the guide was seen. */
import type { Screen } from "./journey.ts";

/** The guide's pages in order. */
export const ONBOARDING_PAGES = ["welcome", "gel", "probes", "mirror", "stop"] as const;

/** One page of the guide. */
export type OnboardingPage = typeof ONBOARDING_PAGES[number];

/** What the guide needs of a profile (the contract's ProfileView has these). */
export interface OnboardingProfile {
  id: string;
  onboarded: boolean;
}

/** Where a person goes once their profile is chosen: the guide the first time, else straight to the mirror. */
export function screenAfterProfile(profile: OnboardingProfile | null): Screen {
  return profile !== null && !profile.onboarded ? "onboarding" : "session";
}

/**
 * The message that remembers the guide for the profile (finished or skipped: either way the person has
 * decided, and is not shown it again), or null without a profile (a walk-in before profiles, the demo).
 */
export function onboardedMessage(
  profile: Pick<OnboardingProfile, "id"> | null,
): Record<string, unknown> | null {
  return profile === null ? null : { type: "profile-update", id: profile.id, onboarded: true };
}
