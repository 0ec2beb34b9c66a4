/**
 * The sign-in page's button for the company's identity provider (issue 18.1),
 * pure: whether "Empresa" holds a company name yet, and where "Entrar com a
 * conta da empresa" goes. The way back is model/sso-return.ts (on demand).
 */
import { TENANT_RE } from "../../../protocol/ids";

/** A company name as the form would send it, or null while it cannot be one. */
export function tenantOf(typed: string): string | null {
  const tenant = typed.trim().toLowerCase();
  return TENANT_RE.test(tenant) ? tenant : null;
}

/**
 * The button's address: the server's `start` plus where to come back to — a
 * chat link the person opened while signed out (`/c/…`, `/u/…`), never
 * anything else.
 */
export function ssoStartUrl(start: string, pathname: string): string {
  return /^\/[cu]\/[A-Za-z0-9._-]{1,100}$/.test(pathname) ? `${start}?to=${encodeURIComponent(pathname)}` : start;
}

/** Whether the address is the way back from the provider — a sign-in to trade (`?sso=1`) or a refusal (`?sso_erro=…`) —, read in full by model/sso-return.ts. */
export function backFromSso(search: string): "done" | "refused" | null {
  if (/[?&]sso_erro=/.test(search)) return "refused";
  return /[?&]sso=1(&|$)/.test(search) ? "done" : null;
}
