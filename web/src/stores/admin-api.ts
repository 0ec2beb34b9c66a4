/**
 * The company administration API (README "Administração e operação") as the
 * "Administração" screen calls it: every request carries the signed-in admin's
 * access token (never a company key; renewed as the session's other requests
 * are, session.ts `apiWithSession`) and goes through api.ts; a 403 re-asks `/me`,
 * and a flag taken away closes the screen. Downloads (exports) stream through
 * fetch so the screen can show their progress.
 */
import type { AuditPage, Settings, SsoBody, SsoView, UserPage } from "../../../protocol/admin";
import type { AdminUser, SipCredentialsBody } from "../../../protocol/http";
import type { ApiResult } from "./api";
import { seam } from "./admin-seam";

const enc = encodeURIComponent;

/** The path of a company route of the signed-in person's company. */
const company = (rest: string) => `/api/tenants/${enc(seam.session.peek()?.tenant ?? "")}${rest}`;

const ENDED = "Sua sessão terminou. Entre de novo.";

/**
 * A 403 has several causes (passwords turned off, for one); `/me` says whether
 * it is that this person is no longer an admin, and then the screen closes.
 */
async function checkStillAdmin(): Promise<void> {
  const me = await seam.apiWithSession((s) => seam.call<{ admin?: boolean }>(company("/me"), { headers: seam.bearer(s.token) }));
  if (me?.ok && me.value.admin !== true) seam.adminRevoked();
}

async function authorized<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
  const res = await seam.apiWithSession((s) => seam.call<T>(path, { ...init, headers: { ...init.headers, ...seam.bearer(s.token) } }));
  if (!res) return { ok: false, status: 401, error: ENDED };
  if (!res.ok && res.status === 403) void checkStillAdmin();
  return res;
}

const send = <T>(method: string, path: string, body?: unknown) =>
  authorized<T>(company(path), { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

export type UserBodyOut = Record<string, unknown>;
export type Erased = { user: AdminUser; chats: number; messages: number; files: number; calls: number };

export const adminApi = {
  users: (query: string) => send<UserPage>("GET", `/users?${query}`),
  user: (id: string) => send<AdminUser>("GET", `/users/${enc(id)}`),
  putUser: (id: string, body: UserBodyOut) => send<AdminUser>("PUT", `/users/${enc(id)}`, body),
  patchUser: (id: string, body: UserBodyOut) => send<AdminUser>("PATCH", `/users/${enc(id)}`, body),
  password: (id: string, password: string) => send<null>("POST", `/users/${enc(id)}/password`, { password }),
  endSessions: (id: string) => send<null>("POST", `/users/${enc(id)}/logout`),
  erase: (id: string) => send<Erased>("POST", `/users/${enc(id)}/erase`, { confirm: id }),
  putSip: (id: string, body: SipCredentialsBody) => send<null>("PUT", `/users/${enc(id)}/sip-credentials`, body),
  deleteSip: (id: string) => send<null>("DELETE", `/users/${enc(id)}/sip-credentials`),
  audit: (query: string) => send<AuditPage>("GET", `/audit?${query}`),
  settings: () => send<Settings>("GET", "/settings"),
  putSettings: (body: Settings) => send<Settings>("PUT", "/settings", body),
  ssoConfig: () => send<SsoView>("GET", "/sso/config"),
  putSso: (body: SsoBody) => send<SsoView>("PUT", "/sso", body),
  /** Public: whether the company signs in with passwords (then "Redefinir senha" shows). */
  signInOptions: () => seam.call<{ sso: boolean; passwords: boolean; start: string | null }>(company("/sso")),
};

export type Download = { ok: true; blob: Blob; disposition: string | null } | { ok: false; status: number; error: string };

/**
 * Streams a company route's file (an export's zip) into memory, telling
 * `progress` how many bytes arrived (and how many to expect when the server
 * says); `signal` cancels it. A stream that breaks is an error, never a short file.
 */
export async function download(
  path: string,
  progress: (received: number, total: number | null) => void,
  signal: AbortSignal,
): Promise<Download> {
  let res: Response;
  try {
    const answer = await seam.fetchWithSession(company(path), { signal });
    if (!answer) return { ok: false, status: 401, error: ENDED };
    res = answer;
  } catch {
    return { ok: false, status: 0, error: signal.aborted ? "abort" : "network" };
  }
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    if (res.status === 403) void checkStillAdmin();
    return { ok: false, status: res.status, error: body?.error ?? `HTTP ${res.status}` };
  }
  const total = Number(res.headers.get("content-length")) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      progress(received, total);
    }
  } catch {
    return { ok: false, status: 0, error: signal.aborted ? "abort" : "broken" };
  }
  return {
    ok: true,
    blob: new Blob(chunks as BlobPart[], { type: res.headers.get("content-type") ?? "application/zip" }),
    disposition: res.headers.get("content-disposition"),
  };
}
