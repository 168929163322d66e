/** A paged list the page reads from the API (sessions, audit log): its station filter, page, answer and error. */
import { signal } from "@preact/signals";
import { api } from "./api.ts";
import type { Page } from "../queries.ts";

/** One list's state and its loader. */
export function createPagedList<T>(path: string, extra: () => Record<string, string> = () => ({})) {
  const list = {
    station: signal(""),
    page: signal(0),
    result: signal<Page<T> | null>(null),
    error: signal(""),
    /** Loads the current page with the current filter. */
    async load(): Promise<void> {
      const q = new URLSearchParams({ ...extra(), page: String(list.page.value) });
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
      list.page.value = 0;
    },
  };
  return list;
}

/** What createPagedList returns. */
export type PagedList<T> = ReturnType<typeof createPagedList<T>>;
