/** The kiosk server: the hono app (health, records, page, WebSocket), page-message checks and the role rules. */
export { createApp, isKioskOrigin } from "./app.ts";
export type { AppOptions, RoutineSummary } from "./app.ts";
export { createWsHub } from "./ws_hub.ts";
export type { ContactView, HubSocket, WsHub, WsHubOptions } from "./ws_hub.ts";
export { HISTORY_LIMIT } from "./_hub_records.ts";
export type { SummarySource } from "./_hub_records.ts";
export {
  bypassesRateLimit,
  isAcked,
  isProfileMessage,
  MAX_MESSAGE_CHARS,
  MESSAGE_RULES,
  PAGE_MESSAGE_TYPES,
  parsePageMessage,
  PROFILE_RULES,
  profileRefusal,
  roleRefusal,
  sourceOf,
  STATIONS,
  typeRefusal,
} from "./page_message.ts";
export type {
  MessageRule,
  PageRequest,
  ProfileMessageType,
  ProfileRule,
  Refusal,
  RuledRequest,
  Sender,
  SocketRole,
  Station,
} from "./page_message.ts";
export { createProfileDesk, toView, VISIT_MS } from "./profile_desk.ts";
export type {
  ProfileDesk,
  ProfileDeskOptions,
  ProfileView,
  Selection,
  SelectionHolder,
} from "./profile_desk.ts";
export { contentTypeOf, PAGE_CSP, serveFiles } from "./static_files.ts";
export { serveKiosk } from "./serve.ts";
export type { KioskServer, KioskServerEnv, PageSocket, ServeOptions } from "./serve.ts";
export { hostGuard, isKioskHost, LOOPBACK_NAMES } from "./host_guard.ts";
export {
  createMessageBudget,
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_MESSAGES_PER_S,
  isBacklogged,
  MAX_MESSAGE_BYTES,
} from "./sockets.ts";
export type { Admission, MessageBudget } from "./sockets.ts";
export type { StaticFile } from "./static_files.ts";
export { createOperatorAuth, generatePin, pinValueError, validatePin } from "./operator_auth.ts";
export type { OperatorAuditEntry, OperatorAuth, OperatorAuthOptions, PinCheck } from "./operator_auth.ts";
export { createPageClock } from "./sockets.ts";
export type { PageClock, PageClockOptions } from "./sockets.ts";
