/**
 * PartyKit adapter: turns a room factory into a Party.Server class. The edge
 * gates (static onBeforeConnect/onBeforeRequest) run before the room is touched.
 * Hibernation stays off: rooms keep small in-memory indexes.
 */
import type * as Party from "partykit/server";
import type { PartyName } from "../../protocol";
import type { CallRoom } from "../rooms/edge";
import { gateConnect, gateRequest } from "../rooms/edge";
import { RoomAdapterCore } from "../rooms/adapter";
import type { RoomFactory } from "../rooms/host";

export function rawCaller(parties: Party.Context["parties"]): CallRoom {
  return (party, roomId, path, init) => parties[party]!.get(roomId).fetch(path, init as never);
}

export function partykitServer(party: PartyName, factory: RoomFactory) {
  class PartykitRoom implements Party.Server {
    readonly options = { hibernate: false };
    private readonly core: RoomAdapterCore;

    constructor(readonly room: Party.Room) {
      this.core = new RoomAdapterCore(
        party,
        room.id,
        room.env,
        room.storage,
        rawCaller(room.context.parties),
        factory,
        (work) => {
          work.catch((err) => console.error(`${party}/${room.id}`, err));
        },
        (room.context.bindings.r2.FILES as unknown as R2Bucket | undefined) ?? null,
      );
    }

    onStart() {
      return this.core.logic.onStart();
    }

    onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
      return this.core.connect(conn, ctx.request as unknown as Request);
    }

    onMessage(message: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
      return this.core.message(sender.id, message);
    }

    onClose(conn: Party.Connection) {
      this.core.closed(conn.id);
      // At this compatibility date workerd does not answer a client's close frame
      // by itself; without this the client waits ~15 s and sees 1006.
      try {
        conn.close(1000);
      } catch {
        /* already closed */
      }
    }

    onError(conn: Party.Connection) {
      this.core.closed(conn.id);
    }

    onRequest(req: Party.Request) {
      return this.core.request(req as unknown as Request);
    }

    static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
      const refusal = await gateConnect(req as unknown as Request, lobby.env, party, lobby.id, rawCaller(lobby.parties));
      return (refusal as unknown as Response | null) ?? req;
    }

    static async onBeforeRequest(req: Party.Request, lobby: Party.Lobby) {
      const refusal = await gateRequest(req as unknown as Request, lobby.env, party, lobby.id);
      return (refusal as unknown as Response | null) ?? req;
    }
  }
  return PartykitRoom satisfies Party.Worker;
}
