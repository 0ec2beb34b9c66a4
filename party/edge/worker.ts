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
import { searchRoom } from "../rooms/search/room";
import { userRoom } from "../rooms/user/room";
import { identify, SUBPROTOCOL } from "../runtime/adapter";
import { readConfig, type RoomConfig } from "../runtime/config";
import { BINDINGS, type Env } from "../runtime/env";
import type { CallRoom } from "../runtime/host";
import { log } from "../runtime/log";
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
): Promise<Response> {
  // Refusals drain the body first: workerd resets a connection answered while its body is unread.
  if (!(PUBLIC_PARTIES as readonly string[]).includes(party)) return refuse(req, "not_found", "sala desconhecida");
  let roomId = decodeSegment(rawRoom);
  if (roomId === null) return refuse(req, "not_found", "sala desconhecida");
  if (party === "hub") {
    const who = await identify(req, config);
    if (who) roomId = hubRoomId(roomId, shardOf(who.userId, config.hubShards));
  }
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

async function route(req: Request, env: Env): Promise<Response> {
  const config = readConfig(env as Record<string, unknown>);
  if (config.countEncodes) countJsonEncodes();
  const call = roomCaller(env);
  const url = new URL(req.url);
  const api = await handleApi(req, env as Record<string, unknown>, config, call);
  if (api) return withSecurityHeaders(api, config);
  const room = /^\/parties\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
  if (room) return withSecurityHeaders(await routeRoom(req, env, config, call, room[1]!, room[2]!, room[3] ?? ""), config);
  if (url.pathname.startsWith("/parties/")) return withSecurityHeaders(await refuse(req, "not_found", "sala desconhecida"), config);
  if (env.ASSETS) return withSecurityHeaders(await env.ASSETS.fetch(req), config);
  return withSecurityHeaders(errorResponse("not_found", "não encontrado"), config);
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    try {
      return await route(req, env);
    } catch (err) {
      log("error", "worker", { path: new URL(req.url).pathname, error: String(err) });
      return errorResponse("internal", "erro interno");
    }
  },
} satisfies ExportedHandler<Env>;
