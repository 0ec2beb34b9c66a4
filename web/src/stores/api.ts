/**
 * The public HTTP API as the client uses it (README "HTTP API"): sign-in and the
 * session's life (refresh, "Sair", "Sair de todos os dispositivos"), the
 * signed-in user, the company's contacts, creating a group, the public settings.
 * Answers are plain results; a network failure is its own outcome, because the
 * UI says something different for it. The access token always travels in
 * `Authorization`, never in an address.
 */
import type { GroupInfo } from "../../../protocol/groups";
import type { PublicUser } from "../../../protocol/http";

export type ApiResult<T> =
  { ok: true; value: T } | { ok: false; status: number; error: string } | { ok: false; status: 0; error: "network" };

export async function call<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { "content-type": "application/json", ...init.headers } });
  } catch {
    return { ok: false, status: 0, error: "network" };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* an empty or non-JSON answer: only the status speaks */
  }
  if (res.ok) return { ok: true, value: body as T };
  const error = typeof (body as { error?: unknown } | null)?.error === "string" ? (body as { error: string }).error : `HTTP ${res.status}`;
  return { ok: false, status: res.status, error };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const tenantPath = (tenant: string) => `/api/tenants/${encodeURIComponent(tenant)}`;

/** What `/api/login`, a renewal's first half and a sign-in link answer. */
export type SignedIn = { token: string; expiresAt: number; refreshToken: string; user: PublicUser };

export function postLogin(tenant: string, login: string, password: string) {
  return call<SignedIn>("/api/login", { method: "POST", body: JSON.stringify({ tenant, login, password }) });
}

export function postRefresh(refreshToken: string) {
  return call<{ token: string; expiresAt: number; user: PublicUser }>("/api/session/refresh", {
    method: "POST",
    body: JSON.stringify({ refreshToken }),
  });
}

/** "Sair": the access token says which session; the refresh token does when the access token has expired. */
export function postLogout(token: string, refreshToken: string) {
  return call<null>("/api/session/logout", {
    method: "POST",
    headers: bearer(token),
    body: JSON.stringify({ refreshToken }),
    // Sent even if the page goes away right after.
    keepalive: true,
  });
}

export function postLogoutAll(token: string) {
  return call<null>("/api/session/logout-all", { method: "POST", headers: bearer(token) });
}

export function getMe(tenant: string, token: string) {
  return call<{ user: PublicUser }>(`${tenantPath(tenant)}/me`, { headers: bearer(token) });
}

export function getContacts(tenant: string, token: string) {
  return call<{ users: PublicUser[] }>(`${tenantPath(tenant)}/contacts`, { headers: bearer(token) });
}

export function postGroup(tenant: string, token: string, name: string, members: string[]) {
  return call<{ chatId: string; group: GroupInfo }>(`${tenantPath(tenant)}/groups`, {
    method: "POST",
    headers: bearer(token),
    body: JSON.stringify({ name, members }),
  });
}

/** The softphone's one-time sign-in to the sip-proxy (issue 12.1): where the proxy is, and the ICE servers. */
export type SipTicket = { ticket: string; expiresAt: number; url: string; iceServers: RTCIceServer[] };

export function postSipTicket(tenant: string, token: string) {
  return call<SipTicket>(`${tenantPath(tenant)}/sip/ticket`, { method: "POST", headers: bearer(token) });
}

/** What the app needs to know before anyone signs in. */
export type PublicConfig = { embedOrigins: string[]; softphone: boolean };

export function getConfig() {
  return call<PublicConfig>("/api/config");
}
