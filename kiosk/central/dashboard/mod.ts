/** The staff dashboard (issue 10): staff accounts, sign-in, the scoped JSON API and the page, over the central store. */
export { createDashboardApp } from "./app.ts";
export type { DashboardAppOptions, DashboardAssets } from "./app.ts";
export { startDashboard } from "./server.ts";
export type { Dashboard, DashboardOptions } from "./server.ts";
export { readDashboardConfig } from "./config.ts";
export type { DashboardConfig } from "./config.ts";
export { buildDashboardPage } from "./build.ts";
export {
  addStaff,
  checkLogin,
  createDashboardLogin,
  DASHBOARD_ROLE,
  disableStaff,
  STAFF_LOGIN,
} from "./staff.ts";
export { hashPassword, MIN_PASSWORD_LENGTH, PBKDF2_ITERATIONS, verifyPassword } from "./password.ts";
export { createRateLimit, createSessions } from "./auth.ts";
export type { RateLimit, RateLimitOptions, SessionOptions, Sessions, StaffSession } from "./auth.ts";
export { validateApproval, validateRevoke } from "./approvals.ts";
export type { ApprovalRequest, RevokeRequest } from "./approvals.ts";
export { isOnline, PAGE_SIZE } from "./queries.ts";
export type { ApprovalRow, AuditRow, SessionRow, StationRow } from "./queries.ts";
