/** Dashboard page entry: asks who is signed in and renders the app. */
import { render } from "preact";
import { App } from "./App.tsx";
import { loadMe } from "./api.ts";

void loadMe();
render(<App />, document.getElementById("app")!);
