/**
 * Worker entry for a plain Cloudflare Workers deployment (wrangler.toml): the
 * public HTTP API under /api, the rooms under /parties/<party>/<roomId> behind
 * the same edge gates as on PartyKit, and the web client from the ASSETS
 * binding for everything else. Exports the three room classes by the names
 * wrangler.toml binds.
 */
import { routePartykitRequest } from "partyserver";
import { gateConnect, gateRequest, handleApi, PARTIES } from "../rooms/edge";
import { errorResponse } from "../rooms/respond";
import { chatRoom } from "../rooms/chat-room";
import { directoryRoom } from "../rooms/directory-room";
import { userRoom } from "../rooms/user-room";
import { partyOfBinding, rawCaller, workersServer, type Env } from "./adapter";

export const Directory = workersServer("directory", directoryRoom);
export const Chat = workersServer("chat", chatRoom);
export const User = workersServer("user", userRoom);
export { Drafts } from "./drafts";

async function route(req: Request, env: Env): Promise<Response> {
  const raw = rawCaller(env);
  const vars = env as unknown as Record<string, unknown>;
  const api = await handleApi(req, vars, raw);
  if (api) return api;

  // partyserver answers an unknown party with a bare 400; keep the API's error shape.
  const [, prefix, party] = new URL(req.url).pathname.split("/");
  if (prefix === "parties" && !(PARTIES as readonly string[]).includes(party ?? "")) {
    return errorResponse("not_found", "sala desconhecida");
  }
  const room = await routePartykitRequest(req, env as never, {
    onBeforeConnect: async (r, lobby) => (await gateConnect(r, vars, partyOfBinding(lobby.className) ?? "", lobby.name, raw)) ?? undefined,
    onBeforeRequest: async (r, lobby) => (await gateRequest(r, vars, partyOfBinding(lobby.className) ?? "", lobby.name)) ?? undefined,
  });
  if (room) return room;
  return env.ASSETS ? env.ASSETS.fetch(req) : errorResponse("not_found", "não encontrado");
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    try {
      return await route(req, env);
    } catch (err) {
      console.error("worker", err);
      return errorResponse("internal", "erro interno");
    }
  },
} satisfies ExportedHandler<Env>;
