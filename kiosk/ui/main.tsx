/** Page entry: connects to the kiosk and renders the app. */
import { effect } from "@preact/signals";
import { render } from "preact";
import { App, SCREENS } from "./App.tsx";
import { connect, pressEstop } from "./connection.ts";
import { watchCues } from "./cues.ts";
import { watchDeviceMax } from "./device_max.ts";
import { language } from "./i18n.ts";
import { watchIdle } from "./idle_watch.ts";
import type { Screen } from "./journey.ts";
import { watchOperatorLock } from "./operator_lock.ts";
import { watchStaffLock } from "./staff.ts";
import { isLiveSession, sessionState } from "./state.ts";
import { watchStopKeys } from "./stop_keys.ts";
import { watchStopReason } from "./stop_reason.ts";
import { watchSummary } from "./summary_state.ts";

watchOperatorLock();
watchStaffLock();
watchIdle({ registered: Object.keys(SCREENS) as Screen[] });
connect();
watchStopReason();
watchDeviceMax();
watchStopKeys(pressEstop, () => isLiveSession(sessionState.peek()));
watchCues();
watchSummary();
// The document says its language, for screen readers and the browser's own voice.
effect(() => void (document.documentElement.lang = language.value));
render(<App />, document.getElementById("app")!);
