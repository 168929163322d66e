/** A station's central store (issue 10): the replicator that ships its outbox, the central schema, station registration and the chain's plugin approvals. */
export { clientOptions, startReplicator } from "./replicator.ts";
export type { CentralHealth, Replicator, ReplicatorOptions } from "./replicator.ts";
export { CENTRAL_MIGRATIONS, CENTRAL_SCHEMA_VERSION, migrateCentral } from "./schema.ts";
export { registerStation, revokeStation, rotateStationSecret, STATION_ID, stationRole } from "./stations.ts";
export type { StationCredential } from "./stations.ts";
export { isLoopback, parseDatabaseUrl } from "./settings.ts";
export type { CentralSetting, SslMode } from "./settings.ts";
export { CLIENT_CODE, readClientHistory } from "./history.ts";
export type { CentralHistory, CentralSessionItem } from "./history.ts";
export {
  approvalFromFolder,
  approvePluginFolder,
  insertApproval,
  listApprovals,
  readApprovalRows,
  revokePlugin,
} from "./approvals.ts";
export type { ApprovalRow, FolderApproval, NewApproval } from "./approvals.ts";
export { startApprovalPull } from "./approval_pull.ts";
export type { ApprovalPull, ApprovalPullHealth, ApprovalPullOptions } from "./approval_pull.ts";
