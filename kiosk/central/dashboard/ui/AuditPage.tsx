/** The audit log across the stations in scope, newest first, by pages, for one station or all. */
import { stamp } from "./format.ts";
import type { AuditRow } from "../queries.ts";
import { createPagedList } from "./paged_list.ts";
import { ListPage, type ListPageProps } from "./ListParts.tsx";

const PAGE: ListPageProps<AuditRow> = {
  title: "Audit log",
  empty: "No entries.",
  list: createPagedList<AuditRow>("/api/audit"),
  attrs: (a) => ({ "data-testid": "audit-row", "data-station": a.station, "data-action": a.action }),
  columns: [
    { label: "Time", cell: (a) => stamp(a.at) },
    { label: "Station", cell: (a) => a.station },
    { label: "Action", cell: (a) => a.action },
    { label: "By", cell: (a) => a.actor },
    { label: "Detail", cell: (a) => a.detail === "{}" ? "" : a.detail, class: "mono" },
  ],
};

/** The audit page. */
export const AuditPage = () => <ListPage {...PAGE} />;
