/**
 * PartyKit entry ("main" party): serves the public HTTP API under /api; static
 * files come from partykit.json's `serve`. It hosts no room of its own.
 */
import type * as Party from "partykit/server";
import { handleApi } from "../rooms/edge";
import { errorResponse } from "../rooms/respond";
import { rawCaller } from "./adapter";

export default class Main implements Party.Server {
  constructor(readonly room: Party.Room) {}

  onConnect(conn: Party.Connection) {
    conn.close(4004, "no room here");
  }

  static async onFetch(req: Party.Request, lobby: Party.FetchLobby) {
    try {
      const res = await handleApi(req as unknown as Request, lobby.env, rawCaller(lobby.parties));
      return (res ?? errorResponse("not_found", "não encontrado")) as unknown as Response;
    } catch (err) {
      console.error("api", err);
      return errorResponse("internal", "erro interno") as unknown as Response;
    }
  }

  static onBeforeConnect() {
    return new Response("no room here", { status: 404 });
  }
}

Main satisfies Party.Worker;
