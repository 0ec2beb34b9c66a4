/**
 * The per-user drafts doc (R9 "Rascunho"; rules in rooms/drafts/drafts.ts) on
 * y-partyserver's YServer, hibernating like every room. The edge checks the
 * caller before the upgrade; the room checks again here. The doc is saved as one
 * snapshot split into chunks under zero-padded keys (values are size-capped).
 * `rpc("drafts.kick")` closes a session's (or a user's) sockets when the session
 * ends or the user is disabled.
 */
import type { Connection, ConnectionContext } from "partyserver";
import { YServer } from "y-partyserver";
import * as Y from "yjs";
import { CloseCode } from "../../protocol/errors";
import { answer, refusal, type Answer, type Route, type RouteBody } from "../../protocol/internal";
import type { Identity } from "../domain/session";
import { refuseDraftsConnection } from "../rooms/drafts/drafts";
import { identify, sessionTag, userTag } from "./adapter";
import { readConfig } from "./config";
import type { Env } from "./env";

const CHUNK = 100_000;
const KEY = (i: number) => `doc:${String(i).padStart(4, "0")}`;
const pending = new WeakMap<object, Identity | null>();

export class Drafts extends YServer<Env> {
  static override options = { hibernate: true };
  static override callbackOptions = { debounceWait: 500, debounceMaxWait: 2_000 };

  override async onLoad() {
    const chunks = await this.ctx.storage.list<Uint8Array>({ prefix: "doc:" });
    if (chunks.size === 0) return;
    const parts = [...chunks.values()];
    const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      whole.set(p, at);
      at += p.byteLength;
    }
    Y.applyUpdate(this.document, whole);
  }

  override async onSave() {
    const state = Y.encodeStateAsUpdate(this.document);
    const entries: Record<string, Uint8Array> = {};
    for (let i = 0; i * CHUNK < state.byteLength; i++) entries[KEY(i)] = state.slice(i * CHUNK, (i + 1) * CHUNK);
    const old = await this.ctx.storage.list({ prefix: "doc:" });
    const stale = [...old.keys()].filter((k) => !(k in entries));
    await this.ctx.storage.put(entries);
    if (stale.length > 0) await this.ctx.storage.delete(stale);
  }

  override async getConnectionTags(conn: Connection, ctx: ConnectionContext) {
    const who = await identify(ctx.request, readConfig(this.env as unknown as Record<string, unknown>));
    pending.set(conn, who);
    return who ? [userTag(who.userId), sessionTag(who.sid)] : [];
  }

  override async onConnect(conn: Connection, ctx: ConnectionContext) {
    const who = pending.get(conn) ?? null;
    pending.delete(conn);
    const refusal = refuseDraftsConnection(who, this.name);
    if (refusal !== null) return conn.close(refusal, "acesso negado");
    return super.onConnect(conn, ctx);
  }

  /** Room-to-room entry (protocol/internal.ts): only `drafts.kick`. */
  async rpc(route: Route, body: unknown): Promise<Answer<unknown>> {
    if (route !== "drafts.kick") return refusal("not_found", `rota desconhecida: ${route}`);
    const { userId, sid, code, reason } = body as RouteBody<"drafts.kick">;
    let closed = 0;
    for (const conn of this.getConnections(sid ? sessionTag(sid) : userTag(userId))) {
      conn.close(code || CloseCode.unauthorized, reason);
      closed += 1;
    }
    return answer({ closed });
  }
}
