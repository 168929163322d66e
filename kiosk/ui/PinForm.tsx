/** The operator PIN form every staff door shows (the operator panel, the staff screen, the summary's staff figures). */
import type { Signal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { unlockOperator } from "./connection.ts";
import { connected, operator } from "./state.ts";

/** What differs between the doors. */
export interface PinFormProps {
  /** The PIN typed so far; each door keeps its own, so each can forget it on its own terms. */
  pin: Signal<string>;
  /** The form's classes (its layout on that screen). */
  class: string;
  /** The field's label and the button's text. */
  label: string;
  unlock: string;
  /** Shown when no socket is open to send the PIN on. Default: nothing beyond the disabled button. */
  notConnected?: string;
  /** Names the field `<testId>-pin` and the button `<testId>-unlock` for the page tests. */
  testId?: string;
  /** Shown above the field. */
  children?: ComponentChildren;
}

/** A PIN field and Unlock: the PIN goes to the kiosk and is cleared; the kiosk's refusal shows under it. */
export function PinForm(props: PinFormProps) {
  const { pin, notConnected, testId } = props;
  const submit = (e: Event) => {
    e.preventDefault();
    if (!pin.value) return;
    if (!unlockOperator(pin.value) && notConnected) operator.value = { unlocked: false, error: notConnected };
    pin.value = "";
  };
  return (
    <form class={props.class} onSubmit={submit}>
      {props.children}
      <label class="field">
        <span>{props.label}</span>
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin.value}
          data-testid={testId && `${testId}-pin`}
          onInput={(e) => (pin.value = (e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit" disabled={!connected.value} data-testid={testId && `${testId}-unlock`}>
        {props.unlock}
      </button>
      <div class="error" role="alert">{operator.value.error ?? ""}</div>
    </form>
  );
}
