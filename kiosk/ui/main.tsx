/** Page entry: connects to the kiosk and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { connect } from "./connection.ts";
import { watchOperatorLock } from "./operator_lock.ts";
import { watchStopReason } from "./stop_reason.ts";

watchOperatorLock();
connect();
watchStopReason();
render(<App />, document.getElementById("app")!);
