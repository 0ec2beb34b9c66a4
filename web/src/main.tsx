/**
 * Entry of the web client: styles, the explicit start (start.ts: the session,
 * then the stores for it), and the app.
 */
import { render } from "preact";
import "./styles.css";
import { App } from "./app";
import { boot } from "./start";

boot();
render(<App />, document.getElementById("app")!);
