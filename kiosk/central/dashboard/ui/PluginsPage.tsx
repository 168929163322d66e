/**
 * Plugin approvals pushed to the stations: the decision in force per plugin and scope (a salon's own decision
 * overrides the chain's, a chain revocation applies everywhere), a form to approve a version with its permissions and files hash, and revocation.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api, me } from "./api.ts";
import { stamp } from "./format.ts";
import { Table } from "./ListParts.tsx";
import type { ApprovalRow } from "../queries.ts";
import { salonsOf, stations } from "./stations.ts";

const approvals = signal<ApprovalRow[] | null>(null);
const error = signal("");
const notice = signal("");
const formError = signal("");

async function load(): Promise<void> {
  try {
    approvals.value = (await api<{ approvals: ApprovalRow[] }>("/api/approvals")).approvals;
    error.value = "";
  } catch (err) {
    error.value = err instanceof Error ? err.message : String(err);
  }
}

const scopeName = (salon: string | null) => salon ?? "whole chain";

async function revoke(a: ApprovalRow): Promise<void> {
  if (!confirm(`Revoke ${a.id} for ${scopeName(a.salon)}? Its stations stop running it.`)) return;
  try {
    await api("/api/approvals/revoke", { scope: a.salon ?? "chain", id: a.id });
    notice.value = `Revoked ${a.id} for ${scopeName(a.salon)}.`;
    error.value = "";
  } catch (err) {
    error.value = err instanceof Error ? err.message : String(err);
  }
  await load();
}

async function approve(e: Event): Promise<void> {
  e.preventDefault();
  const formEl = e.currentTarget as HTMLFormElement;
  const form = new FormData(formEl);
  let permissions: unknown;
  try {
    permissions = JSON.parse(String(form.get("permissions") ?? "") || "{}");
  } catch {
    formError.value = 'Permissions must be JSON, e.g. {} or {"net": ["api.example:443"]}';
    return;
  }
  const body = {
    scope: String(form.get("scope") ?? ""),
    id: String(form.get("id") ?? "").trim(),
    version: String(form.get("version") ?? "").trim(),
    filesHash: String(form.get("filesHash") ?? "").trim(),
    permissions,
  };
  try {
    await api("/api/approvals", body);
    formError.value = "";
    notice.value = `Approved ${body.id} ${body.version} for ${
      scopeName(body.scope === "chain" ? null : body.scope)
    }.`;
    formEl.reset();
  } catch (err) {
    formError.value = err instanceof Error ? err.message : String(err);
  }
  await load();
}

function permissionWords(p: Record<string, string[]>): string {
  const parts = Object.entries(p).map(([k, v]) => `${k}: ${v.join(", ")}`);
  return parts.length ? parts.join("; ") : "none";
}

/** The plugins page. */
export function PluginsPage() {
  useEffect(() => void load(), []);
  const who = me.value!;
  const list = approvals.value;
  const scopes = who.salon === null ? ["chain", ...salonsOf(stations.value)] : [who.salon];
  return (
    <section>
      <h2>Plugin approvals</h2>
      <p class="dim">
        Stations pull these decisions; a salon's own decision overrides the chain's, except a chain
        revocation, which applies in every salon. An approval pins the version, the permissions and the files'
        hash: a changed plugin needs a new approval.
      </p>
      {error.value && <p class="error" role="alert">{error.value}</p>}
      {notice.value && <p class="notice" data-testid="notice">{notice.value}</p>}
      {list && list.length === 0 && <p>No plugin decisions yet.</p>}
      {list && list.length > 0 && (
        <Table columns={["Plugin", "For", "Decision", "Permissions", "Files hash", "Decided", ""]}>
          {list.map((a) => {
            const overriddenBy = a.salon === null
              ? list.filter((o) =>
                o.id === a.id && o.salon !== null
              ).map((o) => o.salon)
              : [];
            return (
              <tr
                key={`${a.id}/${a.salon}`}
                data-testid="approval-row"
                data-plugin={a.id}
                data-scope={a.salon ?? "chain"}
                data-enabled={String(a.enabled)}
                data-by={a.decidedBy}
              >
                <td data-label="Plugin">
                  <strong>{a.id}</strong>
                </td>
                <td data-label="For">
                  {scopeName(a.salon)}
                  {overriddenBy.length > 0 && <span class="dim">(not in {overriddenBy.join(", ")})</span>}
                </td>
                <td data-label="Decision">
                  <span class={a.enabled ? "badge ok" : "badge off"}>
                    {a.enabled ? "approved" : "revoked"}
                  </span>{" "}
                  {a.version}
                </td>
                <td data-label="Permissions">{permissionWords(a.permissions)}</td>
                <td data-label="Files hash" class="mono" title={a.filesHash}>
                  {a.filesHash.slice(0, 12)}…
                </td>
                <td data-label="Decided">{a.decidedBy}, {stamp(a.decidedAt)}</td>
                <td>
                  {a.enabled && (
                    <button
                      type="button"
                      class="danger"
                      data-testid="revoke"
                      onClick={() => void revoke(a)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </Table>
      )}
      <form class="approve" onSubmit={(e) => void approve(e)} data-testid="approve-form">
        <h3>Approve a plugin</h3>
        <label>
          For
          <select name="scope" data-testid="approve-scope">
            {scopes.map((s) => <option key={s} value={s}>{s === "chain" ? "Whole chain" : s}</option>)}
          </select>
        </label>
        <label>
          Plugin id
          <input name="id" required placeholder="acme.pulse-driver" data-testid="approve-id" />
        </label>
        <label>
          Version
          <input name="version" required placeholder="1.2.0" data-testid="approve-version" />
        </label>
        <label class="wide">
          Files hash (as deno task plugin enable prints it)
          <input name="filesHash" required placeholder="sha256:…" class="mono" data-testid="approve-hash" />
        </label>
        <label class="wide">
          Permissions (JSON, as the plugin's manifest asks)
          <textarea
            name="permissions"
            rows={2}
            class="mono"
            placeholder="{}"
            data-testid="approve-permissions"
          />
        </label>
        <button type="submit" data-testid="approve">Approve</button>
        {formError.value && (
          <p class="error wide" role="alert" data-testid="approve-error">{formError.value}</p>
        )}
      </form>
    </section>
  );
}
