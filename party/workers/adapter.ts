/**
 * Workers/partyserver adapter: turns a room factory into a partyserver `Server`
 * (a Durable Object class), the twin of party/partykit/adapter.ts. partyserver
 * names hooks differently (`onMessage(connection, message)`, static options) and
 * reaches sibling rooms through Durable Object bindings; those differences stay
 * here. Hibernation stays off: rooms keep small in-memory indexes.
 */
import { getServerByName, Server, type Connection, type ConnectionContext, type WSMessage } from "partyserver";
import type { PartyName } from "../../protocol";
import type { CallRoom } from "../rooms/edge";
import { RoomAdapterCore } from "../rooms/adapter";
import type { RoomFactory } from "../rooms/host";

/** Durable Object binding per party; partyserver routes /parties/<kebab(binding)>/… to it. */
export const BINDINGS = { directory: "Directory", chat: "Chat", user: "User", drafts: "Drafts" } as const satisfies Record<
  PartyName,
  string
>;

export interface Env {
  Directory: DurableObjectNamespace;
  Chat: DurableObjectNamespace;
  User: DurableObjectNamespace;
  Drafts: DurableObjectNamespace;
  FILES: R2Bucket;
  ASSETS?: Fetcher;
  CONVERSAS_SESSION_SECRET: string;
  CONVERSAS_ADMIN_KEY: string;
}

/** The party whose binding partyserver matched (lobby.className), or null. */
export function partyOfBinding(binding: string): PartyName | null {
  const hit = Object.entries(BINDINGS).find(([, b]) => b === binding);
  return hit ? (hit[0] as PartyName) : null;
}

/**
 * Room-to-room HTTP through the binding. The DO is addressed by name, so
 * `this.name` in the callee is the room id; the URL keeps the /parties/… shape
 * the rooms strip from their paths, exactly as on PartyKit.
 */
export function rawCaller(env: Env): CallRoom {
  return async (party, roomId, path, init) => {
    const stub = await getServerByName(env[BINDINGS[party]] as never, roomId);
    return stub.fetch(new Request(`https://internal/parties/${party}/${encodeURIComponent(roomId)}${path}`, init));
  };
}

export function workersServer(party: PartyName, factory: RoomFactory) {
  return class WorkersRoom extends Server<Env & Cloudflare.Env> {
    static override options = { hibernate: false };
    private core!: RoomAdapterCore;

    override onStart() {
      this.core = new RoomAdapterCore(
        party,
        this.name,
        this.env as unknown as Record<string, unknown>,
        this.ctx.storage,
        rawCaller(this.env),
        factory,
        (work) => {
          this.ctx.waitUntil(work.catch((err) => console.error(`${party}/${this.name}`, err)));
        },
        this.env.FILES ?? null,
      );
      return this.core.logic.onStart();
    }

    override onConnect(conn: Connection, ctx: ConnectionContext) {
      return this.core.connect(conn, ctx.request);
    }

    override onMessage(conn: Connection, message: WSMessage) {
      return this.core.message(conn.id, message);
    }

    override onClose(conn: Connection) {
      this.core.closed(conn.id);
    }

    override onError(conn: Connection) {
      this.core.closed(conn.id);
    }

    override onRequest(req: Request) {
      return this.core.request(req);
    }
  };
}
