/**
 * Entry of the web client: styles, the stores (which connect once a session
 * exists), a sign-in link or a session check against the server, and the app.
 */
import { render } from "preact";
import "./styles.css";
import { App } from "./app";
import { verifySession } from "./stores/session";
import { redeemSignInLink } from "./stores/signin-link";

// A sign-in link (R31) brings its own session; otherwise the stored one is checked.
if (!redeemSignInLink()) void verifySession(true);
render(<App />, document.getElementById("app")!);
