/** The staff view's reads over the page socket, answered only to an operator socket: a day's sessions and the audit log by pages. */
import { errorField, FieldError } from "../../core/engine/mod.ts";
import type { Store } from "../store/mod.ts";
import type { ControlReply } from "./_hub_control.ts";
import type { SocketRole, StaffType } from "./page_message.ts";

/** The records the staff view reads (a Store has them). */
export type StaffRecords = Pick<Store, "staffSessions" | "auditPage">;

/** Audit entries per page when the request names no limit. */
export const DEFAULT_AUDIT_PAGE = 25;
/** Most audit entries one request may ask for. */
export const MAX_AUDIT_REQUEST = 100;
/** Most sessions one day's answer lists (more are reported as `truncated`). */
export const MAX_DAY_SESSIONS = 500;

const FIELDS: Record<StaffType, readonly string[]> = {
  "staff-sessions": ["type", "day"],
  "staff-audit": ["type", "before", "limit"],
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local calendar day "YYYY-MM-DD" of epoch ms `at`, in this process's time zone (the station's). */
export function localDay(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/**
 * The epoch-ms span [from, to) of a local calendar day "YYYY-MM-DD" (23 or 25 hours on a clock change). Throws
 * FieldError naming "day" for anything else, including dates that do not exist (2026-02-30).
 */
export function dayRange(day: unknown): { from: number; to: number } {
  const m = typeof day === "string" ? DAY.exec(day) : null;
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const start = new Date(y, mo - 1, d);
  if (!m || y < 1970 || start.getFullYear() !== y || start.getMonth() !== mo - 1 || start.getDate() !== d) {
    throw new FieldError(
      "day",
      `field "day" must be a calendar date "YYYY-MM-DD", got ${JSON.stringify(day)}`,
    );
  }
  return { from: start.getTime(), to: new Date(y, mo - 1, d + 1).getTime() };
}

function optionalInteger(raw: Record<string, unknown>, field: string, min: number, max: number) {
  const value = raw[field];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new FieldError(
      field,
      `field "${field}" must be an integer ${min}..${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function read(raw: Record<string, unknown>, type: StaffType, records: StaffRecords, wallMs: number) {
  const unknown = Object.keys(raw).find((k) => !FIELDS[type].includes(k));
  if (unknown !== undefined) {
    throw new FieldError(unknown, `field "${unknown}" is not part of a "${type}" request`);
  }
  if (type === "staff-sessions") {
    const day = raw.day === undefined ? localDay(wallMs) : raw.day;
    const { from, to } = dayRange(day);
    const sessions = records.staffSessions({ from, to, limit: MAX_DAY_SESSIONS + 1 });
    const truncated = sessions.length > MAX_DAY_SESSIONS;
    return { type, day, from, to, sessions: sessions.slice(0, MAX_DAY_SESSIONS), truncated };
  }
  const before = optionalInteger(raw, "before", 1, Number.MAX_SAFE_INTEGER);
  const limit = optionalInteger(raw, "limit", 1, MAX_AUDIT_REQUEST) ?? DEFAULT_AUDIT_PAGE;
  // One more than asked says whether an older page exists, without a count over the whole log.
  const rows = records.auditPage({ before, limit: limit + 1 });
  const entries = rows.slice(0, limit);
  const next = rows.length > limit ? entries.at(-1)!.id : null;
  return { type, before: before ?? null, limit, entries, next };
}

/**
 * `{type:"staff-sessions", day?}` → `{type:"staff-sessions", day, from, to, sessions, truncated}` (day: local
 * "YYYY-MM-DD", default today at the station); `{type:"staff-audit", before?, limit?}` → `{type:"staff-audit",
 * before, limit, entries, next}` (newest first; `next` is the `before` of the older page, null at the oldest).
 * Only an operator socket is answered; every refusal names its field.
 */
export function answerStaff(
  raw: Record<string, unknown>,
  role: SocketRole,
  records: StaffRecords | undefined,
  wallMs: number,
): ControlReply {
  const type = raw.type as StaffType;
  const refuse = (field: string, message: string): ControlReply => ({
    refused: true,
    body: { type: "error", of: type, field, message },
  });
  if (role !== "operator") {
    return refuse(
      "type",
      `"${type}" is accepted only from an operator socket: send {"type":"operator","pin":"..."} first`,
    );
  }
  if (!records) return refuse("type", `"${type}" cannot be answered: this kiosk keeps no records`);
  try {
    return { refused: false, body: read(raw, type, records, wallMs) };
  } catch (error) {
    const field = errorField(error);
    if (field !== undefined) return refuse(field, (error as Error).message);
    // A read that fails (locked or damaged database) says so; nothing is written, so nothing is lost.
    return refuse("store", `Cannot read the records: ${(error as Error).message}`);
  }
}
