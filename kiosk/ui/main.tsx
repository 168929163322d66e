/** Page entry: connects to the kiosk and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { connect } from "./connection.ts";

connect();
render(<App />, document.getElementById("app")!);
