/** Why output stopped on a device fault, in plain words: asks /api/health when the limit turns to a fault. */
import { signal } from "@preact/signals";
import { type Language, messagesFor } from "./i18n.ts";
import { SESSION } from "./i18n/session.ts";
import { frame } from "./state.ts";

const t = messagesFor(SESSION);

/** The `store` field of /api/health (the server's RecordsHealth). */
export type RecordsHealth = { state: "ok" } | { state: "failing"; reason: string; since: string };

/** The store part of /api/health, fetched when output stopped for a fault (null before, or if unknown). */
export const storeHealth = signal<RecordsHealth | null>(null);

/**
 * The sentence the status area shows for a frame's limit, in the language (default: the page's), or null when
 * there is nothing to explain. The store's own reason stays as the kiosk wrote it (for staff).
 */
export function stopReason(
  limit: string | undefined,
  store: RecordsHealth | null,
  lang?: Language,
): string | null {
  if (limit !== "device-fault") return null;
  if (store?.state === "failing") {
    return t("stop.record", { detail: store.reason.replace(/^(store|event log): /, "") }, lang);
  }
  return t("stop.fault", undefined, lang);
}

/** Refreshes storeHealth each time the limit becomes `device-fault` (once per stop, not 50 times a second). */
export function watchStopReason(): void {
  let last: string | undefined;
  frame.subscribe((f) => {
    const limit = f?.limit;
    if (limit === "device-fault" && last !== limit) {
      fetch("/api/health").then((r) => r.json()).then(
        (h) => void (storeHealth.value = h?.store ?? null),
        () => void (storeHealth.value = null),
      );
    }
    last = limit;
  });
}
