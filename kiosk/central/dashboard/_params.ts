/** The API's query parameters (a list's station and page, a day's range), checked and named in each refusal. */
import type { Context } from "hono";
import { STATION_ID } from "../stations.ts";

/** ?station= and ?page= of a list, checked. */
export function listQuery(c: Context): { station: string | null; page: number } | { error: string } {
  const station = c.req.query("station") || null;
  if (station !== null && !STATION_ID.test(station)) {
    return { error: `station must be a station id, got ${JSON.stringify(station)}` };
  }
  const rawPage = c.req.query("page") ?? "0";
  if (!/^[0-9]{1,5}$/.test(rawPage)) {
    return { error: `page must be an integer 0..99999, got ${JSON.stringify(rawPage)}` };
  }
  return { station, page: Number(rawPage) };
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
