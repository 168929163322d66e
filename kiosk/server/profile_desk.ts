/** The hub's profile desk: answers the page's profile messages, owns salon visits, and puts the selected profile into a start. */
import { FieldError } from "../../core/engine/mod.ts";
import type { EngineEvent } from "../../core/engine/mod.ts";
import type { ProfileRecord, Store } from "../store/mod.ts";
import { createCentralPull } from "./_central_pull.ts";
import type { ControlReply } from "./_hub_control.ts";
import { type ProfileMessageType, profileRefusal, type Station } from "./page_message.ts";

/** A profile as the page sees it (docs/kiosk.md, Profiles). */
export interface ProfileView {
  id: string;
  kind: "home" | "walk-in";
  name: string;
  language: "en" | "es";
  exclusions: string[];
  maxComfort: number | null;
  onboarded: boolean;
}

/** What one socket has selected: a profile, and at a salon the visit it came in on. */
export interface Selection {
  profileId: string;
  visitId: string | null;
}

/** The part of a hub client the desk reads and writes: its selection, owned by the socket. */
export interface SelectionHolder {
  profile: Selection | null;
}

/** A salon visit: one client's stay, screened once. In memory: a restart asks the screening again. */
interface Visit {
  id: string;
  profileId: string;
  startedAt: number;
  /** The answers of the visit's first screened start, and that session's id. */
  screening: { answers: Record<string, boolean>; sessionId: string } | null;
}

/** Options for createProfileDesk. */
export interface ProfileDeskOptions {
  /** The kiosk's store; without it every profile message is refused. */
  store?: Store;
  /** What the kiosk is. Default "home". */
  station?: Station;
  /** Wall clock (epoch ms). Default Date.now. */
  wallClock?: () => number;
  /** New profile and visit ids. Default crypto.randomUUID. */
  newId?: () => string;
  /** How long a visit lasts without a `profile-leave`. Default 4 h. */
  visitMs?: number;
  /**
   * A walk-in's history at the salon's other stations, by client code (a station with a central store: the
   * replicator's clientHistory). Pulled after a client code is answered, never before. Default: none.
   */
  centralHistory?: (code: string) => Promise<unknown>;
  /** A central pull not answered in this long is given up (the cached copy stays), ms. Default 5000. */
  pullTimeoutMs?: number;
  /** Log lines go here. Default console.log. */
  log?: (line: string) => void;
}

/** What a start needs from the desk before it is parsed: the message to parse, and the reused screening. */
export type StartPrep =
  | { ok: true; raw: Record<string, unknown>; reusedFrom: string | null }
  | { ok: false; field: string; message: string };

/** The desk; one per hub. */
export interface ProfileDesk {
  readonly station: Station;
  /**
   * Answers one profile message (see PROFILE_RULES) for the socket holding `holder`; may change its selection.
   * `live`: a session is live. `endSession` asks the hub to end it: the person left.
   */
  answer(
    raw: Record<string, unknown>,
    holder: SelectionHolder,
    live: boolean,
  ): DeskReply;
  /**
   * Before a start is parsed: checks the page's `profileId` (the profile it shows) against the socket's selection
   * and strips it; at a salon, a start without `screening` in a screened visit gets the visit's answers.
   */
  prepareStart(raw: Record<string, unknown>, holder: SelectionHolder): StartPrep;
  /**
   * Puts the selected profile's exclusions (with any the page added) and level ceiling (the lower of the two)
   * into a parsed start; returns the profile id, or null with nothing selected. Throws FieldError("profile")
   * when the selected profile cannot be read: a start must not run without the person's exclusions.
   */
  applyProfile(
    event: Extract<EngineEvent, { type: "start" }> | { type: string },
    holder: SelectionHolder,
  ): string | null;
  /** After a start with fresh answers was applied: they become the visit's, for its later sessions. */
  started(holder: SelectionHolder, answers: Record<string, boolean>, sessionId: string | null): void;
}

/**
 * A desk answer. `endSession`: the person left, their live session ends. `later`: a client code's central pull;
 * it resolves to the profile again (the salon's settings adopted) for the socket, or null when nothing changed.
 */
export type DeskReply = ControlReply & { endSession?: boolean; later?: Promise<ControlReply | null> };

/** Default length of a salon visit. */
export const VISIT_MS = 4 * 60 * 60 * 1000;
const VISIT_OVER = 'field "profile": the visit has ended (4 h); enter the client code again';
/** A client code: 4–8 letters or digits, any case (stored upper case). */
const CODE = /^[A-Za-z0-9]{4,8}$/;

/** Whether a salon copy of the profile's history was ever pulled (a cache this build cannot read counts). */
function pulledBefore(store: Store, profileId: string): boolean {
  try {
    return store.centralHistory(profileId) !== null;
  } catch {
    return true;
  }
}

/** A store record as the page's view. */
export function toView(p: ProfileRecord): ProfileView {
  return {
    id: p.id,
    kind: p.kind,
    name: p.name,
    language: p.language,
    exclusions: [...p.exclusions],
    maxComfort: p.maxComfort,
    onboarded: p.onboardedAt !== null,
  };
}

/** Creates the desk. */
export function createProfileDesk(options: ProfileDeskOptions = {}): ProfileDesk {
  const { store } = options;
  const station = options.station ?? "home";
  const wall = options.wallClock ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const visitMs = options.visitMs ?? VISIT_MS;
  const visits = new Map<string, Visit>(); // by profile id
  const pullTimeoutMs = options.pullTimeoutMs ?? 5000;
  const central = store && options.centralHistory
    ? createCentralPull(store, {
      read: options.centralHistory,
      timeoutMs: pullTimeoutMs,
      wallClock: wall,
      log: options.log ?? ((line: string) => console.log(line)),
    })
    : null;

  const error = (of: string, field: string, message: string): ControlReply => ({
    refused: true,
    body: { type: "error", of, field, message },
  });

  /** The socket's visit if it is still on; an expired one is forgotten and the selection with it. */
  function visitOf(holder: SelectionHolder): Visit | null {
    const sel = holder.profile;
    if (!sel?.visitId) return null;
    const visit = visits.get(sel.profileId);
    if (!visit || visit.id !== sel.visitId) return null;
    if (wall() - visit.startedAt >= visitMs) {
      visits.delete(sel.profileId);
      holder.profile = null;
      return null;
    }
    return visit;
  }

  function selected(holder: SelectionHolder): ProfileRecord | null {
    const sel = holder.profile;
    if (!sel || !store) return null;
    if (station === "salon" && !visitOf(holder)) {
      throw new FieldError(
        "profile",
        'field "profile": the visit has ended (4 h); enter the client code again',
      );
    }
    const p = store.profiles.get(sel.profileId);
    if (!p) {
      holder.profile = null;
      throw new FieldError("profile", 'field "profile": the selected profile no longer exists; choose again');
    }
    return p;
  }

  function id(raw: Record<string, unknown>): string {
    if (typeof raw.id !== "string" || raw.id.length === 0 || raw.id.length > 64) {
      throw new FieldError("id", `field "id" must be a profile id, got ${JSON.stringify(raw.id)}`);
    }
    return raw.id;
  }

  const profileReply = (p: ProfileRecord | null, extra: Record<string, unknown> = {}): ControlReply => ({
    refused: false,
    body: { type: "profile", profile: p && toView(p), ...extra },
  });

  function handle(
    type: ProfileMessageType,
    raw: Record<string, unknown>,
    holder: SelectionHolder,
    live: boolean,
  ): DeskReply {
    const s = store!;
    // Whose session it is was fixed at its start: choosing someone else waits until it is over.
    if (live && (type === "profile-create" || type === "profile-select" || type === "client-code")) {
      throw new FieldError(
        "type",
        `field "type" ${JSON.stringify(type)}: a session is running; end it first`,
      );
    }
    switch (type) {
      case "profiles":
        return { refused: false, body: { type: "profiles", profiles: s.profiles.list("home").map(toView) } };
      case "profile-create": {
        const p = s.profiles.create({
          id: newId(),
          kind: "home",
          name: raw.name as string,
          language: raw.language as "en",
          createdAt: wall(),
        });
        holder.profile = { profileId: p.id, visitId: null };
        return profileReply(p);
      }
      case "profile-select": {
        const p = s.profiles.get(id(raw));
        if (!p || p.kind !== "home") throw new FieldError("id", `field "id" names no profile on this mirror`);
        holder.profile = { profileId: p.id, visitId: null };
        return profileReply(p);
      }
      case "profile-delete": {
        const target = id(raw);
        if (holder.profile?.profileId === target && live) {
          throw new FieldError("id", 'field "id": this profile\'s session is running; end it first');
        }
        if (!s.profiles.get(target)) throw new FieldError("id", `field "id" names no profile on this mirror`);
        s.profiles.remove(target, wall());
        if (holder.profile?.profileId === target) holder.profile = null;
        return { refused: false, body: { type: "profiles", profiles: s.profiles.list("home").map(toView) } };
      }
      case "client-code": {
        if (typeof raw.code !== "string" || !CODE.test(raw.code.trim())) {
          throw new FieldError("code", 'field "code" must be 4 to 8 letters or digits');
        }
        const code = raw.code.trim().toUpperCase();
        const known = s.profiles.findByName("walk-in", code);
        const p = known ??
          s.profiles.create({
            id: newId(),
            kind: "walk-in",
            name: code,
            language: (raw.language ?? "en") as "en",
            createdAt: wall(),
          });
        const now = wall();
        let visit = visits.get(p.id);
        if (!visit || now - visit.startedAt >= visitMs) {
          visit = { id: newId(), profileId: p.id, startedAt: now, screening: null };
          visits.set(p.id, visit);
        }
        holder.profile = { profileId: p.id, visitId: visit.id };
        const visitView = { id: visit.id, screened: visit.screening !== null, startedAt: visit.startedAt };
        const reply = profileReply(p, { visit: visitView });
        if (!central) return reply;
        // The page shows the profile again once the salon's settings are adopted (if it still holds it).
        // New here = no session at this station and no salon copy pulled yet: a pull that failed or gave up at the
        // first entry (central store not reached yet) is retried at the next, instead of leaving the salon's
        // exclusions behind for good; once a copy was taken, a setting changed here afterwards stays as changed.
        const newHere = !known ||
          (s.profileSessions(p.id, { limit: 1 }).length === 0 && !pulledBefore(s, p.id));
        const later = central.pull(code, p.id, newHere).then((adopted) =>
          adopted && holder.profile?.profileId === adopted.id
            ? profileReply(adopted, { visit: visitView })
            : null
        );
        return { ...reply, later };
      }
      case "profile-update": {
        const current = selected(holder);
        if (!current || current.id !== id(raw)) {
          throw new FieldError("id", 'field "id" is not the selected profile; select it first');
        }
        if (live && (raw.exclusions !== undefined || raw.maxComfort !== undefined)) {
          const field = raw.exclusions !== undefined ? "exclusions" : "maxComfort";
          throw new FieldError(
            field,
            `field "${field}" cannot change while a session runs; it applies from a start`,
          );
        }
        if (raw.onboarded !== undefined && raw.onboarded !== true) {
          throw new FieldError(
            "onboarded",
            `field "onboarded" may only be true, got ${JSON.stringify(raw.onboarded)}`,
          );
        }
        const p = s.profiles.update(current.id, {
          ...(raw.language !== undefined ? { language: raw.language as "en" } : {}),
          ...(raw.exclusions !== undefined ? { exclusions: raw.exclusions as string[] } : {}),
          ...(raw.maxComfort !== undefined ? { maxComfort: raw.maxComfort as number | null } : {}),
          ...(raw.onboarded === true && current.onboardedAt === null ? { onboardedAt: wall() } : {}),
        });
        return profileReply(p);
      }
      case "profile-leave": {
        const sel = holder.profile;
        if (sel?.visitId && visits.get(sel.profileId)?.id === sel.visitId) visits.delete(sel.profileId);
        holder.profile = null;
        // The person is gone: their live session ends with them (output to 0 through the engine's end).
        return { ...profileReply(null), endSession: live && sel !== null };
      }
    }
  }

  return {
    station,
    answer(raw, holder, live) {
      const type = raw.type as ProfileMessageType;
      if (!store) {
        return error(type, "type", `field "type" ${JSON.stringify(type)}: this kiosk keeps no profiles`);
      }
      const refused = profileRefusal(raw, station);
      if (refused) return error(type, refused.field, refused.message);
      try {
        return handle(type, raw, holder, live);
      } catch (e) {
        if (e instanceof FieldError) return error(type, e.field, e.message);
        // A store that cannot write (or read): nothing of the selection changed, output is untouched.
        const reason = e instanceof Error ? e.message : String(e);
        return error(
          type,
          "store",
          `the profile could not be saved or read (${reason}); nothing was changed, and sessions and their records are unaffected`,
        );
      }
    },
    prepareStart(raw, holder) {
      const { profileId: shown, ...rest } = raw;
      const sel = holder.profile;
      if (shown !== undefined && shown !== (sel?.profileId ?? null)) {
        return {
          ok: false,
          field: "profileId",
          message: `field "profileId" ${
            JSON.stringify(shown)
          } is not the profile selected on this connection (${
            JSON.stringify(sel?.profileId ?? null)
          }); choose the profile again`,
        };
      }
      const visit = station === "salon" ? visitOf(holder) : null;
      if (sel && station === "salon" && !visit) return { ok: false, field: "profile", message: VISIT_OVER };
      if (sel && central?.adopting(sel.profileId)) {
        return {
          ok: false,
          field: "central",
          message:
            `field "central": the client's settings from the salon's other stations are still on their way (at most ${
              pullTimeoutMs / 1000
            } s); start again in a moment`,
        };
      }
      if (rest.screening === undefined && visit?.screening) {
        return {
          ok: true,
          raw: { ...rest, screening: { ...visit.screening.answers } },
          reusedFrom: visit.screening.sessionId,
        };
      }
      return { ok: true, raw: rest, reusedFrom: null };
    },
    applyProfile(event, holder) {
      if (event.type !== "start") return null;
      let p: ProfileRecord | null;
      try {
        p = selected(holder);
      } catch (e) {
        if (e instanceof FieldError) throw e;
        throw new FieldError(
          "profile",
          `field "profile": the selected profile could not be read (${
            e instanceof Error ? e.message : e
          }); no session started`,
        );
      }
      if (!p) return null;
      const start = event as Extract<EngineEvent, { type: "start" }>;
      // The page may add exclusions and lower the ceiling; it can never drop the profile's.
      const exclusions = [...new Set([...p.exclusions, ...(start.exclusions ?? [])])];
      if (exclusions.length > 0) start.exclusions = exclusions;
      const ceilings = [p.maxComfort, start.maxComfort].filter((x): x is number => typeof x === "number");
      if (ceilings.length > 0) start.maxComfort = Math.min(...ceilings);
      return p.id;
    },
    started(holder, answers, sessionId) {
      const visit = station === "salon" ? visitOf(holder) : null;
      if (visit && sessionId) visit.screening = { answers: { ...answers }, sessionId };
    },
  };
}
