/**
 * Single sign-on rules (issue 18.1), free of any runtime: which issuers a
 * company may name, where the provider sends people back, which local path a
 * sign-in may return to, the cookies that carry a sign-in (never an address),
 * and which claim value is a login. The protocol itself (discovery, PKCE, the
 * code exchange and every ID token check) is oauth4webapi's, in edge/sso.ts.
 */

/** How long a sign-in may take at the provider. */
export const STATE_TTL_MS = 10 * 60 * 1000;
/** The browser-bound copy of `state` (login CSRF: a callback must come back to the browser that started it). */
export const STATE_COOKIE = "conversas_sso_state";
/** The one-time hand-off of a finished sign-in to the app, which trades it for a session with a POST. */
export const HANDOFF_COOKIE = "conversas_sso";
export const HANDOFF_PATH = "/api/session/sso";

/** A refusal when the issuer cannot be used (null: fine). */
export function issuerProblem(issuer: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return "issuer deve ser um endereço completo";
  }
  if (url.search || url.hash || url.username || url.password) return "issuer não pode ter consulta, fragmento ou credenciais";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && allowHttp) return null;
  return allowHttp ? "issuer deve usar https:// ou http://" : "issuer deve usar https://";
}

export function callbackPath(tenant: string): string {
  return `/api/tenants/${tenant}/sso/callback`;
}

/** Where a finished sign-in opens the app: a local path only (never another site), the company kept. */
export function returnPath(tenant: string, asked: string | null): string {
  const fallback = `/?empresa=${encodeURIComponent(tenant)}`;
  if (!asked || !/^\/(?![/\\])[A-Za-z0-9/_.~%?&=+-]{0,280}$/.test(asked)) return fallback;
  return asked;
}

/** The address the app is sent to after the callback: only markers, never a credential. */
export function withMarker(path: string, name: string, value: string): string {
  return `${path}${path.includes("?") ? "&" : "?"}${name}=${encodeURIComponent(value)}`;
}

export function cookie(name: string, value: string, opts: { path: string; maxAge: number; secure: boolean }): string {
  return [
    `${name}=${value}`,
    `Path=${opts.path}`,
    `Max-Age=${opts.maxAge}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(opts.secure ? ["Secure"] : []),
  ].join("; ");
}

export function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...rest] = part.trim().split("=");
    if (k === name) return rest.join("=") || null;
  }
  return null;
}

/** The login a claim gives: a non-empty string of at most 200 characters, or null. */
export function loginFromClaim(value: unknown): string | null {
  return typeof value === "string" && value.trim().length > 0 && value.length <= 200 ? value.trim() : null;
}
