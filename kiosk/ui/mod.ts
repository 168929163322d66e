/** The kiosk page: components, page state and the bundler used at start. */
export { App } from "./App.tsx";
export { MirrorArea } from "./MirrorArea.tsx";
export type { MirrorAreaProps } from "./MirrorArea.tsx";
export { SessionPanel } from "./SessionPanel.tsx";
export { GuidancePanel } from "./GuidancePanel.tsx";
export { CHART_LINE, CurrentChart, drawChartGrid } from "./CurrentChart.tsx";
export { finishRecords, journeyStart, openHistory, SummaryScreen } from "./SummaryScreen.tsx";
export { download, HistoryScreen } from "./HistoryScreen.tsx";
export { CoverageMap, coverageSpots, drawCoverage, mapPoint } from "./CoverageMap.tsx";
export { drawSeries, SummaryChart } from "./SummaryChart.tsx";
export {
  forgetRecords,
  readHistory,
  readSummary,
  requestHistory,
  requestSummary,
  sessionHistory,
  sessionSummary,
  watchSummary,
} from "./summary_state.ts";
export type { Asked, History } from "./summary_state.ts";
export { csvField, exportFileName, historyCsv, historyJson } from "./history_export.ts";
export type { ExportOptions } from "./history_export.ts";
export { clearScreening, Controls, EmergencyStop } from "./Controls.tsx";
export { LatchNotice } from "./LatchNotice.tsx";
export { connect, listen, lockOperator, pressEstop, readHello, send, unlockOperator } from "./connection.ts";
export { OperatorPanel, operatorSettings, parseCapUa } from "./OperatorPanel.tsx";
export { OPERATOR_IDLE_MS, operatorActed, watchOperatorLock } from "./operator_lock.ts";
export { readDeviceMax, watchDeviceMax } from "./device_max.ts";
export { createEstopTracker, reconnectDelayMs } from "./estop_delivery.ts";
export type { EstopStatus, EstopTracker, EstopTrackerOptions } from "./estop_delivery.ts";
export {
  SCREENING_LABELS,
  SCREENING_QUESTIONS,
  screeningComplete,
  screeningContraindicated,
  screeningPayload,
} from "./screening.ts";
export type { ScreeningAnswers, ScreeningQuestion } from "./screening.ts";
export {
  clockOffsetMs,
  connected,
  demoAllowed,
  deviceMaxUa,
  estopStatus,
  frame,
  gaugeMaxUa,
  gaugeScaleUa,
  hello,
  history,
  HISTORY_S,
  lastError,
  latch,
  operator,
  probe,
  pushHistory,
} from "./state.ts";
export type { Hello } from "./state.ts";
export { buildPage, stopBundler } from "./build.ts";
export type { BuildOptions, BuildResult } from "./build.ts";
