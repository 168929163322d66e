/**
 * The dashboard's lists page by page against a real PostgreSQL: the audit log by keyset (entries sharing one time
 * included) and today's sessions by page, each entry exactly once and newest first; bad page tokens are refused.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PAGE_SIZE } from "../../kiosk/central/dashboard/mod.ts";
import { call, type Client, dashboardApp, signIn, startDashboardCentral } from "./_dashboard.ts";

const central = await startDashboardCentral(
  [["downtown", "dt-1"], ["uptown", "up-1"]],
  [["downtown", "dana"], [null, "chris"]],
);
const app = dashboardApp(central);
const base = new Date(Date.now() - 3_600_000);
// 130 entries at dt-1, seven at a time sharing one millisecond; 20 at up-1 interleaved with them.
await central
  .admin`INSERT INTO glidepath.audit_log (station_id, salon_id, id, at, action, actor, detail, seq, queued_at)
  SELECT 'dt-1', 'downtown', 'e' || lpad(n::text, 3, '0'), ${base}::timestamptz + (n / 7) * interval '1 second',
         'cap', 'operator', '{}', n, now() FROM generate_series(0, 129) n`;
await central
  .admin`INSERT INTO glidepath.audit_log (station_id, salon_id, id, at, action, actor, detail, seq, queued_at)
  SELECT 'up-1', 'uptown', 'u' || n, ${base}::timestamptz + n * interval '900 milliseconds', 'estop', 'page', '{}', n, now()
  FROM generate_series(0, 19) n`;
await central
  .admin`INSERT INTO glidepath.sessions (station_id, salon_id, id, routine, started_at, stimulation_ms,
    max_current_ua, seq, queued_at)
  SELECT 'dt-1', 'downtown', 's' || n, 'free', now() - n * interval '1 second', 0, 0, n, now()
  FROM generate_series(1, 60) n`;

/** Follows `next` from the first page; returns every row and the number of pages. */
async function walk(client: Client, path: string) {
  const rows: { station: string; id: string; at?: string; startedAt?: string }[] = [];
  let pages = 0;
  for (let next: string | null = ""; next !== null;) {
    const sep = path.includes("?") ? "&" : "?";
    const r = await call(app, client, next ? `${path}${sep}page=${next}` : path);
    assert.is(r.status, 200, JSON.stringify(r.json));
    rows.push(...r.json.rows as typeof rows);
    next = r.json.next as string | null;
    pages++;
  }
  return { rows, pages };
}

const keys = (rows: { station: string; id: string }[]) => rows.map((r) => `${r.station}/${r.id}`);

test("the audit log pages newest first by keyset: every entry once, ties at one time included", async () => {
  const chris = await signIn(app, "chris");
  const { rows, pages } = await walk(chris, "/api/audit");
  assert.is(rows.length, 150);
  assert.is(pages, Math.ceil(150 / PAGE_SIZE));
  assert.is(new Set(keys(rows)).size, 150, "no entry twice");
  const times = rows.map((r) => Date.parse(r.at!));
  assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]!), "newest first");
  const dana = await signIn(app, "dana");
  const own = await walk(dana, "/api/audit?station=dt-1");
  assert.is(own.rows.length, 130);
  assert.equal(keys(own.rows).slice(0, 3), ["dt-1/e129", "dt-1/e128", "dt-1/e127"]);
  assert.is(
    (await walk(dana, "/api/audit")).rows.length,
    130,
    "a salon's staff page through their salon only",
  );
});

test("today's sessions page by page, each once", async () => {
  const dana = await signIn(app, "dana");
  const { rows, pages } = await walk(dana, "/api/sessions");
  assert.equal([rows.length, pages, new Set(keys(rows)).size], [60, 2, 60]);
  assert.equal(keys(rows).slice(0, 2), ["dt-1/s1", "dt-1/s2"]);
});

test("bad list parameters are refused naming the value", async () => {
  const chris = await signIn(app, "chris");
  const forged = btoa(JSON.stringify(["yesterday", "dt-1", "e1"]));
  for (
    const path of [
      "/api/audit?page=-1",
      `/api/audit?page=${forged.replace(/=+$/, "")}`,
      "/api/sessions?page=x",
    ]
  ) {
    const bad = await call(app, chris, path);
    assert.is(bad.status, 400, path);
    assert.match(String(bad.json.error), /page must be the "next" of a previous answer, got "/);
  }
  assert.match(
    String((await call(app, chris, "/api/sessions?station=DT 1")).json.error),
    /station must be a station id, got "DT 1"/,
  );
  const range = await call(app, chris, "/api/sessions?from=2026-12-01T00:00:00Z&to=2026-12-05T00:00:00Z");
  assert.match(String(range.json.error), /at most 48 h/);
});

test.after(() => central.dispose());
test.run();
