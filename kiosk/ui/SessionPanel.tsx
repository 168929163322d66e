/** Session status in plain words (state, area, what the output is doing now, time left) and the output gauge; raw values ride in data attributes for the operator view and tests. */
import { computed } from "@preact/signals";
import { formatMinSec } from "./coach.ts";
import { messagesFor } from "./i18n.ts";
import { SESSION } from "./i18n/session.ts";
import { zoneName } from "./i18n/zones.ts";
import { limitText, stateText } from "./plain_words.ts";
import { connected, displayFrame, gaugeMaxUa, isLiveSession, sessionState, stimulation } from "./state.ts";
import { stopReason, storeHealth } from "./stop_reason.ts";

const t = messagesFor(SESSION);

/** Whole seconds of stimulation left in the session (rule 7): changes once a second, not with every frame. */
export const secondsLeft = computed(() => {
  const s = stimulation.value;
  return s === null ? null : Math.max(0, Math.ceil((s.limitMs - s.ms) / 1000 - 1e-9));
});

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
  const state = connected.value ? f?.state ?? "idle" : "disconnected";
  const left = isLiveSession(sessionState.value) ? secondsLeft.value : null;
  return (
    <section class="panel" aria-label={t("title")}>
      <h2>{t("title")}</h2>
      <div class="row">
        <span>{t("status")}</span>
        <span class={`value state-${state}`} data-testid="state" data-state={state}>
          {connected.value ? stateText(state) : <span class="conn-off">{t("disconnected")}</span>}
        </span>
      </div>
      <div class="row">
        <span>{t("area")}</span>
        <span class="value" data-testid="zone" data-zone={f?.zone ?? ""}>
          {f?.zone ? zoneName(f.zone) : "—"}
        </span>
      </div>
      {/* Before and after a session the status says it all; the row stays (hidden) for its data-limit. */}
      <div class="row" hidden={!isLiveSession(sessionState.value)}>
        <span>{t("why")}</span>
        <span class="value" data-testid="limit" data-limit={f?.limit ?? ""}>{limitText(f?.limit)}</span>
      </div>
      {why && <p class="stop-reason" role="status" data-testid="stop-reason">{why}</p>}
      <div class="row">
        <span>{t("output")}</span>
        <span class="value" data-testid="current" data-ua={ua.toFixed(0)}>
          {ua > 0 ? t("output.on") : t("output.off")}
        </span>
      </div>
      <div
        class="gauge"
        role="meter"
        aria-label={t("output")}
        aria-valuemin={0}
        aria-valuemax={maxUa}
        aria-valuenow={ua}
      >
        <div style={{ width: `${Math.min(100, (ua / maxUa) * 100)}%` }} />
      </div>
      {left !== null && (
        <div class="row">
          <span>{t("timeLeft")}</span>
          <span class="value" data-testid="time-left" data-seconds={left}>{formatMinSec(left)}</span>
        </div>
      )}
    </section>
  );
}
