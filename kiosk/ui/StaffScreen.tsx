/** The staff view behind the operator PIN: today's sessions at this station and the audit log by pages; it locks with the operator panel and then shows nothing. */
import { signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { send } from "./connection.ts";
import { language, messagesFor } from "./i18n.ts";
import { STATION, type StationKey } from "./i18n/station.ts";
import { onForget, visitOver } from "./idle_watch.ts";
import { screen } from "./journey.ts";
import { OPERATOR_ACTIONS } from "./operator_lock.ts";
import {
  auditTrail,
  staffAudit,
  type StaffAuditEntry,
  staffDay,
  staffError,
  type StaffSession,
} from "./staff.ts";
import { operator } from "./state.ts";
import { PinForm } from "./PinForm.tsx";
import { clock as elapsed } from "./summary_words.ts";

const t = messagesFor(STATION);
const pin = signal("");
// A PIN half typed by whoever stood here last is not left for the next person.
onForget(() => (pin.value = ""));

/** Audit entries per page in the staff view. */
export const AUDIT_PAGE = 20;

/** The plain words for a session's end reason (the recorded code where there are none). */
export function endReasonKey(reason: string): StationKey | null {
  if (reason.startsWith("aborted:")) return reason === "aborted:screening" ? "end.screening" : "end.aborted";
  if (["SIGINT", "SIGTERM", "parent-gone", "shutdown"].includes(reason)) return "end.shutdown";
  const key = `end.${reason}`;
  return Object.hasOwn(STATION.en, key) ? key as StationKey : null;
}

function askAudit(before: number | null): void {
  send(
    before === null
      ? { type: "staff-audit", limit: AUDIT_PAGE }
      : { type: "staff-audit", before, limit: AUDIT_PAGE },
  );
}

/** The staff view: the PIN form while locked, the records once unlocked. */
export function StaffScreen() {
  const { unlocked } = operator.value;
  return (
    <main class="staff" data-testid="staff" {...OPERATOR_ACTIONS}>
      <header class="staff-head">
        <h1>{t("staff.title")}</h1>
        {unlocked
          ? (
            <button type="button" onClick={visitOver} data-testid="staff-close">
              {t("staff.lock")}
            </button>
          )
          : (
            <button
              type="button"
              onClick={() => {
                pin.value = "";
                screen.value = "attract";
              }}
              data-testid="staff-back"
            >
              {t("staff.back")}
            </button>
          )}
      </header>
      {unlocked ? <StaffRecords /> : (
        <PinForm
          pin={pin}
          class="panel staff-pin"
          label={t("staff.pin")}
          unlock={t("staff.unlock")}
          notConnected={t("staff.notConnected")}
          testId="staff"
        >
          <p>{t("staff.locked")}</p>
        </PinForm>
      )}
    </main>
  );
}

/** What the unlocked view shows; asks for today's sessions and the newest audit page when it opens. */
function StaffRecords() {
  useEffect(() => {
    send({ type: "staff-sessions" });
    askAudit(null);
  }, []);
  return (
    <>
      {staffError.value && <p class="error" role="alert" data-testid="staff-error">{staffError.value}</p>}
      <SessionsTable />
      <AuditTable />
    </>
  );
}

type ColumnOf<K> = K extends `staff.col.${infer C}` ? C : never;
/** A column the catalogue names (`staff.col.<column>`). */
type StaffColumn = ColumnOf<StationKey>;

const clock = (at: number) =>
  new Intl.DateTimeFormat(language.value, { hour: "2-digit", minute: "2-digit" }).format(at);

function endText(s: StaffSession): string {
  if (s.endedAt === null || s.endReason === null) return t("staff.live");
  const key = endReasonKey(s.endReason);
  return key ? t(key) : s.endReason;
}

/** "2026-12-03" as the station's long date ("Thursday, December 3, 2026"); as given when it is not a date. */
function longDate(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(y ?? NaN, (m ?? NaN) - 1, d ?? NaN);
  return Number.isNaN(date.getTime())
    ? day
    : new Intl.DateTimeFormat(language.value, { dateStyle: "full" }).format(date);
}

/** A records table in its scroller: a heading per column (`staff.col.<column>`), then the rows given. */
function StaffTable(props: { testId: string; columns: StaffColumn[]; children: ComponentChildren }) {
  return (
    <div class="staff-scroll">
      <table class="staff-table" data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map((c) => <th key={c}>{t(`staff.col.${c}`)}</th>)}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

function SessionsTable() {
  const day = staffDay.value;
  const title = t("staff.sessions", { day: day ? longDate(day.day) : "…" });
  return (
    <section class="panel staff-section" aria-label={title}>
      <h2>{title}</h2>
      {!day
        ? <p>{t("staff.loading")}</p>
        : day.sessions.length === 0
        ? <p data-testid="staff-no-sessions">{t("staff.noSessions")}</p>
        : (
          <StaffTable
            testId="staff-sessions"
            columns={["time", "client", "routine", "duration", "output", "max", "end"]}
          >
            {day.sessions.map((s) => (
              <tr key={s.id} data-session={s.id}>
                <td>{clock(s.startedAt)}</td>
                <td class="staff-wrap">{s.client?.name ?? t("staff.nobody")}</td>
                <td class="staff-wrap">{s.routine}</td>
                <td>{elapsed((s.endedAt ?? Date.now()) - s.startedAt)}</td>
                <td>{elapsed(s.stimulationMs)}</td>
                <td>{Math.round(s.maxCurrentUa)} µA</td>
                <td class="staff-wrap">{endText(s)}</td>
              </tr>
            ))}
          </StaffTable>
        )}
      {day?.truncated && <p class="hint">{t("staff.truncated", { count: day.sessions.length })}</p>}
    </section>
  );
}

function detailText(e: StaffAuditEntry): string {
  const text = Object.keys(e.detail).length ? JSON.stringify(e.detail) : "";
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function AuditTable() {
  const page = staffAudit.value;
  const trail = auditTrail.value;
  const older = () => {
    if (page?.next == null) return;
    auditTrail.value = [...trail, page.before];
    askAudit(page.next);
  };
  const newer = () => {
    if (trail.length === 0) return;
    auditTrail.value = trail.slice(0, -1);
    askAudit(trail.at(-1) ?? null);
  };
  const newest = () => {
    auditTrail.value = [];
    askAudit(null);
  };
  const dateTime = (at: number) =>
    new Intl.DateTimeFormat(language.value, { dateStyle: "short", timeStyle: "medium" }).format(at);
  return (
    <section class="panel staff-section" aria-label={t("staff.audit")}>
      <h2>
        {t("staff.audit")} · {t("staff.page", { page: trail.length + 1 })}
      </h2>
      {!page
        ? <p>{t("staff.loading")}</p>
        : page.entries.length === 0
        ? <p>{t("staff.noAudit")}</p>
        : (
          <StaffTable testId="staff-audit" columns={["time", "action", "actor", "detail"]}>
            {page.entries.map((e) => (
              <tr key={e.id} data-audit={e.id}>
                <td>{dateTime(e.at)}</td>
                <td>{e.action}</td>
                <td>{e.actor}</td>
                <td class="staff-detail">{detailText(e)}</td>
              </tr>
            ))}
          </StaffTable>
        )}
      <div class="buttons">
        <button type="button" onClick={newest} data-testid="audit-newest">
          {t("staff.newest")}
        </button>
        <button type="button" onClick={newer} disabled={trail.length === 0} data-testid="audit-newer">
          {t("staff.newer")}
        </button>
        <button type="button" onClick={older} disabled={page?.next == null} data-testid="audit-older">
          {t("staff.older")}
        </button>
      </div>
    </section>
  );
}
