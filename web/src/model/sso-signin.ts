/**
 * Sign-in with the company's identity provider (issue 18.1) as the sign-in page
 * sees it, pure: the markers the server's callback leaves in the address
 * (`?sso=1` — a one-time cookie waits to be traded —, or `?sso_erro=<motivo>`),
 * the address without them, why a sign-in was refused, and where the
 * button "Entrar com a conta da empresa" goes.
 */
import { TENANT_RE } from "../../../protocol/ids";

export type SsoMarker = { kind: "none" } | { kind: "done" } | { kind: "refused"; reason: string };

export function ssoMarker(search: string): SsoMarker {
  const params = new URLSearchParams(search);
  const refused = params.get("sso_erro");
  if (refused !== null) return { kind: "refused", reason: refused };
  return params.get("sso") === "1" ? { kind: "done" } : { kind: "none" };
}

/** The same address without the markers (kept: `empresa` and anything else). */
export function withoutMarkers(pathname: string, search: string): string {
  const params = new URLSearchParams(search);
  params.delete("sso");
  params.delete("sso_erro");
  const rest = params.toString();
  return `${pathname}${rest ? `?${rest}` : ""}`;
}

/** The server's reasons for refusing (party/edge/sso.ts); anything else reads as "other". i18n.ts words each. */
export const SSO_REASONS = ["state", "token", "user", "claim", "config"] as const;
export type SsoReason = (typeof SSO_REASONS)[number] | "other";

export const ssoReason = (reason: string): SsoReason =>
  (SSO_REASONS as readonly string[]).includes(reason) ? (reason as SsoReason) : "other";

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
