/** The person at the mirror, page side: the selected profile and the home list as signals, the profile messages to send, and their answers. */
import { signal } from "@preact/signals";
import { isLanguage, type Language, language } from "./i18n.ts";

/** A profile as the kiosk sends it (kiosk/server/profile_desk.ts ProfileView). */
export interface ProfileView {
  id: string;
  kind: "home" | "walk-in";
  name: string;
  language: Language;
  exclusions: string[];
  maxComfort: number | null;
  onboarded: boolean;
}

/** A salon visit: the screening is asked once per visit. */
export interface Visit {
  id: string;
  screened: boolean;
  startedAt: number;
}

/** The profile this page's socket has selected, or null (a guest). Setting it sets `language`. */
export const currentProfile = signal<ProfileView | null>(null);
/** The salon visit of the selected walk-in, or null. */
export const currentVisit = signal<Visit | null>(null);
/** The home profiles, from the last `profiles` answer (never filled at a salon). */
export const profileList = signal<ProfileView[]>([]);
/** Whose settings the screen shows (a profile id), or null: the profiles screen shows who is here. */
export const settingsFor = signal<string | null>(null);
/** The last refused profile message: which field, the server's words and which message; null after a success. */
export const profileError = signal<{ of: string; field: string; message: string } | null>(null);

/** How the module sends: connection.ts's `send` (injected, so this module does not import the socket). */
let sender: (message: Record<string, unknown>) => boolean = () => false;
/** What to ask again when a new socket opens: the selection belongs to the socket, not the page. */
let reselect: Record<string, unknown> | null = null;

/** Wires the sender (connection.ts calls it once). */
export function connectProfileSender(send: (message: Record<string, unknown>) => boolean): void {
  sender = send;
}

function post(message: Record<string, unknown>): boolean {
  profileError.value = null;
  return sender(message);
}

/** Asks for the home profiles (answered with `profiles`). */
export function requestProfiles(): boolean {
  return post({ type: "profiles" });
}

/** Adds a home profile; the kiosk selects it and answers with `profile`. */
export function createProfile(name: string, lang: Language): boolean {
  return post({ type: "profile-create", name, language: lang });
}

/** Selects a home profile by id. */
export function selectProfile(id: string): boolean {
  return post({ type: "profile-select", id });
}

/** Enters a salon client code (finds or creates the walk-in, opens or continues the visit). */
export function enterClientCode(code: string, lang?: Language): boolean {
  return post({ type: "client-code", code, ...(lang ? { language: lang } : {}) });
}

/** What a profile update may change. */
export interface ProfileChanges {
  language?: Language;
  exclusions?: string[];
  maxComfort?: number | null;
  onboarded?: true;
}

/** Changes the selected profile (the only one the kiosk lets this socket change). */
export function updateProfile(changes: ProfileChanges): boolean {
  const p = currentProfile.peek();
  if (!p) return false;
  return post({ type: "profile-update", id: p.id, ...changes });
}

/** Removes a home profile (answered with the new list). */
export function deleteProfile(id: string): boolean {
  return post({ type: "profile-delete", id });
}

/** The person leaves: nothing of theirs stays selected (the kiosk ends a live session of theirs). */
export function leaveProfile(): boolean {
  const sent = post({ type: "profile-leave" });
  forget();
  return sent;
}

function forget() {
  currentProfile.value = null;
  currentVisit.value = null;
  reselect = null;
  language.value = "en";
}

/** A profile as received, checked: anything malformed reads as no profile (the kiosk's own message, but a page trusts nothing). */
export function readProfile(value: unknown): ProfileView | null {
  if (typeof value !== "object" || value === null) return null;
  const p = value as Record<string, unknown>;
  if (typeof p.id !== "string" || typeof p.name !== "string") return null;
  if (!Array.isArray(p.exclusions) || !p.exclusions.every((x) => typeof x === "string")) return null;
  return {
    id: p.id,
    kind: p.kind === "walk-in" ? "walk-in" : "home",
    name: p.name,
    language: isLanguage(p.language) ? p.language : "en",
    exclusions: p.exclusions as string[],
    maxComfort: typeof p.maxComfort === "number" ? p.maxComfort : null,
    onboarded: p.onboarded === true,
  };
}

/**
 * Takes a kiosk message if it is about profiles (connection.ts's receive switch hands these over); true when
 * it was. A `profile` answer is the socket's selection: it replaces the current profile and sets the language.
 */
export function receiveProfileMessage(msg: Record<string, unknown>): boolean {
  if (msg.type === "profiles") {
    profileList.value = Array.isArray(msg.profiles)
      ? msg.profiles.map(readProfile).filter((p): p is ProfileView => p !== null)
      : [];
    if (currentProfile.peek() && !profileList.value.some((p) => p.id === currentProfile.peek()!.id)) forget();
    return true;
  }
  if (msg.type === "profile") {
    const p = readProfile(msg.profile);
    if (!p) return forget(), true;
    const v = msg.visit as Record<string, unknown> | undefined;
    if (v && typeof v.id === "string") {
      currentVisit.value = { id: v.id, screened: v.screened === true, startedAt: Number(v.startedAt) };
      reselect = { type: "client-code", code: p.name };
    } else if (p.kind === "home") {
      currentVisit.value = null;
      reselect = { type: "profile-select", id: p.id };
    }
    currentProfile.value = p;
    language.value = p.language;
    return true;
  }
  if (msg.type === "error" && typeof msg.of === "string" && isProfileType(msg.of)) {
    profileError.value = { of: msg.of, field: String(msg.field), message: String(msg.message) };
    // A selection the kiosk no longer holds (a visit over, a profile removed) is not shown as if it were.
    if (msg.field === "profile" || (msg.of === "profile-select" && msg.field === "id")) forget();
    return true;
  }
  if (msg.type === "error" && msg.of === "start" && (msg.field === "profile" || msg.field === "profileId")) {
    // The kiosk holds no (or another) profile for this socket: the page stops showing one; the start's own
    // error line shows the message too.
    profileError.value = { of: "start", field: String(msg.field), message: String(msg.message) };
    forget();
  }
  if (
    msg.type === "error" && msg.of === "start" && msg.field === "screening" && currentVisit.peek()?.screened
  ) {
    // The kiosk holds no screened visit (it restarted, or the visit ended): the questions are asked again.
    currentVisit.value = { ...currentVisit.peek()!, screened: false };
  }
  return false;
}

/** A new socket is open: selects the page's profile on it again (the kiosk forgot it with the old socket). */
export function profileSocketOpened(): void {
  if (reselect) sender(reselect);
}

/** The fields a start message gets from the page's profile: which profile the page shows. */
export function startProfileFields(): { profileId: string | null } {
  return { profileId: currentProfile.peek()?.id ?? null };
}

const PROFILE_TYPES = [
  "profiles",
  "profile-create",
  "profile-select",
  "profile-update",
  "profile-delete",
  "client-code",
  "profile-leave",
];

function isProfileType(type: string): boolean {
  return PROFILE_TYPES.includes(type);
}

/** Where the journey goes once a person is chosen: the first-run guide until they have seen it, else the mirror. */
export function screenAfterChoosing(p: ProfileView): "onboarding" | "session" {
  // Until the onboarding screen is registered in App.tsx, "onboarding" shows the session (App's fallback).
  return p.onboarded ? "session" : "onboarding";
}
