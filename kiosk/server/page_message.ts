/** Messages from the kiosk page: which types a role may send (pure tables), and validation to a typed request. */
import { CONTRAINDICATIONS, type EngineEvent, FieldError, parseEvent } from "../../core/engine/mod.ts";
import type { EventInput, EventSource } from "../session/mod.ts";

// The rules: which message a page socket may send, by role, and the refusal (field, message) for the rest.

/** What the kiosk is (config STATION): a home mirror with a few local profiles, or a salon station for walk-ins. */
export type Station = "home" | "salon";
/** Every station kind. */
export const STATIONS: readonly Station[] = ["home", "salon"];

/** A socket's role: every socket starts as "user"; the operator PIN makes it "operator". */
export type SocketRole = "user" | "operator";

/** Who may send an event type over a page socket. */
export type Sender = "anyone" | "operator" | "device host";

/** The rule for one engine event type arriving over a page socket. */
export interface MessageRule {
  /** Who may send it; "device host" types are refused to every socket. */
  from: Sender;
  /** The hub answers it with an ack (the page waits for one before it moves on). */
  ack: boolean;
}

/**
 * Every engine event type and who may send it over a page socket. The order of page types is the order the
 * "must be one of" error lists them in.
 */
export const MESSAGE_RULES = {
  probe: { from: "anyone", ack: false },
  estop: { from: "anyone", ack: true },
  comfort: { from: "anyone", ack: true },
  start: { from: "anyone", ack: true },
  end: { from: "anyone", ack: true },
  // Clears an estop and a latched device fault: the operator's call, not the person's at the screen.
  reset: { from: "operator", ack: true },
  pause: { from: "anyone", ack: true },
  resume: { from: "anyone", ack: true },
  // The operator cap (rule 1).
  cap: { from: "operator", ack: true },
  // Measurements only the device host makes; a page that sent them could fake contact or a device's maximum.
  contact: { from: "device host", ack: false },
  device: { from: "device host", ack: false },
  fault: { from: "device host", ack: false },
} as const satisfies Partial<Record<EngineEvent["type"], MessageRule>>;

type RuledType = keyof typeof MESSAGE_RULES;

/** Message types the page may send (to some role). */
export const PAGE_MESSAGE_TYPES = (Object.keys(MESSAGE_RULES) as RuledType[]).filter((type) =>
  MESSAGE_RULES[type].from !== "device host"
);

/** A refused message: the field the error reply names, and its text. */
export interface Refusal {
  field: string;
  message: string;
}

/** What a validated page request carries that the rules look at. */
export interface RuledRequest {
  event: { type: string; netDc?: boolean; operatorCapUa?: number };
  /** Where a probe observation came from. */
  source?: "camera" | "demo";
}

function ruleOf(type: unknown): MessageRule | undefined {
  return typeof type === "string" && Object.hasOwn(MESSAGE_RULES, type)
    ? MESSAGE_RULES[type as RuledType]
    : undefined;
}

/** Refuses, naming "type", a message type no page socket may send (a device-host measurement, or unknown). */
export function typeRefusal(type: unknown): Refusal | null {
  const rule = ruleOf(type);
  if (rule?.from === "device host") {
    return {
      field: "type",
      message: `field "type" ${JSON.stringify(type)} is accepted only from the device host, not the page`,
    };
  }
  if (!rule) {
    return {
      field: "type",
      message: `field "type" must be one of ${PAGE_MESSAGE_TYPES.join(", ")}, got ${JSON.stringify(type)}`,
    };
  }
  return null;
}

/**
 * Refuses what a socket of `role` may not send in a validated request: demo observations unless the device is
 * simulated, operator-only types and a start's operator settings from a user. Null when it may go on.
 */
export function roleRefusal(
  role: SocketRole,
  request: RuledRequest,
  options: { demoAllowed: boolean },
): Refusal | null {
  const type = request.event.type;
  if (request.source === "demo" && !options.demoAllowed) {
    return {
      field: "source",
      message: 'field "source": demo observations are refused: the device is not simulated',
    };
  }
  if (role === "operator") return null;
  if (ruleOf(type)?.from === "operator") {
    return {
      field: "type",
      message:
        `"${type}" is accepted only from an operator socket: send {"type":"operator","pin":"..."} first`,
    };
  }
  if (type === "start") {
    // Net-DC and the operator cap are the operator's settings (rule 9, rule 1), not the user's.
    const { netDc, operatorCapUa } = request.event;
    const field = netDc === true ? "netDc" : operatorCapUa !== undefined ? "operatorCapUa" : null;
    if (field) return { field, message: `field "${field}" is accepted only from an operator socket` };
  }
  return null;
}

/** True when the hub answers this type with an ack. */
export function isAcked(type: string): boolean {
  return ruleOf(type)?.ack ?? false;
}

/** An emergency stop is never rate-limited (decided on the parsed type, never on the raw text). */
export function bypassesRateLimit(type: unknown): boolean {
  return type === "estop";
}

/** Who acted, as recorded: the socket's authenticated role, never a name the message gives itself. */
export function sourceOf(role: SocketRole): EventSource {
  return role === "operator" ? "operator" : "page";
}

/** The rule for one profile message (not an engine event: the hub's profile desk answers it, like `operator`). */
export interface ProfileRule {
  /** The stations that take it; any other refuses it naming "type". */
  stations: readonly Station[];
  /** Fields it may carry besides `type` (anything else is refused naming the field); required ones first. */
  fields: readonly string[];
  required: readonly string[];
}

/**
 * The page's profile messages by station (docs/kiosk.md, Profiles). A salon never lists, creates or selects by
 * id: one client must not see another's names; a walk-in is found by its client code.
 */
export const PROFILE_RULES = {
  profiles: { stations: ["home"], fields: [], required: [] },
  "profile-create": { stations: ["home"], fields: ["name", "language"], required: ["name", "language"] },
  "profile-select": { stations: ["home"], fields: ["id"], required: ["id"] },
  "profile-delete": { stations: ["home"], fields: ["id"], required: ["id"] },
  "client-code": { stations: ["salon"], fields: ["code", "language"], required: ["code"] },
  "profile-update": {
    stations: ["home", "salon"],
    fields: ["id", "language", "exclusions", "maxComfort", "onboarded"],
    required: ["id"],
  },
  "profile-leave": { stations: ["home", "salon"], fields: [], required: [] },
} as const satisfies Record<string, ProfileRule>;

/** A profile message type. */
export type ProfileMessageType = keyof typeof PROFILE_RULES;

/** The staff view's message types (answered to an operator socket by kiosk/server/_hub_staff.ts). */
export const STAFF_TYPES = ["staff-sessions", "staff-audit"] as const;
/** One of STAFF_TYPES. */
export type StaffType = typeof STAFF_TYPES[number];

/** True for a staff-view request. */
export function isStaffType(type: unknown): type is StaffType {
  return typeof type === "string" && (STAFF_TYPES as readonly string[]).includes(type);
}

/** True for a profile message type (answered by the profile desk, not the engine). */
export function isProfileMessage(type: unknown): type is ProfileMessageType {
  return typeof type === "string" && Object.hasOwn(PROFILE_RULES, type);
}

/** Refuses a profile message this station does not take, or one with an unknown or missing field. */
export function profileRefusal(raw: Record<string, unknown>, station: Station): Refusal | null {
  const type = raw.type as ProfileMessageType;
  const rule: ProfileRule = PROFILE_RULES[type];
  if (!rule.stations.includes(station)) {
    const why = type === "profiles" ? ": one client must not see another's names" : "";
    return {
      field: "type",
      message: `field "type" ${JSON.stringify(type)} is not taken at a ${station} station${why}`,
    };
  }
  for (const key of Object.keys(raw)) {
    if (key !== "type" && !rule.fields.includes(key)) {
      const allowed = ["type", ...rule.fields].join(", ");
      return { field: key, message: `field "${key}" is not a field of "${type}" (allowed: ${allowed})` };
    }
  }
  const missing = rule.required.find((key) => raw[key] === undefined);
  if (missing) return { field: missing, message: `field "${missing}" is required for "${type}"` };
  return null;
}

// Validation: a page message's text to a typed request, or an error naming the bad field.

/** Largest page message accepted, in characters. */
export const MAX_MESSAGE_CHARS = 16_384;

/** Screening question ids: letters, digits and _.:- (as the store keeps them), at most 64 characters. */
const SCREENING_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const MAX_SCREENING_ANSWERS = 32;

/** A validated page message: the engine event to apply (without `t`) plus what goes with it. */
export interface PageRequest {
  event: EventInput;
  /** Page capture time of a probe observation (page clock; used only to drop reordered observations). */
  capturedAt?: number;
  /** Where a probe observation came from: the live camera or the page's photo demo. */
  source?: "camera" | "demo";
  /** Consent that came with a start request. */
  consent?: { given: true; by?: string };
  /** A name the page gave (recorded as who gave consent at start); never decides who is an operator. */
  by?: string;
}

function optionalBy(raw: Record<string, unknown>): string | undefined {
  const by = raw.by;
  if (by === undefined) return undefined;
  if (typeof by !== "string" || by.length === 0 || by.length > 64) {
    throw new FieldError(
      "by",
      `field "by" must be a non-empty string of at most 64 characters, got ${JSON.stringify(by)}`,
    );
  }
  return by;
}

/**
 * Parses one WebSocket text message from the page. The page's own `t` is ignored: the server
 * stamps events with its clock. Throws FieldError naming the field.
 */
export function parsePageMessage(text: string): PageRequest {
  return parsePageObject(readPageJson(text));
}

/**
 * The first step of parsePageMessage: size check and JSON parse to a plain object. The hub parses once, reads
 * `type` (an estop skips the rate limit) and hands the object to parsePageObject.
 */
export function readPageJson(text: string): Record<string, unknown> {
  if (text.length > MAX_MESSAGE_CHARS) {
    throw new FieldError(
      "message",
      `message is ${text.length} characters; at most ${MAX_MESSAGE_CHARS} are accepted`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FieldError("json", `message is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new FieldError("json", `message must be a JSON object, got ${JSON.stringify(raw)}`);
  }
  return raw as Record<string, unknown>;
}

/** The second step of parsePageMessage: validates a parsed message object. Throws FieldError naming the field. */
export function parsePageObject(msg: Record<string, unknown>): PageRequest {
  const type = msg.type;
  const refused = typeRefusal(type);
  if (refused) throw new FieldError(refused.field, refused.message);
  const request: PageRequest = { event: { type: "estop" } };
  // A well-typed emergency stop always goes through: a bad optional field must not block it.
  if (type === "estop") return request;
  const by = optionalBy(msg);
  if (by !== undefined) request.by = by;
  if (type === "probe" && msg.capturedAt !== undefined) {
    const at = msg.capturedAt;
    if (typeof at !== "number" || !Number.isFinite(at) || at < 0) {
      throw new FieldError(
        "capturedAt",
        `field "capturedAt" must be a finite number ≥ 0, got ${JSON.stringify(at)}`,
      );
    }
    request.capturedAt = at;
  }
  if (type === "probe" && msg.source !== undefined) {
    if (msg.source !== "camera" && msg.source !== "demo") {
      throw new FieldError(
        "source",
        `field "source" must be "camera" or "demo", got ${JSON.stringify(msg.source)}`,
      );
    }
    request.source = msg.source;
  }
  if (type === "start") {
    // The same key rule as the store's screening record, so a start the engine accepts is always recordable.
    const answers = msg.screening;
    if (typeof answers === "object" && answers !== null && !Array.isArray(answers)) {
      const keys = Object.keys(answers);
      if (keys.length > MAX_SCREENING_ANSWERS) {
        throw new FieldError(
          "screening",
          `field "screening" holds ${keys.length} answers; at most ${MAX_SCREENING_ANSWERS}`,
        );
      }
      const bad = keys.find((k) => !SCREENING_KEY.test(k));
      if (bad !== undefined) {
        throw new FieldError(
          "screening",
          `field "screening" has an invalid question id ${JSON.stringify(bad)}`,
        );
      }
      // Every contraindication question must have been answered: an unanswered one is not a "no".
      const record = answers as Record<string, unknown>;
      const missing = CONTRAINDICATIONS.find((k) => typeof record[k] !== "boolean");
      if (missing !== undefined) {
        throw new FieldError(
          `screening.${missing}`,
          `field "screening.${missing}" must be answered true or false, got ${
            JSON.stringify(record[missing])
          }`,
        );
      }
    }
    if (msg.consent !== true) {
      throw new FieldError(
        "consent",
        `field "consent" must be true to start a session, got ${JSON.stringify(msg.consent)}`,
      );
    }
    request.consent = by === undefined ? { given: true } : { given: true, by };
  }
  // Only the fields the engine knows go through; t is the server's (0 here, restamped by the runner).
  const { t: _pageT, capturedAt: _c, consent: _k, by: _b, ...fields } = msg;
  // `source` is the kiosk's (probe only), not the engine's: the engine refuses unknown fields.
  if (type === "probe") delete fields.source;
  // parseEvent throws FieldError naming the field (fields is an object, so every refusal names one).
  const { t: _t, ...input } = parseEvent({ ...fields, t: 0 });
  request.event = input as EventInput;
  return request;
}
