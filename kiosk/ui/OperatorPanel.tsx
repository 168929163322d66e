/** The operator panel behind the PIN: unlock, then reset a latched stop, set the current cap, and enable net-DC for the next start. */
import { signal } from "@preact/signals";
import { lockOperator, send } from "./connection.ts";
import { screen } from "./journey.ts";
import { OPERATOR_ACTIONS } from "./operator_lock.ts";
import { isLiveSession, operator, sessionState } from "./state.ts";
import { PinForm } from "./PinForm.tsx";

/** Operator settings applied to the next start (only sent while unlocked). */
export const operatorSettings = signal<{ capUa: number | null; netDc: boolean }>({
  capUa: null,
  netDc: false,
});

const pin = signal("");
const capText = signal("");
const capError = signal<string | null>(null);

/** Parses the cap field: empty = no cap; otherwise whole µA from 0 to 500 (the hard ceiling). */
export function parseCapUa(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0 || n > 500) throw new RangeError(`Cap must be 0–500 µA, got "${text}"`);
  return Math.round(n);
}

/** The operator panel (collapsed by default so a user is not invited to open it); it locks itself (operator_lock.ts). */
export function OperatorPanel() {
  const { unlocked } = operator.value;
  const running = isLiveSession(sessionState.value);
  const applyCap = () => {
    try {
      const capUa = parseCapUa(capText.value);
      capError.value = null;
      operatorSettings.value = { ...operatorSettings.value, capUa };
      if (capUa !== null && running) send({ type: "cap", operatorCapUa: capUa });
    } catch (err) {
      capError.value = (err as Error).message;
    }
  };
  return (
    <details class="panel operator" data-testid="operator-panel" {...OPERATOR_ACTIONS}>
      <summary>
        Operator{" "}
        <span class={unlocked ? "unlocked" : "locked"} data-testid="operator-status">
          {unlocked ? "unlocked" : "locked"}
        </span>
      </summary>
      {!unlocked
        ? (
          <PinForm
            pin={pin}
            class="field"
            label="Operator PIN"
            unlock="Unlock"
            notConnected="Not connected"
            testId="operator"
          />
        )
        : (
          <div class="operator-tools">
            <button type="button" onClick={() => send({ type: "reset" })} data-testid="reset">
              Reset (clear emergency stop / fault)
            </button>
            <label class="field">
              <span>Current cap (µA, empty = none){running ? " — applies now" : " — applies at start"}</span>
              <input
                type="number"
                min={0}
                max={500}
                step={10}
                value={capText.value}
                data-testid="operator-cap"
                onInput={(e) => (capText.value = (e.target as HTMLInputElement).value)}
              />
            </label>
            <button type="button" onClick={applyCap} data-testid="operator-cap-apply">Set cap</button>
            <div class="error" role="alert">{capError.value ?? ""}</div>
            <label class="choice">
              <input
                type="checkbox"
                checked={operatorSettings.value.netDc}
                disabled={running}
                data-testid="operator-netdc"
                onChange={(e) =>
                  operatorSettings.value = {
                    ...operatorSettings.value,
                    netDc: (e.target as HTMLInputElement).checked,
                  }}
              />
              Net-DC mode at the next start (only on a device that declares it)
            </label>
            {!running && (
              <button type="button" onClick={() => (screen.value = "staff")} data-testid="operator-staff">
                Staff view (today's sessions, audit log)
              </button>
            )}
            <button type="button" onClick={lockOperator} data-testid="operator-lock">Lock</button>
          </div>
        )}
    </details>
  );
}
