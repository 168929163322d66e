/** Validation of untrusted engine events (replay lines, page messages): a typed copy or an error naming the field. */
import { FieldError } from "./field_error.ts";
import type { EngineEvent, ScreeningAnswers, UvPoint } from "./types.ts";

const EVENT_TYPES = [
  "begin",
  "start",
  "contact",
  "probe",
  "comfort",
  "cap",
  "device",
  "fault",
  "estop",
  "reset",
  "pause",
  "resume",
  "end",
] as const;

/** Fields each event type may carry; anything else is refused (a misspelt "operatorCapUA" must not pass silently). */
const FIELDS: Record<(typeof EVENT_TYPES)[number], readonly string[]> = {
  begin: [],
  start: ["routine", "comfort", "screening", "operatorCapUa", "netDc", "exclusions", "maxComfort"],
  contact: ["on", "impedanceOhm"],
  probe: ["points", "confidence"],
  comfort: ["level"],
  cap: ["operatorCapUa"],
  device: ["maxCurrentUa", "netDc"],
  fault: ["source", "reason"],
  estop: [],
  reset: [],
  pause: [],
  resume: [],
  end: [],
};

/** Latest event time accepted: 24 hours, far beyond any session, so one bad line cannot make a run unbounded. */
const MAX_T_MS = 24 * 60 * 60 * 1000;

/** Largest |u| or |v| accepted: far beyond the face, but finite and bounded. */
const MAX_UV = 10;
/** Most probe points in one observation (a device has two probes). */
const MAX_POINTS = 2;
/** Most excluded zones when the caller names no zone map: bounded whatever the map (the shipped one has 14). */
const MAX_EXCLUSIONS = 64;
/** A zone id as zone maps spell them (core/zones validateZoneMap). */
const ZONE_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** Options for parseEvent. */
export interface ParseEventOptions {
  /**
   * Treatment zone ids of the zone map the engine has (Engine.zoneIds): a start's `exclusions` may name only
   * these, at most this many. Without it any well-formed ids pass here, at most 64, and the engine refuses
   * unknown ones when the start is applied.
   */
  zoneIds?: readonly string[];
}

function fail(where: string, field: string, message: string): never {
  throw new FieldError(field, `${where}field "${field}" ${message}`);
}

function num(
  raw: Record<string, unknown>,
  field: string,
  where: string,
  min: number,
  max: number,
  label = field,
): number {
  const value = raw[field];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(where, label, `must be a finite number, got ${JSON.stringify(value)}`);
  }
  if (value < min || value > max) fail(where, label, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Comfort is a whole step 1..10 (the page's slider and the store both use whole steps). */
function comfortLevel(raw: Record<string, unknown>, field: string, where: string): number {
  const value = num(raw, field, where, 1, 10);
  if (!Number.isInteger(value)) fail(where, field, `must be a whole number from 1 to 10, got ${value}`);
  return value;
}

function bool(raw: Record<string, unknown>, field: string, where: string): boolean {
  const value = raw[field];
  if (typeof value !== "boolean") fail(where, field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function str(raw: Record<string, unknown>, field: string, where: string, maxLength = 200): string {
  const value = raw[field];
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) {
    fail(
      where,
      field,
      `must be a non-empty string of at most ${maxLength} characters, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function points(raw: Record<string, unknown>, where: string): UvPoint[] {
  const value = raw.points;
  if (!Array.isArray(value)) {
    fail(where, "points", `must be an array of {u, v}, got ${JSON.stringify(value)}`);
  }
  if (value.length > MAX_POINTS) {
    fail(where, "points", `must hold at most ${MAX_POINTS} points, got ${value.length}`);
  }
  return value.map((p, i) => {
    if (typeof p !== "object" || p === null || Array.isArray(p)) {
      fail(where, `points[${i}]`, `must be an object {u, v}, got ${JSON.stringify(p)}`);
    }
    const point = p as Record<string, unknown>;
    return {
      u: num(point, "u", where, -MAX_UV, MAX_UV, `points[${i}].u`),
      v: num(point, "v", where, -MAX_UV, MAX_UV, `points[${i}].v`),
    };
  });
}

function screening(raw: Record<string, unknown>, where: string): ScreeningAnswers {
  const value = raw.screening;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(where, "screening", `must be an object of yes/no answers, got ${JSON.stringify(value)}`);
  }
  const answers: ScreeningAnswers = {};
  for (const [key, answer] of Object.entries(value)) {
    if (typeof answer !== "boolean") {
      fail(where, `screening.${key}`, `must be true or false, got ${JSON.stringify(answer)}`);
    }
    answers[key] = answer;
  }
  return answers;
}

function exclusions(raw: Record<string, unknown>, where: string, zoneIds?: readonly string[]): string[] {
  const value = raw.exclusions;
  const most = zoneIds?.length ?? MAX_EXCLUSIONS;
  if (!Array.isArray(value)) {
    fail(where, "exclusions", `must be an array of zone ids, got ${JSON.stringify(value)}`);
  }
  if (value.length > most) {
    fail(where, "exclusions", `must hold at most ${most} zone ids (one per zone), got ${value.length}`);
  }
  const seen = new Set<string>();
  return value.map((id, i) => {
    const field = `exclusions[${i}]`;
    if (typeof id !== "string" || !ZONE_ID.test(id)) {
      fail(where, field, `must be a zone id, got ${JSON.stringify(id)}`);
    }
    if (zoneIds && !zoneIds.includes(id)) {
      fail(where, field, `names ${JSON.stringify(id)}, not a treatment zone; known: ${zoneIds.join(", ")}`);
    }
    if (seen.has(id)) fail(where, field, `repeats ${JSON.stringify(id)}`);
    seen.add(id);
    return id;
  });
}

/**
 * Validates one untrusted event and returns a typed copy. `where` prefixes messages (e.g. "line 3: ").
 * Throws FieldError (a TypeError) with `.field`, its message naming the field too, e.g.
 * `line 3: field "points[0].u" must be a finite number, got "a"`.
 */
export function parseEvent(input: unknown, where = "", options: ParseEventOptions = {}): EngineEvent {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new TypeError(`${where}event must be a JSON object, got ${JSON.stringify(input)}`);
  }
  const raw = input as Record<string, unknown>;
  const t = num(raw, "t", where, 0, MAX_T_MS);
  const type = raw.type;
  if (typeof type !== "string" || !(EVENT_TYPES as readonly string[]).includes(type)) {
    fail(where, "type", `must be one of ${EVENT_TYPES.join(", ")}, got ${JSON.stringify(type)}`);
  }
  const allowed = FIELDS[type as (typeof EVENT_TYPES)[number]];
  for (const key of Object.keys(raw)) {
    if (key !== "t" && key !== "type" && !allowed.includes(key)) {
      fail(
        where,
        key,
        `is not a field of a "${type}" event (allowed: ${["t", "type", ...allowed].join(", ")})`,
      );
    }
  }
  switch (type as EngineEvent["type"]) {
    case "start": {
      const event: EngineEvent = {
        t,
        type: "start",
        routine: str(raw, "routine", where, 100),
        comfort: comfortLevel(raw, "comfort", where),
        screening: screening(raw, where),
      };
      if (raw.operatorCapUa !== undefined) event.operatorCapUa = num(raw, "operatorCapUa", where, 0, 10_000);
      if (raw.netDc !== undefined) event.netDc = bool(raw, "netDc", where);
      if (raw.exclusions !== undefined) event.exclusions = exclusions(raw, where, options.zoneIds);
      if (raw.maxComfort !== undefined) event.maxComfort = comfortLevel(raw, "maxComfort", where);
      return event;
    }
    case "contact": {
      const event: EngineEvent = { t, type: "contact", on: bool(raw, "on", where) };
      if (raw.impedanceOhm !== undefined) event.impedanceOhm = num(raw, "impedanceOhm", where, 0, 1e9);
      return event;
    }
    case "probe":
      return {
        t,
        type: "probe",
        points: points(raw, where),
        confidence: num(raw, "confidence", where, 0, 1),
      };
    case "comfort":
      return { t, type: "comfort", level: comfortLevel(raw, "level", where) };
    case "cap":
      return { t, type: "cap", operatorCapUa: num(raw, "operatorCapUa", where, 0, 10_000) };
    case "device":
      return {
        t,
        type: "device",
        maxCurrentUa: num(raw, "maxCurrentUa", where, 0, 100_000),
        netDc: bool(raw, "netDc", where),
      };
    case "fault":
      return { t, type: "fault", source: str(raw, "source", where), reason: str(raw, "reason", where, 500) };
    case "begin":
    case "estop":
    case "reset":
    case "pause":
    case "resume":
    case "end":
      return { t, type: type as "begin" | "estop" | "reset" | "pause" | "resume" | "end" };
  }
}
