/**
 * The door, in the first bundle, of the way back from the company's identity
 * provider (issue 18.1): only when the address carries the server's markers is
 * the rest fetched (ui/sso/return.ts), and it gets the stores from here. A
 * sign-in to trade puts any session this browser had aside at once, so nobody
 * else's app shows meanwhile.
 */
import { t } from "../../i18n";
import { backFromSso } from "../../model/sso-signin";
import { call } from "../../stores/api";
import { initialTenant, session, signingIn, signInError, signInWithLink } from "../../stores/session";

/** Starts the way back if this page is one; true when a session is on its way (the caller then skips its own check). */
export function returnFromSso(): boolean {
  const back = backFromSso(location.search);
  if (!back) return false;
  if (back === "done") {
    session.value = null;
    signingIn.value = true;
  }
  void import("./return")
    .then((m) => m.redeem({ call, initialTenant, signingIn, signInError, signInWithLink }, t.networkError))
    .catch(() => {
      signingIn.value = false;
      signInError.value = t.networkError;
    });
  return back === "done";
}
