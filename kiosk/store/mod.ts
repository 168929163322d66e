/** Persistent kiosk records: sessions, screening and consent, operator audit log, telemetry summaries. */
export { openStore } from "./store.ts";
export { ownerOnlyDir, ownerOnlyFiles } from "./modes.ts";
export type { Store, StoreOptions } from "./store.ts";
export type { ProfileStore } from "./_profiles.ts";
export { MAX_PROFILE_NAME } from "./_profiles.ts";
export type { StoredSummary } from "./_summaries.ts";
export type { CachedHistory, CachedSession } from "./_central_cache.ts";
// Every type of records.ts is a record the store keeps or returns: that file is the list.
export type * from "./records.ts";
export { openOutbox } from "./outbox.ts";
export type { Outbox, OutboxRow, OutboxStats } from "./outbox.ts";
