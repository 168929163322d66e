/** Page entry: connects to the kiosk and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { connect, loadHealth } from "./connection.ts";

connect();
loadHealth();
render(<App />, document.getElementById("app")!);
