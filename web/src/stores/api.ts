/**
 * The public HTTP API as the client uses it (README "HTTP API"): sign-in, the
 * signed-in user, the company's contacts, creating a group. Answers are plain results; a network
 * failure is its own outcome, because the UI says something different for it.
 */
import type { GroupInfo } from "../../../protocol/groups";
import type { PublicUser } from "../../../protocol/http";

export type ApiResult<T> =
  { ok: true; value: T } | { ok: false; status: number; error: string; field?: string } | { ok: false; status: 0; error: "network" };

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
  // The wrong field's dotted path, when the server names one (forms show the error beside it).
  const field = (body as { field?: unknown } | null)?.field;
  return { ok: false, status: res.status, error, ...(typeof field === "string" ? { field } : {}) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function postLogin(tenant: string, login: string, password: string) {
  return call<{ token: string; user: PublicUser }>("/api/login", { method: "POST", body: JSON.stringify({ tenant, login, password }) });
}

export function getMe(tenant: string, token: string) {
  return call<{ user: PublicUser }>(`/api/tenants/${encodeURIComponent(tenant)}/me`, { headers: bearer(token) });
}

export function getContacts(tenant: string, token: string) {
  return call<{ users: PublicUser[] }>(`/api/tenants/${encodeURIComponent(tenant)}/contacts`, { headers: bearer(token) });
}

export function postGroup(tenant: string, token: string, name: string, members: string[]) {
  return call<{ chatId: string; group: GroupInfo }>(`/api/tenants/${encodeURIComponent(tenant)}/groups`, {
    method: "POST",
    headers: bearer(token),
    body: JSON.stringify({ name, members }),
  });
}
