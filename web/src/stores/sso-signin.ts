/**
 * Sign-in with the company's identity provider (issue 18.1) on the sign-in
 * page: what the typed company allows (`GET /api/tenants/{t}/sso`: the button
 * "Entrar com a conta da empresa", and whether "Login" + "Senha" still work) and
 * the button's trip to the provider. The way back is stores/sso-return.ts, loaded
 * only when the address says so.
 */
import { signal } from "@preact/signals";
import type { SignInOptions } from "../../../protocol/admin";
import { ssoStartUrl, tenantOf } from "../model/sso-signin";
import { call } from "./api";
import { rememberTenant } from "./session";

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
