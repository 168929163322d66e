/** What the staff view's reads cost on a year of salon records (the figures behind docs/decisions.md "Salon station"): a day's sessions, audit pages near and far, and the answer's size. */
import { DatabaseSync } from "node:sqlite";
import { createOperatorAuth, createWsHub, type HubSocket } from "../kiosk/server/mod.ts";
import { openStore } from "../kiosk/store/mod.ts";
import { createEngine } from "../core/engine/mod.ts";
import { createSessionRunner } from "../kiosk/session/mod.ts";

const DAYS = 365, PER_DAY = 60, AUDIT = 200_000, RUNS = 200;
const dir = Deno.makeTempDirSync({ prefix: "gp-bench-staff-" });
const store = openStore(dir);
const day0 = new Date(2026, 0, 1).getTime();
// Filled in one transaction straight into the database: the store's checked writes are not what is measured.
const db = new DatabaseSync(store.path);
db.exec("BEGIN");
const profile = db.prepare("INSERT INTO profiles (id, kind, name, created_at) VALUES (?, 'walk-in', ?, 0)");
const session = db.prepare(
  `INSERT INTO sessions (id, routine, started_at, ended_at, end_reason, comfort, stimulation_ms, max_current_ua, profile_id)
   VALUES (?, 'express-lift', ?, ?, 'user-end', 5, 480000, 180, ?)`,
);
for (let d = 0; d < DAYS; d++) {
  for (let i = 0; i < PER_DAY; i++) {
    const id = `s-${d}-${i}`, at = day0 + d * 86_400_000 + 8 * 3_600_000 + i * 600_000;
    profile.run(`w-${d}-${i}`, `K${d}-${i}`);
    session.run(id, at, at + 600_000, `w-${d}-${i}`);
  }
}
const audit = db.prepare(
  "INSERT INTO audit_log (at, action, actor, detail) VALUES (?, 'cap', 'operator', ?)",
);
for (let i = 0; i < AUDIT; i++) audit.run(day0 + i * 1000, '{"operatorCapUa":200}');
db.exec("COMMIT");
db.close();

const runner = createSessionRunner(createEngine({ routines: [] }), { spinMs: 0 });
const wall = day0 + 200 * 86_400_000 + 12 * 3_600_000;
const hub = createWsHub(runner, {
  operatorAuth: createOperatorAuth("482916"),
  records: store,
  wallClock: () => wall,
  // The per-socket rate limit is not what is measured.
  maxMessagesPerS: 1e9,
});
let last = "";
const socket: HubSocket = { send: (text) => void (last = text), close() {} };
hub.open(socket);
hub.message(socket, JSON.stringify({ type: "operator", pin: "482916" }));

function time(label: string, message: Record<string, unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    hub.message(socket, JSON.stringify(message));
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(2);
  const answer = JSON.parse(last);
  if (answer.type === "error") throw new Error(`${label}: ${last}`);
  const rows = (answer.sessions ?? answer.entries ?? []).length;
  console.log(
    `${label.padEnd(34)} p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  ${rows} rows  ${
      (last.length / 1024).toFixed(1)
    } KiB`,
  );
}

console.log(`store: ${DAYS * PER_DAY} sessions (${PER_DAY} a day, each a walk-in), ${AUDIT} audit entries`);
time("staff-sessions (today)", { type: "staff-sessions" });
time("staff-sessions (a day with none)", { type: "staff-sessions", day: "2025-06-01" });
time("staff-audit (newest 20)", { type: "staff-audit", limit: 20 });
time("staff-audit (20 before id 1000)", { type: "staff-audit", before: 1000, limit: 20 });
time("staff-audit (100 at the middle)", { type: "staff-audit", before: AUDIT / 2, limit: 100 });
hub.dispose();
runner.dispose();
store.dispose();
Deno.removeSync(dir, { recursive: true });
