/**
 * The Worker's entry (wrangler.toml `main`): the public HTTP API under /api, the
 * rooms under /parties/<party>/<room> behind the edge's checks, and the web
 * client from the ASSETS binding for everything else — every answer with the
 * security headers. Exports the room classes by the names wrangler.toml binds.
 *
 * The app's socket asks for `/parties/hub/<tenant>`; the edge sends it to the
 * hub shard that holds that user's apps. Upgrades answer with the subprotocol
 * the app speaks, beside which its access token travelled.
 */
import { PUBLIC_PARTIES, hubRoomId, shardOf, type PublicParty } from "../../protocol/ids";
import { chatRoom } from "../rooms/chat/room";
import { directoryRoom } from "../rooms/directory/room";
import { guardRoom } from "../rooms/guard/room";
import { hubRoom } from "../rooms/hub/room";
import { auditRoom } from "../rooms/audit/room";
import { searchRoom } from "../rooms/search/room";
import { tenantRoom } from "../rooms/tenant/room";
import { userRoom } from "../rooms/user/room";
import { identify, SUBPROTOCOL } from "../runtime/adapter";
import { readConfig, type RoomConfig } from "../runtime/config";
import { BINDINGS, type Env } from "../runtime/env";
import type { CallRoom } from "../runtime/host";
import { log, logRequest, newTrace, type Trace } from "../runtime/log";
import { countJsonEncodes } from "../runtime/metrics";
import { errorResponse, refuse } from "../runtime/respond";
import { roomCaller } from "../runtime/rooms-client";
import { roomServer } from "../runtime/server";
import { handleApi } from "./api";
import { gateRoom } from "./gate";
import { withSecurityHeaders } from "./headers";

export const Hub = roomServer("hub", hubRoom);
export const Chat = roomServer("chat", chatRoom);
export const Directory = roomServer("directory", directoryRoom);
export const User = roomServer("user", userRoom);
export const Search = roomServer("search", searchRoom);
export const Guard = roomServer("guard", guardRoom);
export const Tenant = roomServer("tenant", tenantRoom);
export const Audit = roomServer("audit", auditRoom);
export { Drafts } from "../runtime/drafts-server";

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

async function routeRoom(
  req: Request,
  env: Env,
  config: RoomConfig,
  call: CallRoom,
  party: string,
  rawRoom: string,
  path: string,
  trace: Trace,
): Promise<Response> {
  // Refusals drain the body first: workerd resets a connection answered while its body is unread.
  if (!(PUBLIC_PARTIES as readonly string[]).includes(party)) return refuse(req, "not_found", "sala desconhecida");
  let roomId = decodeSegment(rawRoom);
  if (roomId === null) return refuse(req, "not_found", "sala desconhecida");
  if (party === "hub") {
    const who = await identify(req, config);
    if (who) roomId = hubRoomId(roomId, shardOf(who.userId, config.hubShards));
  }
  trace.room = `${party}/${roomId}`;
  trace.tenant = roomId.split(".")[0];
  const refusal = await gateRoom(req, config, call, party as PublicParty, roomId, path);
  if (refusal) return refusal;
  const ns = env[BINDINGS[party as PublicParty]];
  const res = await ns.get(ns.idFromName(roomId)).fetch(req);
  if (res.status === 101 && res.webSocket) {
    const asked = (req.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
    const headers: Record<string, string> = asked.includes(SUBPROTOCOL) ? { "sec-websocket-protocol": SUBPROTOCOL } : {};
    return new Response(null, { status: 101, webSocket: res.webSocket, headers });
  }
  return res;
}

async function route(req: Request, env: Env, trace: Trace, waitUntil: (work: Promise<unknown>) => void): Promise<Response> {
  const config = readConfig(env as Record<string, unknown>);
  if (config.countEncodes) countJsonEncodes();
  const call = roomCaller(env);
  const url = new URL(req.url);
  const api = await handleApi(req, env as Record<string, unknown>, config, call, trace, waitUntil);
  if (api) return withSecurityHeaders(api, config);
  const room = /^\/parties\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (room) return withSecurityHeaders(await routeRoom(req, env, config, call, room[1]!, room[2]!, room[3] ?? "", trace), config);
  if (url.pathname.startsWith("/parties/")) return withSecurityHeaders(await refuse(req, "not_found", "sala desconhecida"), config);
  if (env.ASSETS) return withSecurityHeaders(await env.ASSETS.fetch(req), config);
  return withSecurityHeaders(errorResponse("not_found", "não encontrado"), config);
}

export default {
  async fetch(req: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const started = Date.now();
    const trace = newTrace(req);
    let res: Response;
    try {
      res = await route(req, env, trace, (work) =>
        ctx.waitUntil(work.catch((err) => log("error", "background", { requestId: trace.requestId, error: String(err) }))),
      );
    } catch (err) {
      log("error", "worker", { requestId: trace.requestId, error: String(err) });
      res = errorResponse("internal", "erro interno");
    }
    // One line per request (issue 18.8), and its id on the answer for support to find it.
    logRequest(trace, req, res.status, started);
    if (res.status === 101 || res.webSocket) return res;
    const out = new Response(res.body, res);
    out.headers.set("x-request-id", trace.requestId);
    return out;
  },
} satisfies ExportedHandler<Env>;
