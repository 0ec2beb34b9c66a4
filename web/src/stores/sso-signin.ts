/**
 * Sign-in with the company's identity provider (issue 18.1) on the sign-in
 * page: what the typed company allows (`GET /api/tenants/{t}/sso`: the button
 * "Entrar com a conta da empresa", and whether "Login" + "Senha" still work),
 * the button's trip to the provider, and the way back — `?sso=1` trades the
 * one-time HttpOnly cookie for a session (`POST /api/session/sso`, answered like
 * `/api/login`), `?sso_erro=<motivo>` says why not, above the form.
 */
import { signal } from "@preact/signals";
import type { SignInOptions } from "../../../protocol/admin";
import { t } from "../i18n";
import { ssoMarker, ssoReason, ssoStartUrl, tenantOf, withoutMarkers } from "../model/sso-signin";
import { call } from "./api";
import { initialTenant, rememberTenant, session, signingIn, signInError, signInWithLink, type Session } from "./session";

/** What the company typed in "Empresa" allows; null while unknown (the password form shows, as always). */
export const signInOptions = signal<(SignInOptions & { tenant: string }) | null>(null);

let asked = 0;
let typing: ReturnType<typeof setTimeout> | undefined;

/** Follows "Empresa" as it is typed (a short pause first): the company's sign-in options. */
export function watchTenant(typed: string): void {
  clearTimeout(typing);
  const tenant = tenantOf(typed);
  const mine = ++asked;
  if (!tenant) {
    signInOptions.value = null;
    return;
  }
  if (signInOptions.peek()?.tenant === tenant) return;
  typing = setTimeout(async () => {
    const res = await call<SignInOptions>(`/api/tenants/${encodeURIComponent(tenant)}/sso`);
    if (mine === asked) signInOptions.value = res.ok ? { ...res.value, tenant } : null;
  }, 300);
}

/** "Entrar com a conta da empresa": to the provider, coming back to the chat link this page was opened at, if any. */
export function startSso(): void {
  const options = signInOptions.peek();
  if (!options?.start) return;
  rememberTenant(options.tenant);
  location.assign(ssoStartUrl(options.start, location.pathname));
}

/**
 * Back from the provider: a sign-in to trade (true: the caller skips its own
 * session check), or a refusal shown on the form. The markers leave the address
 * either way.
 */
export function redeemSso(): boolean {
  const marker = ssoMarker(location.search);
  if (marker.kind === "none") return false;
  const back = withoutMarkers(location.pathname, location.search);
  if (marker.kind === "refused") {
    history.replaceState(null, "", back);
    signInError.value = t.ssoRefused[ssoReason(marker.reason)];
    return false;
  }
  // The provider says who signs in: a session this browser had is not shown meanwhile.
  const tenant = initialTenant();
  session.value = null;
  signingIn.value = true;
  void (async () => {
    const res = await call<Omit<Session, "tenant">>("/api/session/sso", { method: "POST", credentials: "same-origin" });
    signingIn.value = false;
    if (res.ok && tenant) {
      signInWithLink({ ...res.value, tenant }, back);
      return;
    }
    history.replaceState(null, "", back);
    signInError.value = !res.ok && res.status === 0 ? t.networkError : t.ssoExpired;
  })();
  return true;
}
