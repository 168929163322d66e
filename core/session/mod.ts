/** What a session did and where a person stands: the summary accumulator, history items and the treatment schedule. */
export { createSummaryAccumulator } from "./summary.ts";
export type {
  CoverageGrid,
  CurrentSeries,
  SessionSummary,
  StepSummary,
  SummaryAccumulator,
  SummaryOptions,
} from "./summary.ts";
export { validateSessionSummary } from "./summary_check.ts";
export { historyItem, SESSION_ID, summaryView, validateHistoryItem, validateSummaryView } from "./history.ts";
export type { SessionBasics, SessionHistoryItem, SessionRow, SummaryView } from "./history.ts";
export {
  dayString,
  LOADING_DAYS,
  LOADING_PER_WEEK,
  localDay,
  MAINTENANCE_PER_WEEK,
  scheduleFor,
  validateSchedule,
} from "./schedule.ts";
export type { Schedule, ScheduledSession, ScheduleOptions } from "./schedule.ts";
