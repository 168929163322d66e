/** The stations in the staff member's scope, as the API reports them (polled every 5 s while signed in). */
import { signal } from "@preact/signals";
import { api } from "./api.ts";
import type { StationRow } from "../queries.ts";

export type { StationRow };

/** The latest list; empty before the first answer. */
export const stations = signal<StationRow[]>([]);
/** Why the last poll failed, or "". */
export const stationsError = signal("");
/** When the list was last loaded (ms), or null. */
export const stationsAt = signal<number | null>(null);

/** Loads the station list now (`poll`: a timed refresh, not the person's activity). */
export async function loadStations(poll = false): Promise<void> {
  try {
    stations.value = (await api<{ stations: StationRow[] }>("/api/stations", undefined, poll)).stations;
    stationsError.value = "";
    stationsAt.value = Date.now();
  } catch (error) {
    stationsError.value = error instanceof Error ? error.message : String(error);
  }
}

/** The salons the list covers (for chain staff's scope choice). */
export function salonsOf(list: readonly StationRow[]): string[] {
  return [...new Set(list.map((s) => s.salon))].sort();
}
