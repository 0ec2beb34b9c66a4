/**
 * Sign-in links from the attendance screens (R31): a page opened at
 * `/l/<empresa>/<token>` trades the one-time token for a session, then shows the
 * link's target (`/c/<chatId>` or `/u/<userId>`, opened by the router). A used or
 * expired link lands on the sign-in form with a clear message.
 */
import { TENANT_RE } from "../../../protocol/ids";
import { t } from "../i18n";
import type { SignedIn } from "./api";
import { rememberTenant, session, signingIn, signInError, signInWithLink } from "./session";

const LINK_PATH = /^\/l\/([^/]+)\/([A-Za-z0-9_-]{20,100})\/?$/;

/** The link in this page's address, if it is one. */
export function linkInPath(pathname: string): { tenant: string; token: string } | null {
  const m = LINK_PATH.exec(pathname);
  if (!m || !TENANT_RE.test(m[1]!)) return null;
  return { tenant: m[1]!, token: m[2]! };
}

/** Redeems the page's sign-in link, if any; true when there was one (the caller then skips its own session check). */
export function redeemSignInLink(): boolean {
  const link = linkInPath(location.pathname);
  if (!link) return false;
  rememberTenant(link.tenant);
  // The link says who signs in: a session this browser already had is not shown meanwhile (nor ended in other tabs).
  session.value = null;
  signingIn.value = true;
  void (async () => {
    type Answer = SignedIn & { to: string };
    let answer = null as Answer | null;
    let network = false;
    try {
      const res = await fetch(`/api/tenants/${link.tenant}/links/redeem`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: link.token }),
      });
      if (res.ok) answer = (await res.json()) as Answer;
    } catch {
      network = true;
    }
    signingIn.value = false;
    // Only same-site paths: the server issued `to`, but the address bar must never leave the app.
    if (answer && /^\/[cu]\/[A-Za-z0-9._-]+$/.test(answer.to)) {
      const { token, expiresAt, refreshToken, user } = answer;
      signInWithLink({ token, expiresAt, refreshToken, tenant: link.tenant, user }, answer.to);
      return;
    }
    history.replaceState(null, "", "/");
    signInError.value = network ? t.networkError : t.linkExpired;
  })();
  return true;
}
