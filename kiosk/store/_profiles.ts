/** The store's profiles (private to kiosk/store): create, list, get, update and soft-delete, every field checked. */
import type { DatabaseSync, SQLInputValue, StatementResultingChanges } from "node:sqlite";
import { FieldError } from "../../core/engine/mod.ts";
import type { ZoneMap } from "../../core/zones/mod.ts";
import type { ProfileInput, ProfileKind, ProfilePatch, ProfileRecord } from "./records.ts";
import { ID, isTime } from "./_check.ts";

/** Longest profile name, in characters (after trimming). */
export const MAX_PROFILE_NAME = 40;
/** Most profiles of one kind listed at once (a home mirror has a few; the list is for choosing). */
const MAX_LISTED = 200;
const KINDS: readonly ProfileKind[] = ["home", "walk-in"];
const LANGUAGES = ["en", "es"] as const;
// Control characters and line breaks have no place in a name shown on a screen.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The profile part of the store. */
export interface ProfileStore {
  /** The treatment zone ids a profile may exclude (the zone map's). */
  readonly treatmentZones: ReadonlySet<string>;
  /** Creates a profile; returns it as stored. Throws FieldError naming the field (a taken name: "name"). */
  create(input: ProfileInput): ProfileRecord;
  /** Profiles of `kind` not deleted, by name. */
  list(kind: ProfileKind): ProfileRecord[];
  /** A profile not deleted, or null. */
  get(id: string): ProfileRecord | null;
  /** The profile of `kind` named `name` (exactly, after trimming), not deleted, or null. */
  findByName(kind: ProfileKind, name: string): ProfileRecord | null;
  /** Changes the given fields; returns the profile as stored. Throws FieldError naming the field. */
  update(id: string, patch: ProfilePatch): ProfileRecord;
  /** Soft-deletes a profile at `at` (its sessions keep their profile id); false when there was none. */
  remove(id: string, at: number): boolean;
}

type Run = (sql: string, ...params: SQLInputValue[]) => StatementResultingChanges;

function refuse(what: string, field: string, message: string): never {
  throw new FieldError(field, `Cannot ${what}: field "${field}" ${message}`);
}

/** Creates the profile API over an open database; writes go through `run` (the store's health follows them). */
export function createProfileStore(db: DatabaseSync, run: Run, zoneMap: ZoneMap): ProfileStore {
  const treatment = new Set(zoneMap.zones.filter((z) => z.kind === "treatment").map((z) => z.id));
  const keepOut = new Set(zoneMap.zones.filter((z) => z.kind === "keep-out").map((z) => z.id));
  const rows = (sql: string, ...params: SQLInputValue[]) =>
    db.prepare(sql).all(...params) as Record<string, SQLInputValue>[];

  function name(value: unknown, what: string): string {
    if (typeof value !== "string") refuse(what, "name", `must be text, got ${JSON.stringify(value)}`);
    const trimmed = value.trim();
    const length = [...trimmed].length;
    if (length === 0 || length > MAX_PROFILE_NAME) {
      refuse(what, "name", `must be 1 to ${MAX_PROFILE_NAME} characters, got ${length}`);
    }
    if (CONTROL.test(trimmed)) refuse(what, "name", "must not hold control characters or line breaks");
    return trimmed;
  }
  function language(value: unknown, what: string): "en" | "es" {
    if (!(LANGUAGES as readonly unknown[]).includes(value)) {
      refuse(what, "language", `must be one of ${LANGUAGES.join(", ")}, got ${JSON.stringify(value)}`);
    }
    return value as "en" | "es";
  }
  function exclusions(value: unknown, what: string): string[] {
    if (!Array.isArray(value)) {
      refuse(what, "exclusions", `must be an array of zone ids, got ${JSON.stringify(value)}`);
    }
    if (value.length > treatment.size) {
      refuse(what, "exclusions", `must hold at most ${treatment.size} zone ids, got ${value.length}`);
    }
    const seen = new Set<string>();
    return value.map((id, i) => {
      const field = `exclusions[${i}]`;
      if (typeof id === "string" && keepOut.has(id)) {
        refuse(
          what,
          field,
          `names keep-out "${id}": it is 0 µA for everyone and cannot be a personal choice`,
        );
      }
      if (typeof id !== "string" || !treatment.has(id)) {
        refuse(
          what,
          field,
          `must be a treatment zone id (${[...treatment].join(", ")}), got ${JSON.stringify(id)}`,
        );
      }
      if (seen.has(id)) refuse(what, field, `repeats "${id}"`);
      seen.add(id);
      return id;
    });
  }
  function maxComfort(value: unknown, what: string): number | null {
    if (value === null) return null;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 10) {
      refuse(what, "maxComfort", `must be a whole number 1..10 or null, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  function taken(kind: ProfileKind, n: string, except: string | null, what: string) {
    const other = rows(
      "SELECT id FROM profiles WHERE kind = ? AND name = ? COLLATE NOCASE AND deleted_at IS NULL AND id IS NOT ?",
      kind,
      n,
      except,
    );
    if (other.length > 0) refuse(what, "name", `"${n}" is already taken by another ${kind} profile`);
  }
  function get(id: string): ProfileRecord | null {
    const row = rows("SELECT * FROM profiles WHERE id = ? AND deleted_at IS NULL", id)[0];
    return row ? toProfile(row) : null;
  }

  return {
    treatmentZones: treatment,
    create(input) {
      const what = "create profile";
      if (typeof input.id !== "string" || !ID.test(input.id)) {
        refuse(what, "id", `must be an id, got ${JSON.stringify(input.id)}`);
      }
      if (!KINDS.includes(input.kind)) {
        refuse(what, "kind", `must be home or walk-in, got ${JSON.stringify(input.kind)}`);
      }
      if (!isTime(input.createdAt)) {
        refuse(what, "createdAt", `must be a time, got ${JSON.stringify(input.createdAt)}`);
      }
      const n = name(input.name, what);
      const lang = language(input.language, what);
      const ex = exclusions(input.exclusions ?? [], what);
      const max = maxComfort(input.maxComfort ?? null, what);
      taken(input.kind, n, null, what);
      run(
        "INSERT INTO profiles (id, kind, name, language, exclusions, max_comfort, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        input.id,
        input.kind,
        n,
        lang,
        JSON.stringify(ex),
        max,
        input.createdAt,
      );
      return get(input.id)!;
    },
    list(kind) {
      return rows(
        "SELECT * FROM profiles WHERE kind = ? AND deleted_at IS NULL ORDER BY name COLLATE NOCASE, id LIMIT ?",
        kind,
        MAX_LISTED,
      ).map(toProfile);
    },
    get,
    findByName(kind, n) {
      const row = rows(
        "SELECT * FROM profiles WHERE kind = ? AND name = ? AND deleted_at IS NULL",
        kind,
        typeof n === "string" ? n.trim() : "",
      )[0];
      return row ? toProfile(row) : null;
    },
    update(id, patch) {
      const what = "update profile";
      const current = get(id);
      if (!current) refuse(what, "id", `names no profile: ${JSON.stringify(id)}`);
      const next = { ...current };
      if (patch.name !== undefined) next.name = name(patch.name, what);
      if (patch.language !== undefined) next.language = language(patch.language, what);
      if (patch.exclusions !== undefined) next.exclusions = exclusions(patch.exclusions, what);
      if (patch.maxComfort !== undefined) next.maxComfort = maxComfort(patch.maxComfort, what);
      if (patch.onboardedAt !== undefined) {
        if (patch.onboardedAt !== null && !isTime(patch.onboardedAt)) {
          refuse(what, "onboardedAt", `must be a time or null, got ${JSON.stringify(patch.onboardedAt)}`);
        }
        next.onboardedAt = patch.onboardedAt;
      }
      if (next.name.toLowerCase() !== current.name.toLowerCase()) taken(current.kind, next.name, id, what);
      run(
        "UPDATE profiles SET name = ?, language = ?, exclusions = ?, max_comfort = ?, onboarded_at = ? WHERE id = ?",
        next.name,
        next.language,
        JSON.stringify(next.exclusions),
        next.maxComfort,
        next.onboardedAt,
        id,
      );
      return get(id)!;
    },
    remove(id, at) {
      if (!isTime(at)) refuse("delete profile", "at", `must be a time, got ${JSON.stringify(at)}`);
      return Number(
        run("UPDATE profiles SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", at, id).changes,
      ) > 0;
    },
  };
}

/**
 * A profiles row as a ProfileRecord, checked: a row whose exclusions or ceiling cannot be read throws instead
 * of coming back without them (a person's exclusions must never silently vanish).
 */
export function toProfile(r: Record<string, SQLInputValue>): ProfileRecord {
  const where = `profile ${JSON.stringify(r.id)} as stored`;
  let exclusions: unknown;
  try {
    exclusions = JSON.parse(String(r.exclusions));
  } catch {
    exclusions = null;
  }
  if (!Array.isArray(exclusions) || !exclusions.every((x) => typeof x === "string")) {
    throw new TypeError(`Cannot read ${where}: its exclusions are not a list of zone ids`);
  }
  const max = r.max_comfort === null ? null : Number(r.max_comfort);
  if (max !== null && !(Number.isInteger(max) && max >= 1 && max <= 10)) {
    throw new TypeError(`Cannot read ${where}: its level ceiling ${r.max_comfort} is not 1..10`);
  }
  const kind = String(r.kind);
  if (!(KINDS as readonly string[]).includes(kind)) throw new TypeError(`Cannot read ${where}: kind ${kind}`);
  const language = String(r.language);
  return {
    id: String(r.id),
    kind: kind as ProfileKind,
    name: String(r.name),
    // A language this build does not speak reads as English (the fallback of every catalogue).
    language: (LANGUAGES as readonly string[]).includes(language) ? language as "en" | "es" : "en",
    exclusions: exclusions as string[],
    maxComfort: max,
    onboardedAt: r.onboarded_at === null ? null : Number(r.onboarded_at),
    createdAt: Number(r.created_at),
    deletedAt: r.deleted_at === null ? null : Number(r.deleted_at),
  };
}
