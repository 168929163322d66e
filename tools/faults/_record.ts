/** Whether a fault left the session's record intact: session row, screening, audit entry, event log, database. */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { openStore } from "../../kiosk/store/mod.ts";

/** What the record of a faulted session must show. */
export interface RecordExpectation {
  /** The fault must be in the audit log (an estop or fault entry naming the session) and in the event log. */
  stop: boolean;
  /** The end reason the closed session must have (e.g. /crash/ after a restart). Default: any. */
  endReason?: RegExp;
  /** An audit entry naming the session must match this (its action and detail as JSON), e.g. /crash/. */
  audit?: RegExp;
  /** Largest engine frame current the harness saw in the session (checked against the row's maximum), if known. */
  maxFrameUa?: number;
}

/** The verdict, with one short line per thing found missing or inconsistent. */
export interface RecordVerdict {
  ok: boolean;
  problems: string[];
  /** Short summary for the matrix, e.g. "closed:fault-matrix audit:fault log:212". */
  summary: string;
}

/** Reads the store and event log in `dataDir` (after the kiosk closed them) and checks them against `expect`. */
export function checkRecord(dataDir: string, expect: RecordExpectation): RecordVerdict {
  const problems: string[] = [];
  const integrity = integrityOf(join(dataDir, "glidepath.sqlite"));
  if (integrity !== "ok") problems.push(`integrity_check: ${integrity}`);
  const store = openStore(dataDir);
  try {
    const sessions = store.sessions();
    if (sessions.length !== 1) problems.push(`${sessions.length} session rows (expected 1)`);
    const s = sessions[0];
    if (!s) return verdict(problems, "no session row");
    if (s.routine !== "free") problems.push(`session routine ${s.routine}`);
    const screening = store.screenings(s.id);
    if (screening.length !== 1 || !screening[0]!.consent) problems.push("screening/consent row missing");
    if (s.endedAt === null) problems.push("session still open");
    else if (expect.endReason && !expect.endReason.test(s.endReason ?? "")) {
      problems.push(`end reason "${s.endReason}" (expected ${expect.endReason})`);
    }
    if (!(s.stimulationMs > 0)) problems.push(`stimulationMs ${s.stimulationMs}`);
    if (expect.maxFrameUa !== undefined && Math.abs(s.maxCurrentUa - expect.maxFrameUa) > 0.5) {
      problems.push(`maxCurrentUa ${s.maxCurrentUa} but frames reached ${expect.maxFrameUa.toFixed(1)}`);
    }
    // Estops and faults while the session ran; an entry the expectation asks for by name (a crash found at the
    // next start) is not one the session's own event log can hold.
    const audit = store.auditLog({ limit: 1000 }).filter((a) =>
      a.sessionId === s.id && (a.action === "estop" || a.action === "fault") &&
      !expect.audit?.test(`${a.action} ${JSON.stringify(a.detail)}`)
    );
    if (expect.stop && audit.length === 0) problems.push("no estop/fault audit entry for the session");
    const wanted = expect.audit;
    if (
      wanted &&
      !store.auditLog({ limit: 1000 }).some((a) =>
        a.sessionId === s.id && wanted.test(`${a.action} ${JSON.stringify(a.detail)}`)
      )
    ) problems.push(`no audit entry for the session matching ${wanted}`);
    const events = readEventLog(join(dataDir, "sessions", `${s.id}.jsonl`), problems);
    const stops = events.filter((e) => e.type === "estop" || e.type === "fault").length;
    if (events.length > 0) {
      if (!events.some((e) => e.type === "start")) problems.push("event log has no start");
      if (events.some((e, i) => i > 0 && (e.t as number) < (events[i - 1]!.t as number))) {
        problems.push("event log times go backwards");
      }
      if (expect.stop && stops === 0) problems.push("event log has no estop/fault event");
      if (stops !== audit.length) {
        problems.push(`event log has ${stops} estop/fault events, audit ${audit.length}`);
      }
    }
    const closed = s.endedAt === null ? "open" : `closed (${s.endReason})`;
    const firstAudit = audit.at(-1);
    const auditText = firstAudit
      ? `${firstAudit.action}${firstAudit.detail.source ? `(${firstAudit.detail.source})` : ""}`
      : "none";
    return verdict(problems, `${closed}, audit ${auditText}, ${events.length} log lines`);
  } finally {
    store.dispose();
  }
}

function verdict(problems: string[], summary: string): RecordVerdict {
  return { ok: problems.length === 0, problems, summary };
}

function integrityOf(file: string): string {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const rows = db.prepare("PRAGMA integrity_check").all() as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

function readEventLog(path: string, problems: string[]): Record<string, unknown>[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    problems.push("no event log file");
    return [];
  }
  const events: Record<string, unknown>[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line));
    } catch {
      problems.push(`event log line ${i + 1} is not JSON`);
    }
  }
  if (events.length === 0) problems.push("event log is empty");
  return events;
}
