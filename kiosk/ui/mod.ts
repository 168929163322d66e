/** The kiosk page: components, page state and the bundler used at start. */
export { App } from "./App.tsx";
export { MirrorArea } from "./MirrorArea.tsx";
export type { MirrorAreaProps } from "./MirrorArea.tsx";
export { DemoFace } from "./DemoFace.tsx";
export { SessionPanel } from "./SessionPanel.tsx";
export { GuidancePanel } from "./GuidancePanel.tsx";
export { CurrentChart } from "./CurrentChart.tsx";
export { Controls, EmergencyStop } from "./Controls.tsx";
export { connect, send } from "./connection.ts";
export { connected, frame, hello, history, HISTORY_S, lastError, probe, pushHistory } from "./state.ts";
export type { Hello } from "./state.ts";
export { buildPage, stopBundler } from "./build.ts";
export type { BuildOptions, BuildResult } from "./build.ts";
