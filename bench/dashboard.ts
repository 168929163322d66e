/**
 * The staff dashboard's API response times on a real PostgreSQL (the figures in docs/decisions.md "Staff dashboard"):
 * 50 stations in 5 salons, 30 days of sessions and audit entries each, today's included, for salon and chain staff.
 */
import { registerStation } from "../kiosk/central/mod.ts";
import { call, dashboardApp, signIn, startDashboardCentral } from "../test/central/_dashboard.ts";

const SALONS = 5, PER_SALON = 10, DAYS = 30, SESSIONS_PER_DAY = 30, AUDIT_PER_DAY = 200, RUNS = 50;
const central = await startDashboardCentral([], []);
try {
  const admin = central.admin;
  for (let s = 0; s < SALONS; s++) {
    for (let i = 0; i < PER_SALON; i++) await registerStation(admin, `salon-${s}`, `st-${s}-${i}`);
  }
  const { addStaff } = await import("../kiosk/central/dashboard/mod.ts");
  await addStaff(admin, "salon-0", "salon-staff", "correct horse battery");
  await addStaff(admin, null, "chain-staff", "correct horse battery");
  const started = performance.now();
  // Filled by the server itself: the stations' replication path is not what is measured.
  await admin`INSERT INTO glidepath.sessions (station_id, salon_id, id, routine, started_at, ended_at, end_reason,
      stimulation_ms, max_current_ua, seq, queued_at)
    SELECT st.id, st.salon_id, 's' || d || '-' || n, 'express-lift',
           date_trunc('day', now()) - d * interval '1 day' + interval '8 hours' + n * interval '20 minutes',
           date_trunc('day', now()) - d * interval '1 day' + interval '8 hours' + n * interval '20 minutes'
             + interval '10 minutes', 'completed', 540000, 180, d * 1000 + n, now()
    FROM glidepath.stations st, generate_series(0, ${DAYS - 1}) d, generate_series(0, ${
    SESSIONS_PER_DAY - 1
  }) n`;
  await admin`INSERT INTO glidepath.audit_log (station_id, salon_id, id, at, action, actor, detail, seq, queued_at)
    SELECT st.id, st.salon_id, 'a' || d || '-' || n, date_trunc('day', now()) - d * interval '1 day'
             + interval '8 hours' + n * interval '3 minutes', 'cap', 'operator', '{"operatorCapUa": 200}',
           d * 1000 + n, now()
    FROM glidepath.stations st, generate_series(0, ${DAYS - 1}) d, generate_series(0, ${
    AUDIT_PER_DAY - 1
  }) n`;
  await admin`UPDATE glidepath.stations SET last_seen_at = now(),
    status = '{"state": "idle", "limit": "idle", "latched": null, "heartbeatMs": 10000,
      "device": {"kind": "device-host", "connected": true, "state": "connected", "model": "SIM-1"},
      "store": "ok", "outbox": {"pending": 0, "lagMs": 0, "parked": 0}}'`;
  // 10 plugins decided three times each for the chain and for every salon.
  await admin`INSERT INTO glidepath.plugin_approvals (salon_id, plugin_id, enabled, version, permissions, files_hash,
      decided_by)
    SELECT nullif(s, 'chain'), 'acme.plugin-' || p, v < 3, '1.' || v || '.0', '{"net": ["api.acme.example:443"]}',
           repeat('ab', 32), 'chain-staff'
    FROM unnest(ARRAY['chain', 'salon-0', 'salon-1', 'salon-2', 'salon-3', 'salon-4']) s,
         generate_series(1, 10) p, generate_series(1, 3) v`;
  await admin`ANALYZE`;
  const [{ sessions, audit }] = await admin`SELECT (SELECT count(*) FROM glidepath.sessions)::int AS sessions,
    (SELECT count(*) FROM glidepath.audit_log)::int AS audit` as unknown as [
    { sessions: number; audit: number },
  ];
  console.log(
    `${SALONS * PER_SALON} stations, ${sessions} sessions, ${audit} audit entries (${DAYS} days) filled in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );

  const app = dashboardApp(central);
  const now = new Date();
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).toISOString();
  const paths = [
    "/api/stations",
    `/api/sessions?from=${from}&to=${to}`,
    `/api/sessions?from=${from}&to=${to}&page=5`, // page 6
    "/api/audit",
    "/api/audit?page=100",
    "/api/audit?station=st-0-3",
    "/api/approvals",
  ];
  console.log("staff        path                                  p50 ms   p95 ms   max ms   rows  bytes");
  for (const login of ["salon-staff", "chain-staff"]) {
    const client = await signIn(app, login, "correct horse battery");
    // The audit log pages by keyset: page 101 is reached by following `next` 100 times (not timed).
    let deep = "/api/audit";
    for (let i = 0; i < 100; i++) {
      deep = `/api/audit?page=${(await call(app, client, deep)).json.next}`;
    }
    for (const path of paths.map((p) => p === "/api/audit?page=100" ? deep : p)) {
      const ms: number[] = [];
      let last: Record<string, unknown> = {};
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = await call(app, client, path);
        ms.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
        last = r.json;
      }
      ms.sort((a, b) => a - b);
      const rowCount = ((last.rows ?? last.stations ?? last.approvals) as unknown[]).length;
      const label = path.replace(/from=[^&]+&to=[^&]+/, "today").replace(
        /^\/api\/audit\?page=.*/,
        "/api/audit (page 101)",
      );
      console.log(
        `${login.padEnd(12)} ${label.padEnd(37)} ${ms[RUNS >> 1]!.toFixed(1).padStart(6)} ${
          ms[Math.floor(RUNS * 0.95)]!.toFixed(1).padStart(8)
        } ${ms.at(-1)!.toFixed(1).padStart(8)} ${String(rowCount).padStart(6)} ${
          String(JSON.stringify(last).length).padStart(6)
        }`,
      );
    }
  }
  const t = performance.now();
  await signIn(app, "salon-staff", "correct horse battery");
  console.log(`sign-in (PBKDF2-SHA-256, 600,000 iterations): ${(performance.now() - t).toFixed(0)} ms`);
} finally {
  await central.dispose();
}
