/** The API's query parameters (a list's station and page, a day's range), checked and named in each refusal. */
import type { Context } from "hono";
import { STATION_ID } from "../stations.ts";

/** ?station= and ?page= of a list, checked (page: the `next` token of the previous answer; null: the first page). */
export function listQuery(c: Context): { station: string | null; page: string | null } | { error: string } {
  const station = c.req.query("station") || null;
  if (station !== null && !STATION_ID.test(station)) {
    return { error: `station must be a station id, got ${JSON.stringify(station)}` };
  }
  const page = c.req.query("page") || null;
  if (page !== null && !/^[A-Za-z0-9_-]{1,400}$/.test(page)) {
    return { error: `page must be the "next" of a previous answer, got ${JSON.stringify(page)}` };
  }
  return { station, page };
}

/** A sessions page token: the page number. */
export function pageNumber(page: string | null): number | { error: string } {
  if (page === null) return 0;
  return /^[0-9]{1,5}$/.test(page)
    ? Number(page)
    : { error: `page must be the "next" of a previous answer, got ${JSON.stringify(page)}` };
}

/** Where an audit page starts: after the entry (at, station, id) of the previous page's last row. */
export interface AuditCursor {
  /** The entry's time in UTC to the microsecond, as PostgreSQL wrote it (no precision lost on the way). */
  at: string;
  station: string;
  id: string;
}

// An entry's time to the microsecond, as the audit query writes it (UTC).
const AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** The token of the entry a next audit page starts after. */
export function encodeCursor(c: AuditCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([c.at, c.station, c.id]));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Reads an audit page token back; refuses anything encodeCursor did not make. */
export function decodeCursor(page: string | null): AuditCursor | null | { error: string } {
  if (page === null) return null;
  const bad = { error: `page must be the "next" of a previous answer, got ${JSON.stringify(page)}` };
  try {
    const text = atob(page.replaceAll("-", "+").replaceAll("_", "/"));
    const [at, station, id, ...rest] = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(text, (ch) => ch.charCodeAt(0))),
    );
    const ok = rest.length === 0 && typeof at === "string" && AT.test(at) &&
      typeof station === "string" && STATION_ID.test(station) && typeof id === "string" && id.length <= 200;
    return ok ? { at, station, id } : bad;
  } catch {
    return bad;
  }
}

/** ?from= and ?to= (ISO times: the browser's own day), at most 48 h apart; default the last 24 h. */
export function dayRange(
  from: string | undefined,
  to: string | undefined,
): { from: Date; to: Date } | { error: string } {
  if (from === undefined && to === undefined) {
    const end = new Date();
    return { from: new Date(end.getTime() - 86_400_000), to: end };
  }
  const f = new Date(from ?? ""), t = new Date(to ?? "");
  if (Number.isNaN(f.getTime())) {
    return { error: `from must be an ISO time, got ${JSON.stringify(from ?? null)}` };
  }
  if (Number.isNaN(t.getTime())) {
    return { error: `to must be an ISO time, got ${JSON.stringify(to ?? null)}` };
  }
  if (t <= f || t.getTime() - f.getTime() > 48 * 3_600_000) {
    return {
      error: `to must be after from and at most 48 h later, got ${JSON.stringify(from)}..${
        JSON.stringify(to)
      }`,
    };
  }
  return { from: f, to: t };
}
