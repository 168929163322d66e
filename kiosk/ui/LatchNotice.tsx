/** Tells whoever stands at the mirror that a stop is latched: nothing on this page restarts output; staff must reset it. */
import { messagesFor } from "./i18n.ts";
import { SESSION } from "./i18n/session.ts";
import { latch } from "./state.ts";

const t = messagesFor(SESSION);

/** The latched-stop notice; shows only while the engine's frames name a latch (estop or device fault). */
export function LatchNotice() {
  const why = latch.value;
  if (!why) return null;
  return (
    <div class="latched" role="alert" data-testid="latched" data-latch={why}>
      <strong>{t("latched.title")}</strong>
      <span>
        {why === "estop" ? t("latched.estop") : t("latched.fault")} {t("latched.staff")}
      </span>
    </div>
  );
}
