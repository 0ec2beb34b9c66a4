/**
 * The way back from the company's identity provider (issue 18.1), pure: the
 * markers the server's callback leaves in the address (`?sso=1` — a one-time
 * cookie waits to be traded —, or `?sso_erro=<motivo>`), the address without
 * them, and the server's reasons for refusing.
 */
export type SsoMarker = { kind: "none" } | { kind: "done" } | { kind: "refused"; reason: SsoReason };

/** The server's reasons for refusing (party/edge/sso.ts); anything else reads as "other". */
export const SSO_REASONS = ["state", "token", "user", "claim", "config"] as const;
export type SsoReason = (typeof SSO_REASONS)[number] | "other";

export const ssoReason = (reason: string): SsoReason =>
  (SSO_REASONS as readonly string[]).includes(reason) ? (reason as SsoReason) : "other";

export function ssoMarker(search: string): SsoMarker {
  const params = new URLSearchParams(search);
  const refused = params.get("sso_erro");
  if (refused !== null) return { kind: "refused", reason: ssoReason(refused) };
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
