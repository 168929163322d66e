/** Page entry: connects to the kiosk and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { connect, pressEstop } from "./connection.ts";
import { watchCues } from "./cues.ts";
import { watchDeviceMax } from "./device_max.ts";
import { watchOperatorLock } from "./operator_lock.ts";
import { isLiveSession, sessionState } from "./state.ts";
import { watchStopKeys } from "./stop_keys.ts";
import { watchStopReason } from "./stop_reason.ts";
import { watchSummary } from "./summary_state.ts";

watchOperatorLock();
connect();
watchStopReason();
watchDeviceMax();
watchStopKeys(pressEstop, () => isLiveSession(sessionState.peek()));
watchCues();
watchSummary();
render(<App />, document.getElementById("app")!);
