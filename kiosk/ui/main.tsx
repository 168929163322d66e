/** Page entry: connects to the kiosk and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { connect, loadHealth } from "./connection.ts";
import { watchOperatorLock } from "./operator_lock.ts";

watchOperatorLock();
connect();
loadHealth();
render(<App />, document.getElementById("app")!);
