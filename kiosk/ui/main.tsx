/** Page entry: connects to the kiosk and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { connect, loadHealth } from "./connection.ts";
import { watchStopReason } from "./stop_reason.ts";

connect();
loadHealth();
watchStopReason();
render(<App />, document.getElementById("app")!);
