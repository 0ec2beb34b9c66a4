/**
 * Entry of the web client: styles, the stores (which connect once a session
 * exists), a session check against the server, and the app.
 */
import { render } from "preact";
import "./styles.css";
import { App } from "./app";
import { verifySession } from "./stores/session";

void verifySession(true);
render(<App />, document.getElementById("app")!);
