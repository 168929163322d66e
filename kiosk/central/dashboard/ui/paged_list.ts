/** A paged list the page reads from the API (sessions, audit log): its station filter, page, answer and error. */
import { signal } from "@preact/signals";
import { api } from "./api.ts";
import type { Page } from "../queries.ts";

/** One list's state and its loader. */
export function createPagedList<T>(path: string, extra: () => Record<string, string> = () => ({})) {
  const list = {
    station: signal(""),
    /** The page tokens that led to the page shown (empty: the first page). */
    trail: signal<string[]>([]),
    result: signal<Page<T> | null>(null),
    error: signal(""),
    /** Loads the current page with the current filter. */
    async load(): Promise<void> {
      const q = new URLSearchParams(extra());
      const page = list.trail.value.at(-1);
      if (page) q.set("page", page);
      if (list.station.value) q.set("station", list.station.value);
      try {
        list.result.value = await api<Page<T>>(`${path}?${q}`);
        list.error.value = "";
      } catch (err) {
        list.error.value = err instanceof Error ? err.message : String(err);
      }
    },
    /** Shows `station` ("" for all) from its first page. */
    filter(station: string): void {
      list.station.value = station;
      list.trail.value = [];
    },
    /** One page older (the answer's `next`) or newer. */
    turn(older: boolean): void {
      const next = list.result.value?.next;
      if (older && next) list.trail.value = [...list.trail.value, next];
      if (!older) list.trail.value = list.trail.value.slice(0, -1);
    },
  };
  return list;
}

/** What createPagedList returns. */
export type PagedList<T> = ReturnType<typeof createPagedList<T>>;
