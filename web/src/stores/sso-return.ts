/**
 * Back from the company's identity provider (issue 18.1), loaded on demand when
 * the address says so: `?sso=1` trades the one-time HttpOnly cookie for a session
 * (`POST /api/session/sso`, answered like `/api/login`), `?sso_erro=<motivo>`
 * says why not, above the sign-in form. The markers leave the address either way.
 * The first screen's stores come in `deps` (ui/sso/loader.ts), for the reason
 * stores/admin-seam.ts gives.
 */
import { ssoMarker, withoutMarkers, type SsoReason } from "../model/sso-return";
import type { call } from "./api";
import type { initialTenant, Session, signingIn, signInError, signInWithLink } from "./session";

export type SsoDeps = {
  call: typeof call;
  initialTenant: typeof initialTenant;
  signingIn: typeof signingIn;
  signInError: typeof signInError;
  signInWithLink: typeof signInWithLink;
};

/** What the form says for each outcome that is not a session. */
export type SsoWords = { refused: Record<SsoReason, string>; expired: string; network: string };

export function redeemSso(deps: SsoDeps, words: SsoWords): void {
  const marker = ssoMarker(location.search);
  if (marker.kind === "none") return;
  const back = withoutMarkers(location.pathname, location.search);
  if (marker.kind === "refused") {
    history.replaceState(null, "", back);
    deps.signInError.value = words.refused[marker.reason];
    return;
  }
  // The door (ui/sso/loader.ts) has put any session this browser had aside already: the provider says who signs in.
  const tenant = deps.initialTenant();
  void (async () => {
    const res = await deps.call<Omit<Session, "tenant">>("/api/session/sso", { method: "POST", credentials: "same-origin" });
    deps.signingIn.value = false;
    if (res.ok && tenant) {
      deps.signInWithLink({ ...res.value, tenant }, back);
      return;
    }
    history.replaceState(null, "", back);
    deps.signInError.value = !res.ok && res.status === 0 ? words.network : words.expired;
  })();
}
