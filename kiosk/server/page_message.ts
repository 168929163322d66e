/** Validation of messages from the kiosk page: a typed request or an error naming the bad field. */
import { CONTRAINDICATIONS, FieldError, parseEvent } from "../../core/engine/mod.ts";
import type { EventInput } from "../session/mod.ts";
import { typeRefusal } from "./message_rules.ts";

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
