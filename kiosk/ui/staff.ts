/** The staff view's data on the page: what the operator socket was answered (a day's sessions, one audit page), checked, and emptied at every lock. */
import { signal } from "@preact/signals";
import type { SessionRow } from "../../core/session/mod.ts";
import { operator } from "./state.ts";

/** One session as the staff view lists it: the record's fields and whose it was. */
export interface StaffSession extends SessionRow {
  /** Whose it was: a walk-in's client code or a home profile's name; null for nobody chosen. */
  client: { kind: "home" | "walk-in"; name: string } | null;
}

/** A day's sessions, newest first. */
export interface StaffDay {
  day: string;
  sessions: StaffSession[];
  truncated: boolean;
}

/** One audit entry. */
export interface StaffAuditEntry {
  id: number;
  at: number;
  action: string;
  actor: string;
  sessionId: string | null;
  detail: Record<string, unknown>;
}

/** One page of the audit log, newest first; `next` asks for the older page (null at the oldest). */
export interface StaffAuditPage {
  before: number | null;
  entries: StaffAuditEntry[];
  next: number | null;
}

/** The day's sessions the server sent (null until asked, and after every lock). */
export const staffDay = signal<StaffDay | null>(null);
/** The audit page on view (null until asked, and after every lock). */
export const staffAudit = signal<StaffAuditPage | null>(null);
/** The `before` of each newer page seen, so "Newer" can go back (the newest is null). */
export const auditTrail = signal<(number | null)[]>([]);
/** The server's refusal of a staff request, as "field: message". */
export const staffError = signal<string | null>(null);

const isText = (x: unknown): x is string => typeof x === "string";
const isCount = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x >= 0;
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

function readSession(raw: unknown): StaffSession | null {
  if (!isObject(raw)) return null;
  const { id, routine, startedAt, endedAt, endReason, stimulationMs, maxCurrentUa, profile } = raw;
  if (!isText(id) || !isText(routine) || !isCount(startedAt) || !isCount(stimulationMs)) return null;
  if (!isCount(maxCurrentUa) || !(endedAt === null || isCount(endedAt))) return null;
  if (!(endReason === null || isText(endReason))) return null;
  const client = isObject(profile) && isText(profile.name)
    ? { kind: profile.kind === "walk-in" ? "walk-in" as const : "home" as const, name: profile.name }
    : null;
  return { id, routine, startedAt, endedAt, endReason, stimulationMs, maxCurrentUa, client };
}

function readEntry(raw: unknown): StaffAuditEntry | null {
  if (!isObject(raw)) return null;
  const { id, at, action, actor, sessionId, detail } = raw;
  if (!Number.isSafeInteger(id) || !isCount(at) || !isText(action) || !isText(actor)) return null;
  if (!(sessionId === null || isText(sessionId))) return null;
  return { id: id as number, at, action, actor, sessionId, detail: isObject(detail) ? detail : {} };
}

/** A `staff-sessions` answer, its malformed rows dropped; null when it is not one. */
export function readStaffDay(msg: Record<string, unknown>): StaffDay | null {
  if (!isText(msg.day) || !Array.isArray(msg.sessions)) return null;
  const sessions = msg.sessions.map(readSession).filter((s): s is StaffSession => s !== null);
  return { day: msg.day, sessions, truncated: msg.truncated === true };
}

/** A `staff-audit` answer, its malformed entries dropped; null when it is not one. */
export function readStaffAudit(msg: Record<string, unknown>): StaffAuditPage | null {
  if (!Array.isArray(msg.entries)) return null;
  const cursor = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 1 ? x as number : null;
  const entries = msg.entries.map(readEntry).filter((e): e is StaffAuditEntry => e !== null);
  return { before: cursor(msg.before), entries, next: cursor(msg.next) };
}

/**
 * Takes a staff answer from the socket. Only an unlocked page keeps it: an answer that arrives after a lock (it
 * was in flight) is dropped, so nothing shows once the panel locked.
 */
export function receiveStaff(msg: Record<string, unknown>): void {
  if (!operator.peek().unlocked) return;
  if (msg.type === "staff-sessions") {
    const day = readStaffDay(msg);
    if (day) [staffDay.value, staffError.value] = [day, null];
  } else if (msg.type === "staff-audit") {
    const page = readStaffAudit(msg);
    if (page) [staffAudit.value, staffError.value] = [page, null];
  }
}

/** Forgets everything the staff view showed. */
export function clearStaff(): void {
  staffDay.value = null;
  staffAudit.value = null;
  auditTrail.value = [];
  staffError.value = null;
}

/** Starts watching (once, at page start): every lock (by hand, idle, a session's end, a lost socket) empties the view. */
export function watchStaffLock(): () => void {
  return operator.subscribe(({ unlocked }) => {
    if (!unlocked) clearStaff();
  });
}
