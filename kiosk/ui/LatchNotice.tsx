/** Tells whoever stands at the mirror that a stop is latched: nothing on this page restarts output; staff must reset it. */
import { latch } from "./state.ts";

/** The latched-stop notice; shows only while the engine's frames name a latch (estop or device fault). */
export function LatchNotice() {
  const why = latch.value;
  if (!why) return null;
  return (
    <div class="latched" role="alert" data-testid="latched" data-latch={why}>
      <strong>Stopped — please ask staff</strong>
      <span>
        {why === "estop" ? "The emergency stop was pressed." : "The device reported a fault."}{" "}
        Output stays off until a member of staff resets it.
      </span>
    </div>
  );
}
