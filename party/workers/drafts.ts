/**
 * Workers twin of party/partykit/drafts.ts: the per-user Yjs drafts doc
 * (party/rooms/drafts.ts) on y-partyserver's YServer, a Durable Object bound as
 * `Drafts` in wrangler.toml. The edge gate in index.ts runs before the upgrade;
 * the room checks the token again. The doc is saved as one snapshot split into
 * chunks under zero-padded keys (Durable Object values are size-capped).
 * Hibernation stays off, as for every Yjs room.
 */
import type { Connection, ConnectionContext } from "partyserver";
import { YServer } from "y-partyserver";
import * as Y from "yjs";
import { readConfig } from "../rooms/config";
import { refuseDraftsConnection } from "../rooms/drafts";
import { identify } from "../rooms/edge";
import type { Env } from "./adapter";

const CHUNK = 100_000;
const KEY = (i: number) => `doc:${String(i).padStart(4, "0")}`;

export class Drafts extends YServer<Env> {
  static override options = { hibernate: false };
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

  override async onConnect(conn: Connection, ctx: ConnectionContext) {
    const who = await identify(ctx.request, readConfig(this.env as unknown as Record<string, unknown>));
    const refusal = refuseDraftsConnection(who, this.name);
    if (refusal !== null) return conn.close(refusal, "acesso negado");
    return super.onConnect(conn, ctx);
  }
}
