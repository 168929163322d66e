/** Session state, zone, what limits the current, and the current gauge. */
import { connected, displayFrame, gaugeMaxUa } from "./state.ts";
import { stopReason, storeHealth } from "./stop_reason.ts";

/** Props for SessionPanel. */
export interface SessionPanelProps {
  /** Gauge full scale in µA. Default: the device's maximum (gaugeMaxUa). */
  maxUa?: number;
}

/** The live session status panel. */
export function SessionPanel({ maxUa = gaugeMaxUa.value }: SessionPanelProps) {
  const f = displayFrame.value;
  const ua = f?.currentUa ?? 0;
  const why = stopReason(f?.limit, storeHealth.value);
  return (
    <section class="panel" aria-label="session">
      <h2>Session</h2>
      <div class="row">
        <span>State</span>
        <span class={`value state-${f?.state ?? "idle"}`} data-testid="state">
          {connected.value ? f?.state ?? "idle" : <span class="conn-off">disconnected</span>}
        </span>
      </div>
      <div class="row">
        <span>Zone</span>
        <span class="value" data-testid="zone">{f?.zone ?? "—"}</span>
      </div>
      <div class="row">
        <span>Limit</span>
        <span class="value" data-testid="limit">{f?.limit ?? "—"}</span>
      </div>
      {why && <p class="stop-reason" role="status" data-testid="stop-reason">{why}</p>}
      <div class="row">
        <span>Current</span>
        <span class="value" data-testid="current">{ua.toFixed(0)} µA · {f?.freqHz ?? 0} Hz</span>
      </div>
      <div class="gauge" role="meter" aria-valuemin={0} aria-valuemax={maxUa} aria-valuenow={ua}>
        <div style={{ width: `${Math.min(100, (ua / maxUa) * 100)}%` }} />
      </div>
    </section>
  );
}
