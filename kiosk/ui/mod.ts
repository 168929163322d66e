/** The kiosk page: components, page state and the bundler used at start. */
export { App, SCREENS } from "./App.tsx";
export { AttractScreen } from "./AttractScreen.tsx";
export { AUDIT_PAGE, endReasonKey, StaffScreen } from "./StaffScreen.tsx";
export { IDLE_RETURN_MS, idleStep, initialScreen, screenAfterAttract } from "./idle.ts";
export type { IdleEvent, IdleOptions, IdleStep, JourneyAt } from "./idle.ts";
export { forgetPerson, leaveAttract, onForget, visitOver, watchIdle } from "./idle_watch.ts";
export type { WatchIdleOptions } from "./idle_watch.ts";
export {
  auditTrail,
  clearStaff,
  readStaffAudit,
  readStaffDay,
  receiveStaff,
  staffAudit,
  staffDay,
  staffError,
  watchStaffLock,
} from "./staff.ts";
export type { StaffAuditEntry, StaffAuditPage, StaffDay, StaffSession } from "./staff.ts";
export { MirrorArea } from "./MirrorArea.tsx";
export type { MirrorAreaProps } from "./MirrorArea.tsx";
export { SessionPanel } from "./SessionPanel.tsx";
export { GuidancePanel } from "./GuidancePanel.tsx";
export { CHART_LINE, CurrentChart, drawChartGrid } from "./CurrentChart.tsx";
export { clearScreening, Controls, EmergencyStop, resetControls } from "./Controls.tsx";
export { LatchNotice } from "./LatchNotice.tsx";
export { LanguageChooser } from "./LanguageChooser.tsx";
export { OnboardingScreen } from "./OnboardingScreen.tsx";
export type { OnboardingScreenProps } from "./OnboardingScreen.tsx";
export { onboardedMessage, ONBOARDING_PAGES, screenAfterProfile } from "./onboarding.ts";
export type { OnboardingPage, OnboardingProfile } from "./onboarding.ts";
export { CalibrationChecklist, chooseComfort } from "./Calibration.tsx";
export { calibrate, contactCheck, MORE_GEL_OHM, moreGelNeeded } from "./calibration.ts";
export type { Calibration, CalibrationInput, ContactCheck, ContactReading } from "./calibration.ts";
export { COMFORT_CHOICES, comfortText, comfortWord } from "./comfort.ts";
export { limitText, stateText } from "./plain_words.ts";
export { OperatorReadings } from "./OperatorReadings.tsx";
export { clipUrl, CUE_ASSETS, CUE_CLIP_IDS, CUE_LANGUAGES } from "./cue_assets.ts";
export { clipText, cueClips } from "./cue_clips.ts";
export {
  connect,
  listen,
  lockOperator,
  pressEstop,
  readFrameExtras,
  readHello,
  send,
  unlockOperator,
} from "./connection.ts";
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
  clearHistory,
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
export {
  connectProfileSender,
  createProfile,
  currentProfile,
  currentVisit,
  deleteProfile,
  enterClientCode,
  leaveProfile,
  profileError,
  profileList,
  profileSocketOpened,
  readProfile,
  receiveProfileMessage,
  requestProfiles,
  screenAfterChoosing,
  selectProfile,
  settingsFor,
  startProfileFields,
  updateProfile,
} from "./profile.ts";
export type { ProfileChanges, ProfileView, Visit } from "./profile.ts";
export { ProfilesScreen } from "./ProfilesScreen.tsx";
export { LanguageChoice, ProfileSettings } from "./ProfileSettings.tsx";
export { ProfileChip } from "./ProfileChip.tsx";
export { buildPage, stopBundler } from "./build.ts";
export type { BuildOptions, BuildResult } from "./build.ts";
