/**
 * The edge: what runs before any room is touched. It authenticates every socket
 * and request, decides from the room id alone whether the caller may reach it,
 * and serves the public HTTP API (README "HTTP API"). Both runtime adapters call
 * these functions; they only supply `callRoom`.
 */
import { chatRoomId, GroupCreateBody, newGroupChatId, parseJson, TENANT_RE, USER_ID_RE, userRoomId, type PartyName } from "../../protocol";
import { createGroup } from "../domain/groups";
import { constantTimeEqual } from "../domain/crypto";
import { isServiceToken, issueServiceToken, mayReachRoom, readSession, SERVICE_HEADER, type Identity } from "../domain/session";
import { readConfig, type RoomConfig } from "./config";
import { errorResponse, refuse } from "./respond";
import { linksApi, shareApi } from "./share-api";

/** A path segment decoded; a malformed escape becomes a value no id pattern accepts (a 4xx, not a 500). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "\u0000";
  }
}

/** Calls a room over HTTP: `path` is appended to the room's URL. */
export type CallRoom = (party: PartyName, roomId: string, path: string, init?: RequestInit) => Promise<Response>;

/** Wraps an adapter's raw room call so every call carries a fresh service token. */
export function serviceCaller(raw: CallRoom, config: RoomConfig): CallRoom {
  return async (party, roomId, path, init) => raw(party, roomId, path, await serviceInit(config, init));
}

export const PARTIES: readonly PartyName[] = ["directory", "chat", "user", "drafts"];

/** Adds the service token to a room-to-room call. */
export async function serviceInit(config: RoomConfig, init: RequestInit = {}): Promise<RequestInit> {
  const headers = new Headers(init.headers);
  headers.set(SERVICE_HEADER, await issueServiceToken(config.sessionSecret));
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  return { ...init, headers };
}

function tokenOf(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) return auth.slice(7).trim();
  return new URL(req.url).searchParams.get("token");
}

/** The caller's identity from its session token (header or `?token=`), or null. */
export async function identify(req: Request, config: RoomConfig): Promise<Identity | null> {
  return readSession(config.sessionSecret, tokenOf(req));
}

export async function isServiceCall(req: Request, config: RoomConfig): Promise<boolean> {
  return isServiceToken(config.sessionSecret, req.headers.get(SERVICE_HEADER));
}

/** Asks the directory whether the session was not ended since (user disabled). */
async function sessionAlive(who: Identity, callRoom: CallRoom): Promise<boolean> {
  const res = await callRoom("directory", who.tenant, `/session-check?user=${who.userId}&sv=${who.sessionVersion}`);
  return res.ok;
}

/**
 * Gate for a WebSocket upgrade to /parties/:party/:roomId. Returns null to let it
 * through, or the refusal to send instead.
 */
export async function gateConnect(
  req: Request,
  env: Record<string, unknown>,
  party: string,
  roomId: string,
  raw: CallRoom,
): Promise<Response | null> {
  const config = readConfig(env);
  const callRoom = serviceCaller(raw, config);
  if (!(PARTIES as readonly string[]).includes(party)) return errorResponse("not_found", "sala desconhecida");
  const who = await identify(req, config);
  if (!who) return errorResponse("unauthorized", "sessão inválida ou expirada; entre de novo");
  if (!mayReachRoom(who, party as PartyName, roomId)) return errorResponse("forbidden", "acesso negado a esta sala");
  if (!(await sessionAlive(who, callRoom))) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
  return null;
}

/** Gate for plain HTTP to a room: sibling rooms (service token) or a member. */
export async function gateRequest(req: Request, env: Record<string, unknown>, party: string, roomId: string): Promise<Response | null> {
  const config = readConfig(env);
  if (await isServiceCall(req, config)) return null;
  if (!(PARTIES as readonly string[]).includes(party)) return refuse(req, "not_found", "sala desconhecida");
  const who = await identify(req, config);
  if (!who) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
  if (!mayReachRoom(who, party as PartyName, roomId)) return refuse(req, "forbidden", "acesso negado a esta sala");
  return null;
}

function adminKeyOk(req: Request, config: RoomConfig): boolean {
  const auth = req.headers.get("authorization") ?? "";
  if (!auth.startsWith("Bearer ")) return false;
  const enc = new TextEncoder();
  return constantTimeEqual(enc.encode(auth.slice(7).trim()), enc.encode(config.adminKey));
}

/** Re-issues a request's method and body to a room. */
async function forward(req: Request, callRoom: CallRoom, party: PartyName, roomId: string, path: string) {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.text();
  return callRoom(party, roomId, path, { method: req.method, body });
}

/**
 * The public HTTP API under /api. Returns null for any other path, so the
 * adapter can fall through to static assets.
 */
export async function handleApi(req: Request, env: Record<string, unknown>, raw: CallRoom): Promise<Response | null> {
  const url = new URL(req.url);
  if (!url.pathname.startsWith("/api/")) return null;
  const config = readConfig(env);
  const callRoom = serviceCaller(raw, config);
  const path = url.pathname;

  if (path === "/api/login" && req.method === "POST") {
    const text = await req.text();
    let tenant: unknown;
    try {
      tenant = (JSON.parse(text) as { tenant?: unknown }).tenant;
    } catch {
      return errorResponse("invalid_body", "JSON inválido", "(raiz)");
    }
    if (typeof tenant !== "string" || !TENANT_RE.test(tenant)) return errorResponse("invalid_body", "empresa inválida", "tenant");
    return callRoom("directory", tenant, "/login", { method: "POST", body: text });
  }

  // The sip-proxy's call records (issue 6): service-signed only, stored by the user's room.
  const recordPath = /^\/api\/tenants\/([^/]+)\/users\/([^/]+)\/call-records$/.exec(path);
  if (recordPath && req.method === "POST") {
    if (!(await isServiceCall(req, config))) return refuse(req, "unauthorized", "somente serviços internos");
    const [tenant, userId] = [decodeSegment(recordPath[1]!), decodeSegment(recordPath[2]!)];
    if (!TENANT_RE.test(tenant) || !USER_ID_RE.test(userId)) return refuse(req, "invalid_body", "empresa ou usuário inválido");
    return forward(req, callRoom, "user", userRoomId(tenant, userId), "/calls");
  }

  const userPath = /^\/api\/tenants\/([^/]+)\/users\/([^/]+)$/.exec(path);
  if (userPath) {
    if (!adminKeyOk(req, config)) return refuse(req, "unauthorized", "chave de administração inválida");
    const [tenant, userId] = [decodeSegment(userPath[1]!), decodeSegment(userPath[2]!)];
    if (!TENANT_RE.test(tenant)) return refuse(req, "invalid_body", "empresa inválida", "tenant");
    if (!USER_ID_RE.test(userId)) return refuse(req, "invalid_body", "id de usuário inválido", "userId");
    if (req.method !== "PUT" && req.method !== "GET") return refuse(req, "not_found", "método não suportado");
    return forward(req, callRoom, "directory", tenant, `/users/${userId}`);
  }

  const groupsPath = /^\/api\/tenants\/([^/]+)\/groups$/.exec(path);
  if (groupsPath && req.method === "POST") return createGroupApi(req, decodeSegment(groupsPath[1]!), config, callRoom);

  const contactsPath = /^\/api\/tenants\/([^/]+)\/(contacts|me)$/.exec(path);
  if (contactsPath && req.method === "GET") {
    const who = await identify(req, config);
    const tenant = decodeSegment(contactsPath[1]!);
    if (!who) return errorResponse("unauthorized", "sessão inválida ou expirada; entre de novo");
    if (who.tenant !== tenant) return errorResponse("forbidden", "acesso negado a esta empresa");
    const check = await callRoom("directory", tenant, `/session-check?user=${who.userId}&sv=${who.sessionVersion}`);
    if (!check.ok) return errorResponse("unauthorized", "sessão encerrada; entre de novo");
    if (contactsPath[2] === "me") return check;
    return callRoom("directory", tenant, "/contacts");
  }

  // R30 share webhook (signed with the tenant's webhook secret) and R31 sign-in links: share-api.ts.
  const sharePath = /^\/api\/tenants\/([^/]+)\/share$/.exec(path);
  if (sharePath && req.method === "POST") return shareApi(req, decodeSegment(sharePath[1]!), env, config, callRoom);
  const linksPath = /^\/api\/tenants\/([^/]+)\/links(\/redeem)?$/.exec(path);
  if (linksPath && req.method === "POST") {
    if (!linksPath[2] && !adminKeyOk(req, config)) return refuse(req, "unauthorized", "chave de administração inválida");
    return linksApi(req, decodeSegment(linksPath[1]!), !!linksPath[2], callRoom);
  }

  return refuse(req, "not_found", "rota desconhecida");
}

/**
 * `POST /api/tenants/{tenant}/groups` (R13/R14): the caller (a live session)
 * creates a group with a name and at least one other member, every one of them an
 * enabled contact of the tenant; the new room stores it under a fresh id.
 */
async function createGroupApi(req: Request, tenant: string, config: RoomConfig, callRoom: CallRoom): Promise<Response> {
  const who = await identify(req, config);
  if (!who) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
  if (who.tenant !== tenant) return refuse(req, "forbidden", "acesso negado a esta empresa");
  if (!(await sessionAlive(who, callRoom))) return refuse(req, "unauthorized", "sessão encerrada; entre de novo");
  const text = await req.text();
  const parsed = parseJson(GroupCreateBody, text);
  if (!parsed.ok) return errorResponse("invalid_body", parsed.message, parsed.field);
  const { name, members } = parsed.value;
  // The pure rules answer first, so a nameless or memberless group never costs a directory call.
  const check = createGroup(who.userId, name, members, Date.now());
  if ("refused" in check) return errorResponse("invalid_body", check.message, check.field);
  const contacts = await callRoom("directory", tenant, "/contacts");
  if (!contacts.ok) return errorResponse("internal", "diretório indisponível");
  const known = new Set(((await contacts.json()) as { users: { id: string }[] }).users.map((u) => u.id));
  const unknown = members.filter((m) => !known.has(m));
  if (unknown.length) return errorResponse("invalid_body", `contato não encontrado: ${unknown.join(", ")}`, "members");
  const chatId = newGroupChatId();
  return callRoom("chat", chatRoomId(tenant, chatId), "/group/create", {
    method: "POST",
    body: JSON.stringify({ creator: who.userId, name, members }),
  });
}
