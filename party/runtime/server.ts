/**
 * The Workers adapter: turns a room factory into a partyserver `Server` (a
 * SQLite-backed Durable Object class) with hibernation on. partyserver owns the
 * runtime entry points (onStart inside blockConcurrencyWhile, per-connection
 * state in the socket's attachment); this file hands them to the room through
 * AdapterCore, and adds the one entry partyserver does not have: `rpc(route,
 * body)`, which sibling rooms and the edge call through the Durable Object
 * binding (protocol/internal.ts), with no HTTP and no extra round trip.
 */
import { Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import type { PartyName } from "../../protocol/ids";
import type { Answer, Route } from "../../protocol/internal";
import { AdapterCore, identify, sessionTag, takesFrames, userTag, type RawConnection } from "./adapter";
import { readConfig } from "./config";
import { countJsonEncodes } from "./metrics";
import { r2Files } from "./files";
import type { RoomFactory, SocketState } from "./host";
import { roomCaller } from "./rooms-client";
import { sqlStorage } from "./sql";
import type { Env } from "./env";
import type { Identity } from "../domain/session";

/** The identity read when a socket's tags were computed, and whether it takes frames as one, handed on to onConnect (same event). */
const pending = new WeakMap<object, { who: Identity | null; frames: boolean }>();

export function roomServer<P extends PartyName>(party: P, factory: RoomFactory<P>) {
  return class Room extends Server<Env> {
    static override options = { hibernate: true };
    #core: AdapterCore<P> | null = null;

    get core(): AdapterCore<P> {
      if (this.#core) return this.#core;
      const env = this.env as unknown as Record<string, unknown>;
      const ctx = this.ctx;
      if (readConfig(env).countEncodes) countJsonEncodes();
      this.#core = new AdapterCore<P>(
        {
          party,
          roomId: this.name,
          config: readConfig(env),
          storage: sqlStorage(ctx.storage),
          files: this.env.FILES ? r2Files(this.env.FILES) : null,
          call: roomCaller(this.env),
          connections: () => this.getConnections() as Iterable<RawConnection>,
          waitUntil: (work) => ctx.waitUntil(work.catch((err) => console.error(`${party}/${this.name}`, err))),
          setAlarm: (at) => void ctx.storage.setAlarm(at),
          getAlarm: () => ctx.storage.getAlarm(),
          autoRespond: (request, response) => ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(request, response)),
          pingedAt: (conn) => ctx.getWebSocketAutoResponseTimestamp(conn as unknown as WebSocket)?.getTime() ?? null,
        },
        factory,
      );
      return this.#core;
    }

    override onStart() {
      return this.core.start();
    }

    override async getConnectionTags(conn: Connection, ctx: ConnectionContext) {
      const who = await identify(ctx.request, readConfig(this.env as unknown as Record<string, unknown>));
      pending.set(conn, { who, frames: takesFrames(ctx.request) });
      return who ? [userTag(who.userId), sessionTag(who.sid)] : [];
    }

    override onConnect(conn: Connection) {
      const { who, frames } = pending.get(conn) ?? { who: null, frames: false };
      pending.delete(conn);
      return this.core.connect(conn as unknown as RawConnection, who, frames);
    }

    override onMessage(conn: Connection, message: WSMessage) {
      return this.core.message(conn as unknown as RawConnection, message);
    }

    /**
     * A frame on a socket this instance admitted goes straight to the room: partyserver would first decode the
     * socket's attachment to tell it is one of its own, once per frame (issue 15's hot path). Any other socket
     * (the first frame after a wake from hibernation, say) takes partyserver's way.
     */
    override async webSocketMessage(ws: WebSocket, message: WSMessage) {
      if (this.#core?.holds(ws)) return this.core.message(ws as unknown as RawConnection, message);
      return super.webSocketMessage(ws, message);
    }

    override onClose(conn: Connection, code: number) {
      return this.core.closed(conn as unknown as RawConnection, code);
    }

    override onError(conn: Connection) {
      return this.core.closed(conn as unknown as RawConnection, 1006);
    }

    override onRequest(req: Request) {
      return this.core.request(req);
    }

    override onAlarm() {
      return this.core.alarm();
    }

    /** Room-to-room entry (protocol/internal.ts). RPC does not pass through partyserver's start, so start here. */
    async rpc(route: Route, body: unknown): Promise<Answer<unknown>> {
      if (!this.core.isStarted) await this.ctx.blockConcurrencyWhile(() => this.core.start());
      return this.core.rpc(route, body);
    }
  };
}

export type { SocketState };
