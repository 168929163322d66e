/** Persistent kiosk records: sessions, screening and consent, operator audit log, telemetry summaries. */
export { openStore } from "./store.ts";
export { ownerOnlyDir, ownerOnlyFiles } from "./modes.ts";
export type { Store, StoreOptions } from "./store.ts";
export type { StoredSummary } from "./_summaries.ts";
export type {
  AuditEntry,
  CrashedSession,
  ScreeningRecord,
  SessionRecord,
  StoreHealth,
  TelemetrySummary,
} from "./records.ts";
