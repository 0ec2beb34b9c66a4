/**
 * The public HTTP API under /api (README "HTTP API"), as one table: method, path
 * pattern, who may call it (route.ts: nobody in particular, a signed-in user,
 * the platform key, a company's admins, the sip-proxy's service token, or a
 * webhook signature checked inside), and the handler. The operator's routes
 * (issue 18) come from admin.ts, sso.ts and archive.ts. A path no row matches
 * is a 404 in the API's error shape.
 */
import { CallRecord } from "../../protocol/calls";
import { GroupCreateBody } from "../../protocol/groups";
import type { SipCredentialsBody } from "../../protocol/http";
import { chatRoomId, isChatId, newGroupChatId, TENANT_RE, USER_ID_RE, userRoomId } from "../../protocol/ids";
import { parseJson } from "../../protocol/validate";
import { open } from "../domain/secretbox";
import { createGroup } from "../domain/groups";
import { isServiceToken, SERVICE_HEADER, type Identity } from "../domain/session";
import type { RoomConfig } from "../runtime/config";
import type { CallRoom } from "../runtime/host";
import type { Trace } from "../runtime/log";
import { readCounters } from "../runtime/metrics";
import { errorResponse, json, readBody, refuse, refusalResponse } from "../runtime/respond";
import { ADMIN_ROUTES } from "./admin";
import { ARCHIVE_ROUTES } from "./archive";
import { audit, companyAccess, isPlatformKey } from "./company";
import { requireSession } from "./gate";
import { health } from "./health";
import { SIP_PURPOSE, T, U, type Actor, type ApiRoute, type Ctx } from "./route";
import { login, logout, logoutEverywhere, refresh } from "./session";
import { issueLink, redeemLink, shareApi } from "./share";
import { SSO_ROUTES } from "./sso";

/** A path segment decoded; a malformed escape becomes a value no id pattern accepts (a 4xx, not a 500). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "\u0000";
  }
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

/** What the sip-proxy needs of a user it serves: the public user (extension, class of service) and their PBX credentials, opened. */
async function softphoneUser(call: CallRoom, config: RoomConfig, tenant: string, userId: string) {
  const found = await call("directory.access", tenant, { userId });
  const access = found.ok ? found.value.access : null;
  if (!access?.mayUse) return null;
  const opened = access.sipCredentials ? await open(config.sessionSecret, SIP_PURPOSE, tenant, access.sipCredentials) : null;
  return { user: access.user, credentials: opened ? (JSON.parse(opened) as SipCredentialsBody) : null };
}

const ROUTES: ApiRoute[] = [
  { method: "GET", path: /^\/api\/health$/, access: "public", handle: health },
  { method: "POST", path: /^\/api\/login$/, access: "public", handle: login },
  { method: "POST", path: /^\/api\/session\/refresh$/, access: "public", handle: ({ req, config, call }) => refresh(req, config, call) },
  { method: "POST", path: /^\/api\/session\/logout$/, access: "public", handle: logout },
  { method: "POST", path: /^\/api\/session\/logout-all$/, access: "session", handle: logoutEverywhere },
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
    access: "platform",
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
      if (!res.value.user?.enabled) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
      // `admin`: the app shows "Administração" (issue 18.3).
      const access = await call("directory.access", who!.tenant, { userId: who!.userId });
      return json({ ok: true, user: res.value.user, admin: access.ok && access.value.access?.admin === true });
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
    access: "platform",
    // A backup's restore (and the bench's big chats): a chat's log in batches, in seq order.
    handle: async ({ req, params, call, trace, actor }) => {
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
      if (res.ok && res.value.imported > 0)
        await audit({ req, call, trace }, params.tenant!, actor!, {
          action: "restore",
          target: chatId,
          detail: { messages: res.value.imported },
        });
      return res.ok ? json(res.value) : refusalResponse(res);
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/share$`),
    access: "public",
    handle: (ctx) => shareApi(ctx),
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/links$`),
    access: "company",
    handle: async (ctx) => {
      const res = await issueLink(ctx.req, ctx.params.tenant!, ctx.config, ctx.call);
      if (res.status === 201) await audit(ctx, ctx.params.tenant!, ctx.actor!, { action: "link.issue" });
      return res;
    },
  },
  {
    method: "POST",
    path: new RegExp(`^/api/tenants/${T}/links/redeem$`),
    access: "public",
    handle: (ctx) => redeemLink(ctx),
  },
  ...ADMIN_ROUTES,
  ...SSO_ROUTES,
  ...ARCHIVE_ROUTES,
];

/** The public HTTP API; null for paths outside /api, so the worker falls through to the web client. */
export async function handleApi(
  req: Request,
  env: Record<string, unknown>,
  config: RoomConfig,
  call: CallRoom,
  trace: Trace,
  waitUntil: (work: Promise<unknown>) => void,
): Promise<Response | null> {
  const path = new URL(req.url).pathname;
  if (!path.startsWith("/api/")) return null;
  const route = ROUTES.find((r) => r.path.test(path) && r.method === req.method);
  if (!route) return refuse(req, "not_found", "rota desconhecida");
  const params = Object.fromEntries(Object.entries(route.path.exec(path)!.groups ?? {}).map(([k, v]) => [k, decodeSegment(v)]));
  if (params.tenant !== undefined && !TENANT_RE.test(params.tenant)) return refuse(req, "invalid_body", "empresa inválida", "tenant");
  if (params.userId !== undefined && !USER_ID_RE.test(params.userId))
    return refuse(req, "invalid_body", "id de usuário inválido", "userId");
  if (params.tenant) trace.tenant = params.tenant;
  let who: Identity | null = null;
  let actor: Actor | null = null;
  switch (route.access) {
    case "platform":
      if (!isPlatformKey(req, config)) return refuse(req, "unauthorized", "chave de administração da plataforma inválida");
      actor = { kind: "platform", id: "" };
      break;
    case "company": {
      const gate = await companyAccess(req, config, call, params.tenant!);
      if (!gate.ok) return gate.response;
      actor = gate.actor;
      if (gate.userId) trace.userId = gate.userId;
      break;
    }
    case "service":
      if (!(await isServiceToken(config.sessionSecret, req.headers.get(SERVICE_HEADER))))
        return refuse(req, "unauthorized", "somente serviços internos");
      break;
    case "session": {
      const gate = await requireSession(req, config, call, params.tenant);
      if (!gate.ok) return gate.response;
      who = gate.who;
      trace.tenant = who.tenant;
      trace.userId = who.userId;
      break;
    }
  }
  return route.handle({ req, params, config, env, call, who, actor, trace, waitUntil });
}
