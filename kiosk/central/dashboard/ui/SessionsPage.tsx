/** Today's sessions (the browser's day) across the stations in scope: time, station, routine, length, end reason. */
import { clock, duration, today } from "./format.ts";
import type { SessionRow } from "../queries.ts";
import { createPagedList } from "./paged_list.ts";
import { ListPage, type ListPageProps } from "./ListParts.tsx";

const PAGE: ListPageProps<SessionRow> = {
  title: "Today's sessions",
  empty: "No sessions today.",
  list: createPagedList<SessionRow>("/api/sessions", today),
  attrs: (s) => ({ "data-testid": "session-row", "data-station": s.station, "data-id": s.id }),
  columns: [
    { label: "Started", cell: (s) => clock(s.startedAt) },
    { label: "Station", cell: (s) => s.station },
    { label: "Routine", cell: (s) => s.routine },
    {
      label: "Length",
      cell: (s) => s.endedAt ? duration(Date.parse(s.endedAt) - Date.parse(s.startedAt)) : "under way",
    },
    { label: "Stimulation", cell: (s) => duration(s.stimulationMs) },
    { label: "Ended", cell: (s) => s.endReason ?? "–" },
  ],
};

/** The sessions page. */
export const SessionsPage = () => <ListPage {...PAGE} />;
