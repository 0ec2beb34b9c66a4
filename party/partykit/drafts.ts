/**
 * PartyKit party "drafts": the per-user Yjs drafts doc (party/rooms/drafts.ts)
 * served by y-partykit and persisted as a snapshot in the room's storage
 * (chunked by y-partykit under the 128 KiB value cap). The edge gate runs before
 * the upgrade and the room checks the token again. Hibernation stays off:
 * y-partykit keeps docs in module memory and is not hibernation-safe.
 */
import type * as Party from "partykit/server";
import { onConnect } from "y-partykit";
import { gateConnect, identify } from "../rooms/edge";
import { readConfig } from "../rooms/config";
import { DRAFTS_PARTY, refuseDraftsConnection } from "../rooms/drafts";
import { rawCaller } from "./adapter";

export default class Drafts implements Party.Server {
  readonly options = { hibernate: false };

  constructor(readonly room: Party.Room) {}

  async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
    const who = await identify(ctx.request as unknown as Request, readConfig(this.room.env));
    const refusal = refuseDraftsConnection(who, this.room.id);
    if (refusal !== null) return conn.close(refusal, "acesso negado");
    return onConnect(conn, this.room, { persist: { mode: "snapshot" } });
  }

  onRequest() {
    return new Response(JSON.stringify({ error: "rota desconhecida", code: "not_found" }), {
      status: 404,
      headers: { "content-type": "application/json" },
    });
  }

  static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    const refusal = await gateConnect(req as unknown as Request, lobby.env, DRAFTS_PARTY, lobby.id, rawCaller(lobby.parties));
    return (refusal as unknown as Response | null) ?? req;
  }
}

Drafts satisfies Party.Worker;
