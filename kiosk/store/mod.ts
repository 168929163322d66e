/** Persistent kiosk records: sessions, screening and consent, operator audit log, telemetry summaries. */
export { openStore } from "./store.ts";
export { ownerOnlyDir, ownerOnlyFiles } from "./modes.ts";
export type { Store, StoreOptions } from "./store.ts";
export type {
  AuditEntry,
  CrashedSession,
  ScreeningRecord,
  SessionRecord,
  StoreHealth,
  TelemetrySummary,
} from "./records.ts";
export { openOutbox } from "./outbox.ts";
export type { Outbox, OutboxRow, OutboxStats } from "./outbox.ts";
