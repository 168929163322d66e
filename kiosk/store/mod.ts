/** Persistent kiosk records: sessions, screening and consent, operator audit log, telemetry summaries. */
export { openStore } from "./store.ts";
export type {
  AuditEntry,
  ScreeningRecord,
  SessionRecord,
  Store,
  StoreOptions,
  TelemetrySummary,
} from "./store.ts";
