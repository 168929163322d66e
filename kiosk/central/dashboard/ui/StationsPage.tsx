/** Stations: online or not (contacted within twice the heartbeat), last contact, device, faults, runner, records. */
import { ago } from "./format.ts";
import { Table } from "./ListParts.tsx";
import { type StationRow, stations, stationsAt, stationsError } from "./stations.ts";

/** The device in a few words: kind, model, connected or not. */
export function deviceWords(s: StationRow["status"]): string {
  const d = s.device;
  if (d.kind === null) return "not reported";
  if (d.kind === "none") return "no device";
  const name = d.kind === "device-host" ? (d.model ?? "USB device") : d.kind;
  const link = d.connected === null ? "" : d.connected ? " · connected" : ` · ${d.state ?? "not connected"}`;
  return name + link;
}

/** Stops and faults: the engine's latch first (output held at 0 until an operator reset), then the device's. */
export function faultWords(s: StationRow["status"]): string {
  const parts: string[] = [];
  if (s.latched === "estop") parts.push("Emergency stop latched");
  if (s.latched === "device-fault") parts.push("Device fault latched");
  if (s.device.fault) {
    parts.push(`${s.device.faultLatched ? "device fault" : "last device fault"}: ${s.device.fault}`);
  }
  if (s.store === "failing") parts.push("local records failing");
  return parts.length ? parts.join("; ") : "none";
}

function Station({ s }: { s: StationRow }) {
  const st = s.status;
  const alarm = st.latched !== null || st.device.faultLatched === true || st.store === "failing";
  return (
    <tr
      data-testid="station-row"
      data-station={s.id}
      data-online={String(s.online)}
      data-device-kind={st.device.kind ?? ""}
      data-connected={String(st.device.connected)}
      data-latched={st.latched ?? ""}
      data-state={st.state ?? ""}
      class={alarm ? "alarm" : ""}
    >
      <td data-label="Station">
        <strong>{s.id}</strong> <span class="dim">{s.salon}</span>
      </td>
      <td data-label="Online">
        <span class={s.online ? "badge ok" : "badge off"}>{s.online ? "online" : "offline"}</span>
      </td>
      <td data-label="Last contact" title={s.lastSeenAt ?? ""}>{ago(s.ageMs)}</td>
      <td data-label="Device">{deviceWords(st)}</td>
      <td data-label="Stops and faults" data-testid="faults">{faultWords(st)}</td>
      <td data-label="Session">
        {st.state ?? "–"}
        {/* A latch is told under stops and faults; the limit adds only what bounds a live session. */}
        {st.limit && st.limit !== st.state && st.limit !== st.latched ? ` (${st.limit})` : ""}
      </td>
      <td data-label="Records waiting">
        {st.outbox
          ? `${st.outbox.pending}${st.outbox.pending ? `, oldest ${ago(st.outbox.lagMs)}` : ""}`
          : "–"}
        {st.outbox?.parked ? ` · ${st.outbox.parked} kept back` : ""}
      </td>
    </tr>
  );
}

/** The stations page. */
export function StationsPage() {
  const list = stations.value;
  const online = list.filter((s) => s.online).length;
  return (
    <section>
      <h2>
        Stations <span class="dim" data-testid="online-count">{online} of {list.length} online</span>
      </h2>
      {stationsError.value && <p class="error" role="alert">{stationsError.value}</p>}
      {stationsAt.value === null
        ? <p>Loading…</p>
        : list.length === 0
        ? <p>No stations registered (deno task central register).</p>
        : (
          <Table
            columns={[
              "Station",
              "Online",
              "Last contact",
              "Device",
              "Stops and faults",
              "Session",
              "Records waiting",
            ]}
          >
            {list.map((s) => <Station key={s.id} s={s} />)}
          </Table>
        )}
    </section>
  );
}
