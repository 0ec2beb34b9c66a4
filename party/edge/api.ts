/**
 * The public HTTP API under /api (README "HTTP API"), as one table: method, path
 * pattern, who may call it (nobody in particular, a signed-in user, the admin
 * key, the sip-proxy's service token, or a webhook signature checked inside),
 * and the handler. A path no row matches is a 404 in the API's error shape.
 */
import { CallRecord } from "../../protocol/calls";
import { GroupCreateBody } from "../../protocol/groups";
import { SipCredentialsBody, UserUpsertBody } from "../../protocol/http";
import { chatRoomId, isChatId, newGroupChatId, TENANT_RE, USER_ID_RE, userRoomId } from "../../protocol/ids";
import { parseJson } from "../../protocol/validate";
import { constantTimeEqual, hashPassword, openSecret, sealSecret } from "../domain/crypto";
import { createGroup } from "../domain/groups";
import { isServiceToken, SERVICE_HEADER, type Identity } from "../domain/session";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import { readCounters } from "../runtime/metrics";
import { errorResponse, json, readBody, refuse, refusalResponse } from "../runtime/respond";
import { requireSession } from "./gate";
import { login, logout, logoutEverywhere, refresh } from "./session";
import { issueLink, redeemLink, shareApi } from "./share";

type Access = "public" | "session" | "admin" | "service";
type Ctx = {
  req: Request;
  params: Record<string, string>;
  config: RoomConfig;
  env: Record<string, unknown>;
  call: CallRoom;
  /** The caller, for routes that need a session. */
  who: Identity | null;
};
type Route = { method: string; path: RegExp; access: Access; handle(ctx: Ctx): Promise<Response> };

const enc = new TextEncoder();
function adminKeyOk(req: Request, config: RoomConfig): boolean {
  const auth = req.headers.get("authorization") ?? "";
  return auth.startsWith("Bearer ") && constantTimeEqual(enc.encode(auth.slice(7).trim()), enc.encode(config.adminKey));
}

/** A path segment decoded; a malformed escape becomes a value no id pattern accepts (a 4xx, not a 500). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "\u0000";
  }
}

async function upsertUser({ req, params, call }: Ctx): Promise<Response> {
  const text = await readBody(req, 16 * 1024);
  if (text === null) return errorResponse("too_large", "corpo grande demais");
  const parsed = parseJson(UserUpsertBody, text);
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  // The password is hashed here, at the edge, so no company room spends its time on it.
  const passwordHash = parsed.value.password !== undefined ? await hashPassword(parsed.value.password) : undefined;
  const res = await call("directory.upsert", params.tenant!, {
    userId: params.userId!,
    body: parsed.value,
    ...(passwordHash ? { passwordHash } : {}),
  });
  if (!res.ok) return refusalResponse(res);
  return json(res.value.user, res.value.created ? 201 : 200);
}

/** `POST /api/tenants/{tenant}/groups` (R13/R14): a name and at least one other member, every one an enabled contact. */
async function createGroupApi({ req, params, call, who }: Ctx): Promise<Response> {
  const text = await readBody(req, 256 * 1024);
  if (text === null) return errorResponse("too_large", "corpo grande demais");
  const parsed = parseJson(GroupCreateBody, text);
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  const { name, members } = parsed.value;
  // The pure rules answer first, so a nameless or memberless group never costs a directory call.
  const check = createGroup(who!.userId, name, members, Date.now());
  if ("refused" in check) return errorResponse("invalid_body", check.message, check.field);
  const known = await call("directory.known", params.tenant!, { ids: members });
  if (!known.ok) return refusalResponse(known);
  const unknown = members.filter((m) => !known.value.known.includes(m));
  if (unknown.length) return errorResponse("invalid_body", `contato não encontrado: ${unknown.join(", ")}`, "members");
  const res = await call("chat.createGroup", chatRoomId(params.tenant!, newGroupChatId()), { creator: who!.userId, name, members });
  return res.ok ? json(res.value, 201) : refusalResponse(res);
}

const T = "(?<tenant>[^/]+)";
/** What sealed PBX credentials are bound to (domain/crypto.ts sealSecret). */
const SIP_PURPOSE = "sip-credentials";
const U = "(?<userId>[^/]+)";

/** What the sip-proxy needs of a user it serves: the public user (extension, class of service) and their PBX credentials, opened. */
async function softphoneUser(call: CallRoom, config: RoomConfig, tenant: string, userId: string) {
  const found = await call("directory.access", tenant, { userId });
  const access = found.ok ? found.value.access : null;
  if (!access?.mayUse) return null;
  const opened = access.sipCredentials ? await openSecret(config.sessionSecret, SIP_PURPOSE, access.sipCredentials) : null;
  return { user: access.user, credentials: opened ? (JSON.parse(opened) as SipCredentialsBody) : null };
}

const ROUTES: Route[] = [
  { method: "POST", path: /^\/api\/login$/, access: "public", handle: ({ req, config, call }) => login(req, config, call) },
  { method: "POST", path: /^\/api\/session\/refresh$/, access: "public", handle: ({ req, config, call }) => refresh(req, config, call) },
  { method: "POST", path: /^\/api\/session\/logout$/, access: "public", handle: ({ req, config, call }) => logout(req, config, call) },
  { method: "POST", path: /^\/api\/session\/logout-all$/, access: "session", handle: ({ who, call }) => logoutEverywhere(who!, call) },
  {
    method: "GET",
    path: /^\/api\/config$/,
    access: "public",
    // What the app needs before anyone signs in; nothing secret.
    handle: async ({ config }) => json({ embedOrigins: config.embedOrigins, softphone: config.sipUrl !== null }),
  },
  {
    method: "GET",
    path: /^\/api\/metrics$/,
    access: "admin",
    // Work counters of the isolate that answers (party/runtime/metrics.ts); `?reset=1` zeroes them.
    handle: async ({ req }) => json(readCounters(new URL(req.url).searchParams.get("reset") === "1")),
  },
  {
    method: "GET",
    path: new RegExp(`^/api/tenants/${T}/me$`),
    access: "session",
    handle: async ({ who, call }) => {
      const res = await call("directory.user", who!.tenant, { userId: who!.userId });
      if (!res.ok) return refusalResponse(res);
      return res.value.user?.enabled
        ? json({ ok: true, user: res.value.user })
        : errorResponse("unauthorized", "sessão encerrada; entre de novo");
    },
  },
  {
    method: "GET",
    path: new RegExp(`^/api/tenants/${T}/contacts$`),
    access: "session",
    handle: async ({ who, call }) => {
      const res = await call("directory.contacts", who!.tenant, {});
      return res.ok ? json(res.value) : refusalResponse(res);
    },
  },
  { method: "POST", path: new RegExp(`^/api/tenants/${T}/groups$`), access: "session", handle: createGroupApi },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/sip/ticket$`),
    access: "session",
    // The softphone's one-time sign-in to the sip-proxy (issue 12.1): never the session token.
    handle: async ({ who, call, config }) => {
      if (!config.sipUrl) return errorResponse("not_found", "softphone não configurado (CONVERSAS_SIP_URL)");
      const res = await call("user.ticketIssue", userRoomId(who!.tenant, who!.userId), { sid: who!.sid, purpose: "sip" });
      if (!res.ok) return refusalResponse(res);
      return json({ ticket: res.value.ticket, expiresAt: res.value.expiresAt, url: config.sipUrl, iceServers: config.iceServers });
    },
  },
  { method: "PUT", path: new RegExp(`^/api/tenants/${T}/users/${U}$`), access: "admin", handle: upsertUser },
  {
    method: "GET",
    path: new RegExp(`^/api/tenants/${T}/users/${U}$`),
    access: "admin",
    handle: async ({ params, call }) => {
      const res = await call("directory.user", params.tenant!, { userId: params.userId! });
      if (!res.ok) return refusalResponse(res);
      return res.value.user ? json(res.value.user) : errorResponse("not_found", "usuário não encontrado");
    },
  },
  {
    method: "PUT",
    path: new RegExp(`^/api/tenants/${T}/users/${U}/sip-credentials$`),
    access: "admin",
    // The user's PBX credentials (issue 16.6): sealed at rest, never returned, never sent to a browser.
    handle: async ({ req, params, call, config }) => {
      const text = await readBody(req, 4096);
      const parsed = text === null ? null : parseJson(SipCredentialsBody, text);
      if (!parsed?.ok) return errorResponse("invalid_body", parsed?.message ?? "corpo inválido", parsed?.field);
      const sealed = await sealSecret(config.sessionSecret, SIP_PURPOSE, JSON.stringify(parsed.value));
      const res = await call("directory.sipCredentials", params.tenant!, { userId: params.userId!, sealed });
      return res.ok ? new Response(null, { status: 204 }) : refusalResponse(res);
    },
  },
  {
    method: "DELETE",
    path: new RegExp(`^/api/tenants/${T}/users/${U}/sip-credentials$`),
    access: "admin",
    handle: async ({ params, call }) => {
      const res = await call("directory.sipCredentials", params.tenant!, { userId: params.userId!, sealed: null });
      return res.ok ? new Response(null, { status: 204 }) : refusalResponse(res);
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/users/${U}/logout$`),
    access: "admin",
    handle: async ({ params, call }) => {
      const res = await call("directory.endSessions", params.tenant!, { userId: params.userId! });
      return res.ok ? new Response(null, { status: 204 }) : refusalResponse(res);
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/users/${U}/call-records$`),
    access: "service",
    // The sip-proxy's call records (R25): stored once per call id by the user's room.
    handle: async ({ req, params, call }) => {
      const text = await readBody(req, 16 * 1024);
      const parsed = text === null ? null : parseJson(CallRecord, text);
      if (!parsed?.ok) return errorResponse("invalid_body", parsed?.message ?? "corpo inválido", parsed?.field);
      const res = await call("user.callStore", userRoomId(params.tenant!, params.userId!), { record: parsed.value });
      return res.ok ? json({ ok: true, stored: res.value.stored }) : refusalResponse(res);
    },
  },
  {
    method: "POST",
    path: /^\/api\/sip\/tickets\/redeem$/,
    access: "service",
    // The sip-proxy redeems a browser's ticket once: who it is (extension, class of service) and their PBX credentials.
    handle: async ({ req, call, config }) => {
      const text = await readBody(req, 4096);
      let ticket: unknown;
      try {
        ticket = text ? (JSON.parse(text) as { ticket?: unknown }).ticket : undefined;
      } catch {
        /* answered below */
      }
      const m =
        typeof ticket === "string" ? /^([a-z0-9][a-z0-9-]{0,39})\.([a-z0-9][a-z0-9_-]{0,39})\.([A-Za-z0-9_-]{20,64})$/.exec(ticket) : null;
      if (!m) return errorResponse("unauthorized", "ticket inválido ou já usado");
      const [, tenant, userId, secret] = m as unknown as [string, string, string, string];
      const res = await call("user.ticketRedeem", userRoomId(tenant, userId), { secret, purpose: "sip" });
      if (!res.ok) return refusalResponse(res);
      const softphone = await softphoneUser(call, config, tenant, userId);
      return softphone ? json({ tenant, userId, sid: res.value.sid, ...softphone }) : errorResponse("unauthorized", "usuário sem acesso");
    },
  },
  {
    method: "POST",
    path: /^\/api\/sip\/users$/,
    access: "service",
    // A user's extension and PBX credentials without a socket: a restarted proxy withdrawing the
    // registrations a crashed run left at the PBX answers its digest challenges with them.
    handle: async ({ req, call, config }) => {
      const text = await readBody(req, 4096);
      let body: { tenant?: unknown; userId?: unknown } = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        /* answered below */
      }
      const { tenant, userId } = body;
      if (typeof tenant !== "string" || !TENANT_RE.test(tenant) || typeof userId !== "string" || !USER_ID_RE.test(userId))
        return errorResponse("invalid_body", "tenant e userId obrigatórios");
      const softphone = await softphoneUser(call, config, tenant, userId);
      return softphone ? json(softphone) : errorResponse("not_found", "usuário sem acesso");
    },
  },
  {
    method: "POST",
    path: /^\/api\/sip\/sessions\/check$/,
    access: "service",
    // The sip-proxy asks now and then whether a softphone's session is still open, and gets the user's
    // current extension, class of service and PBX credentials (changed by an admin: no proxy restart).
    handle: async ({ req, call, config }) => {
      const text = await readBody(req, 4096);
      let body: { tenant?: unknown; userId?: unknown; sid?: unknown } = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        /* answered below */
      }
      const { tenant, userId, sid } = body;
      if (
        typeof tenant !== "string" ||
        !TENANT_RE.test(tenant) ||
        typeof userId !== "string" ||
        !USER_ID_RE.test(userId) ||
        typeof sid !== "string"
      )
        return errorResponse("invalid_body", "tenant, userId e sid obrigatórios");
      const res = await call("user.sessionAlive", userRoomId(tenant, userId), { sid });
      if (!res.ok) return refusalResponse(res);
      const softphone = await softphoneUser(call, config, tenant, userId);
      return softphone ? json({ ok: true, ...softphone }) : errorResponse("unauthorized", "usuário sem acesso");
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/chats/(?<chatId>[^/]+)/import$`),
    access: "admin",
    // A backup's restore (and the bench's big chats): a chat's log in batches, in seq order.
    handle: async ({ req, params, call }) => {
      const text = await readBody(req, 32 * 1024 * 1024);
      if (text === null) return errorResponse("too_large", "corpo grande demais");
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return errorResponse("invalid_body", "JSON inválido", "(raiz)");
      }
      const chatId = params.chatId!;
      if (!isChatId(chatId)) return errorResponse("invalid_body", "conversa inválida", "chatId");
      const res = await call("chat.import", chatRoomId(params.tenant!, chatId), body as never);
      return res.ok ? json(res.value) : refusalResponse(res);
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/share$`),
    access: "public",
    handle: ({ req, params, env, config, call }) => shareApi(req, params.tenant!, env, config, call),
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/links$`),
    access: "admin",
    handle: ({ req, params, config, call }) => issueLink(req, params.tenant!, config, call),
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/links/redeem$`),
    access: "public",
    handle: ({ req, params, config, call }) => redeemLink(req, params.tenant!, config, call),
  },
];

/** The public HTTP API; null for paths outside /api, so the worker falls through to the web client. */
export async function handleApi(req: Request, env: Record<string, unknown>, config: RoomConfig, call: CallRoom): Promise<Response | null> {
  const path = new URL(req.url).pathname;
  if (!path.startsWith("/api/")) return null;
  const route = ROUTES.find((r) => r.path.test(path) && r.method === req.method);
  if (!route) return refuse(req, "not_found", "rota desconhecida");
  const params = Object.fromEntries(Object.entries(route.path.exec(path)!.groups ?? {}).map(([k, v]) => [k, decodeSegment(v)]));
  if (params.tenant !== undefined && !TENANT_RE.test(params.tenant)) return refuse(req, "invalid_body", "empresa inválida", "tenant");
  if (params.userId !== undefined && !USER_ID_RE.test(params.userId))
    return refuse(req, "invalid_body", "id de usuário inválido", "userId");
  let who: Identity | null = null;
  switch (route.access) {
    case "admin":
      if (!adminKeyOk(req, config)) return refuse(req, "unauthorized", "chave de administração inválida");
      break;
    case "service":
      if (!(await isServiceToken(config.sessionSecret, req.headers.get(SERVICE_HEADER))))
        return refuse(req, "unauthorized", "somente serviços internos");
      break;
    case "session": {
      const gate = await requireSession(req, config, call, params.tenant);
      if (!gate.ok) return gate.response;
      who = gate.who;
      break;
    }
  }
  return route.handle({ req, params, config, env, call, who });
}
