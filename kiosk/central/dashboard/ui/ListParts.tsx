/** Pieces the list pages share: the station filter with a refresh button, the pager, and a table with a header row. */
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import type { PagedList } from "./paged_list.ts";
import { stations } from "./stations.ts";

/** The station choice (all stations in scope, or one), Refresh, and the list's error. */
export function ListTools<T>({ list }: { list: PagedList<T> }) {
  // Reloaded whenever the filter or the page changes.
  useEffect(() => void list.load(), [list.station.value, list.trail.value]);
  return (
    <>
      <div class="tools">
        <label class="filter">
          Station
          <select
            value={list.station.value}
            data-testid="station-filter"
            onChange={(e) => list.filter((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">All stations</option>
            {stations.value.map((s) => <option key={s.id} value={s.id}>{s.salon} / {s.id}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void list.load()}>Refresh</button>
      </div>
      {list.error.value && <p class="error" role="alert">{list.error.value}</p>}
    </>
  );
}

/** Newer / Older buttons under a paged list. */
export function Pager<T>({ list }: { list: PagedList<T> }) {
  const r = list.result.value;
  if (!r) return null;
  const page = list.trail.value.length;
  return (
    <div class="pager">
      <button type="button" disabled={page === 0} onClick={() => list.turn(false)} data-testid="newer">
        Newer
      </button>
      <span data-testid="page" data-page={page}>Page {page + 1}</span>
      <button type="button" disabled={!r.next} onClick={() => list.turn(true)} data-testid="older">
        Older
      </button>
    </div>
  );
}

/** A table whose rows become labelled cards on a phone (each cell carries its column's name in data-label). */
export function Table(props: { columns: readonly string[]; children: ComponentChildren }) {
  return (
    <table class="cards">
      <thead>
        <tr>{props.columns.map((c, i) => <th key={i}>{c}</th>)}</tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** A column of RowsTable: its name and what a row shows in it. */
export interface Column<T> {
  label: string;
  cell(row: T): ComponentChildren;
  /** Extra class of the cell (e.g. "mono"). */
  class?: string;
}

/** A Table built from column definitions: one row per item, with `attrs` (data attributes for tests) on each. */
export function RowsTable<T>(
  props: { columns: Column<T>[]; rows: readonly T[]; attrs(row: T): Record<`data-${string}`, string> },
) {
  return (
    <Table columns={props.columns.map((c) => c.label)}>
      {props.rows.map((row, i) => (
        <tr key={i} {...props.attrs(row)}>
          {props.columns.map((c) => <td key={c.label} data-label={c.label} class={c.class}>{c.cell(row)}
          </td>)}
        </tr>
      ))}
    </Table>
  );
}

/** What a list page shows. */
export interface ListPageProps<T> {
  title: string;
  /** Said when the list is empty. */
  empty: string;
  list: PagedList<T>;
  /** Data attributes of each row (raw values for tests). */
  attrs(row: T): Record<`data-${string}`, string>;
  columns: Column<T>[];
}

/** A whole list page: title, station filter, the rows (or `empty`), pager. */
export function ListPage<T>(props: ListPageProps<T>) {
  const r = props.list.result.value;
  return (
    <section>
      <h2>{props.title}</h2>
      <ListTools list={props.list} />
      {r && r.rows.length === 0 && <p data-testid="list-empty">{props.empty}</p>}
      {r && r.rows.length > 0 && <RowsTable columns={props.columns} rows={r.rows} attrs={props.attrs} />}
      <Pager list={props.list} />
    </section>
  );
}
