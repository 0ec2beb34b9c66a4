/**
 * A user's own room (one per person): their sessions (issue 12: revocable on the
 * server), their conversation list (which chats, and each chat's summary as
 * last read), their call history (calls.ts) and the front of their message
 * search. It has no sockets: the app's socket is the hub's, which asks here.
 *
 *   user_kv(key, value)          'schema' → layout version
 *   sessions(sid, key_hash, session_version, created_at, last_used_at, ended_at, agent, address)
 *                                one per sign-in; only a hash of the refresh secret is kept
 *   tickets(hash, sid, purpose, expires_at)
 *                                one-time tickets (the softphone's SIP sign-in, 30 s; an SSO
 *                                sign-in's hand-off to the app, purpose 'sso', sid '', 2 min), hash only
 *   chats(chat_id, summary, rev, added_at)
 *                                the conversation list; `summary`/`rev` as the chat last said
 *   calls(…)                     calls.ts
 *
 * The list is never the truth about a chat: `user.snapshot` asks each chat how it
 * stands for this user now (a chat answers only to a current member, and with
 * nothing when the `rev` the list has is still current), so a lost update can
 * never leave a list wrong.
 */
import { CloseCode } from "../../../protocol/errors";
import type { HubServerFrame, ConversationSummary } from "../../../protocol/hub";
import { chatRoomId, hubRoomId, shardOf, splitRoomId } from "../../../protocol/ids";
import { answer, refusal, type RouteBody } from "../../../protocol/internal";
import { constantTimeEqual } from "../../domain/crypto";
import { digest, newSecret, sessionUsable, type SessionRow } from "../../domain/session";
import type { RoomFactory, RoomHost } from "../../runtime/host";
import { CallLog, createCallsSchema, insertCall } from "./calls";
import type { CallRecord } from "../../../protocol/calls";
import { migrateLegacy } from "./migrate";

/** Chats asked at once by one snapshot or kick. */
const FAN_OUT = 32;
const TICKET_TTL_MS = 30_000;
/** An SSO sign-in waits this long for the app to take it (a one-time cookie, issue 18.1). */
const HANDOFF_TTL_MS = 120_000;
/** Ended sessions are kept this long (for the admin's view), then swept. */
const ENDED_KEPT_MS = 30 * 24 * 60 * 60 * 1000;

const enc = new TextEncoder();

export const userRoom: RoomFactory<"user"> = (host: RoomHost) => {
  const split = splitRoomId(host.id);
  const tenant = split?.tenant ?? "";
  const userId = split?.local ?? "";
  const db = host.storage;
  const calls = new CallLog(host, tenant, userId);

  /** Runs `work` for each item, a bounded number at a time. */
  async function each<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await work(items[i]!);
    };
    await Promise.all(Array.from({ length: Math.min(FAN_OUT, items.length) }, worker));
    return out;
  }

  function sessionRow(sid: string): SessionRow | null {
    const r = db.one<{
      sid: string;
      key_hash: string;
      session_version: number;
      created_at: number;
      last_used_at: number;
      ended_at: number | null;
    }>("SELECT sid, key_hash, session_version, created_at, last_used_at, ended_at FROM sessions WHERE sid = ?", sid);
    return r
      ? {
          sid: r.sid,
          keyHash: r.key_hash,
          sessionVersion: r.session_version,
          createdAt: r.created_at,
          lastUsedAt: r.last_used_at,
          endedAt: r.ended_at,
        }
      : null;
  }

  /** Closes the sockets of one session (or all of the user's) wherever they are: the hub, every chat in the list, the drafts doc. */
  async function kickEverywhere(sid: string | null, code: number, reason: string): Promise<void> {
    const body = { userId, code, reason, ...(sid ? { sid } : {}) };
    const chats = db.all<{ chat_id: string }>("SELECT chat_id FROM chats").map((r) => r.chat_id);
    await Promise.all([
      host.call("hub.kick", hubRoomId(tenant, shardOf(userId, host.config.hubShards)), body),
      host.call("drafts.kick", host.id, body),
      each(chats, (chatId) => host.call("chat.kick", chatRoomId(tenant, chatId), body)),
    ]);
  }

  async function snapshot(): Promise<ConversationSummary[]> {
    const rows = db.all<{ chat_id: string; summary: string | null; rev: number }>("SELECT chat_id, summary, rev FROM chats");
    const answers = await each(rows, (row) =>
      host.call("chat.summary", chatRoomId(tenant, row.chat_id), { userId, ...(row.rev >= 0 ? { knownRev: row.rev } : {}) }),
    );
    const out: ConversationSummary[] = [];
    rows.forEach((row, i) => {
      const a = answers[i]!;
      if (!a.ok) {
        // A chat that cannot answer now keeps the summary the list had.
        if (row.summary) out.push(JSON.parse(row.summary) as ConversationSummary);
        return;
      }
      if (!a.value.member) {
        db.run("DELETE FROM chats WHERE chat_id = ?", row.chat_id);
        return;
      }
      const summary = a.value.summary ?? (row.summary ? (JSON.parse(row.summary) as ConversationSummary) : null);
      if (a.value.summary)
        db.run("UPDATE chats SET summary = ?, rev = ? WHERE chat_id = ?", JSON.stringify(summary), summary!.rev, row.chat_id);
      if (summary) out.push(summary);
    });
    return out;
  }

  async function search({ q, chatId, offset, limit }: RouteBody<"user.search">) {
    const listed = db.all<{ chat_id: string }>("SELECT chat_id FROM chats").map((r) => r.chat_id);
    const chatIds = chatId === null ? listed : listed.filter((c) => c === chatId);
    const res = await host.call("search.query", tenant, { chatIds, q, offset, limit });
    return res.ok ? answer(res.value) : res;
  }

  return {
    async start() {
      db.run("CREATE TABLE IF NOT EXISTS user_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      db.run(
        "CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, key_hash TEXT NOT NULL, session_version INTEGER NOT NULL, created_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL, ended_at INTEGER, agent TEXT NOT NULL, address TEXT NOT NULL)",
      );
      db.run(
        "CREATE TABLE IF NOT EXISTS tickets (hash TEXT PRIMARY KEY, sid TEXT NOT NULL, purpose TEXT NOT NULL, expires_at INTEGER NOT NULL)",
      );
      db.run(
        "CREATE TABLE IF NOT EXISTS chats (chat_id TEXT PRIMARY KEY, summary TEXT, rev INTEGER NOT NULL DEFAULT -1, added_at INTEGER NOT NULL)",
      );
      createCallsSchema(host);
      db.run("INSERT OR IGNORE INTO user_kv(key, value) VALUES ('schema', '1')");
      await migrateLegacy(host);
    },

    handlers: {
      "user.sessionCreate": async ({ sessionVersion, agent, address }) => {
        const now = host.now();
        const sid = newSecret(16);
        const key = newSecret(32);
        db.run(
          "DELETE FROM sessions WHERE (ended_at IS NOT NULL AND ended_at < ?) OR last_used_at < ?",
          now - ENDED_KEPT_MS,
          now - host.config.sessionIdleMs - ENDED_KEPT_MS,
        );
        db.run(
          "INSERT INTO sessions(sid, key_hash, session_version, created_at, last_used_at, ended_at, agent, address) VALUES (?, ?, ?, ?, ?, NULL, ?, ?)",
          sid,
          await digest(key),
          sessionVersion,
          now,
          now,
          agent,
          address,
        );
        return answer({ sid, secret: key });
      },

      "user.sessionRefresh": async ({ sid, secret, sessionVersion }) => {
        const row = sessionRow(sid);
        const now = host.now();
        const keyOk = !!row && constantTimeEqual(enc.encode(await digest(secret)), enc.encode(row.keyHash));
        if (!keyOk || !sessionUsable(row, now, host.config.sessionIdleMs))
          return refusal("unauthorized", "sessão encerrada; entre de novo");
        if (row.sessionVersion !== sessionVersion) {
          db.run("UPDATE sessions SET ended_at = ? WHERE sid = ?", now, sid);
          return refusal("unauthorized", "sessão encerrada; entre de novo");
        }
        db.run("UPDATE sessions SET last_used_at = ? WHERE sid = ?", now, sid);
        return answer({ ok: true as const });
      },

      "user.sessionAlive": ({ sid }) =>
        sessionUsable(sessionRow(sid), host.now(), host.config.sessionIdleMs)
          ? answer({ ok: true as const })
          : refusal("unauthorized", "sessão encerrada; entre de novo"),

      "user.sessionEnd": async ({ sid }) => {
        const ended = db.run("UPDATE sessions SET ended_at = ? WHERE sid = ? AND ended_at IS NULL", host.now(), sid) > 0;
        db.run("DELETE FROM tickets WHERE sid = ?", sid);
        await kickEverywhere(sid, CloseCode.unauthorized, "sessão encerrada");
        return answer({ ended });
      },

      "user.sessionEndAll": async ({ reason }) => {
        const ended = db.run("UPDATE sessions SET ended_at = ? WHERE ended_at IS NULL", host.now());
        db.run("DELETE FROM tickets");
        await kickEverywhere(
          null,
          reason === "disabled" ? CloseCode.disabled : CloseCode.unauthorized,
          reason === "disabled" ? "usuário desativado" : "sessão encerrada",
        );
        return answer({ ended });
      },

      "user.ticketIssue": async ({ sid, purpose }) => {
        if (!sessionUsable(sessionRow(sid), host.now(), host.config.sessionIdleMs))
          return refusal("unauthorized", "sessão encerrada; entre de novo");
        const secret = newSecret(24);
        const expiresAt = host.now() + TICKET_TTL_MS;
        db.run("DELETE FROM tickets WHERE expires_at < ?", host.now());
        db.run("INSERT INTO tickets(hash, sid, purpose, expires_at) VALUES (?, ?, ?, ?)", await digest(secret), sid, purpose, expiresAt);
        return answer({ ticket: `${tenant}.${userId}.${secret}`, expiresAt });
      },

      "user.ticketRedeem": async ({ secret, purpose }) => {
        const hash = await digest(secret);
        // Taken out before anything else: a ticket works once, also when two redeem it at the same time.
        const row = db.one<{ sid: string; purpose: string; expires_at: number }>(
          "SELECT sid, purpose, expires_at FROM tickets WHERE hash = ?",
          hash,
        );
        if (!row) return refusal("unauthorized", "ticket inválido ou já usado");
        db.run("DELETE FROM tickets WHERE hash = ?", hash);
        if (
          row.purpose !== purpose ||
          row.expires_at <= host.now() ||
          !sessionUsable(sessionRow(row.sid), host.now(), host.config.sessionIdleMs)
        )
          return refusal("unauthorized", "ticket inválido ou já usado");
        return answer({ sid: row.sid });
      },

      "user.handoffIssue": async () => {
        const secret = newSecret(32);
        const expiresAt = host.now() + HANDOFF_TTL_MS;
        db.run("DELETE FROM tickets WHERE expires_at < ?", host.now());
        db.run("INSERT INTO tickets(hash, sid, purpose, expires_at) VALUES (?, '', 'sso', ?)", await digest(secret), expiresAt);
        return answer({ secret, expiresAt });
      },

      "user.handoffRedeem": async ({ secret }) => {
        const hash = await digest(secret);
        const row = db.one<{ purpose: string; expires_at: number }>("SELECT purpose, expires_at FROM tickets WHERE hash = ?", hash);
        if (!row) return refusal("unauthorized", "entrada pela conta da empresa expirada ou já usada; entre de novo");
        db.run("DELETE FROM tickets WHERE hash = ?", hash);
        if (row.purpose !== "sso" || row.expires_at <= host.now())
          return refusal("unauthorized", "entrada pela conta da empresa expirada ou já usada; entre de novo");
        return answer({ ok: true as const });
      },

      "user.chatIds": () =>
        answer({ chatIds: db.all<{ chat_id: string }>("SELECT chat_id FROM chats ORDER BY chat_id").map((r) => r.chat_id) }),

      "user.exportCalls": ({ after, limit }) => {
        const [endedAt, callId] = after ? [Number(after.slice(0, after.indexOf(":"))), after.slice(after.indexOf(":") + 1)] : [-1, ""];
        const rows = db.all<{ call_id: string; ended_at: number; record: string }>(
          "SELECT call_id, ended_at, record FROM calls WHERE (ended_at, call_id) > (?, ?) ORDER BY ended_at, call_id LIMIT ?",
          endedAt,
          callId,
          limit + 1,
        );
        const more = rows.length > limit;
        if (more) rows.pop();
        const last = rows.at(-1);
        return answer({
          records: rows.map((r) => JSON.parse(r.record) as CallRecord),
          next: more && last ? `${last.ended_at}:${last.call_id}` : null,
        });
      },

      "user.importCalls": ({ records }) => {
        let imported = 0;
        db.transaction(() => {
          for (const r of records) if (insertCall(host, r)) imported += 1;
        });
        return answer({ imported });
      },

      "user.erase": () => {
        const calls = db.run("DELETE FROM calls");
        db.run("DELETE FROM tickets");
        db.run("UPDATE sessions SET agent = '', address = '', ended_at = coalesce(ended_at, ?)", host.now());
        return answer({ calls });
      },

      "user.listAdd": ({ chatId }) =>
        answer({ added: db.run("INSERT OR IGNORE INTO chats(chat_id, added_at) VALUES (?, ?)", chatId, host.now()) > 0 }),
      "user.listRemove": ({ chatId }) => answer({ removed: db.run("DELETE FROM chats WHERE chat_id = ?", chatId) > 0 }),
      "user.snapshot": async () => answer({ conversations: await snapshot() }),

      "user.callStore": async ({ record }) => {
        const { refusal: why, entry } = calls.store(record);
        if (why) return refusal("invalid_body", "registro de chamada não pertence a este usuário", why);
        if (entry) {
          const frame: HubServerFrame = { type: "calls.updated", entry, frequent: calls.frequent(host.now()) };
          host.waitUntil(
            host.call("hub.toUser", hubRoomId(tenant, shardOf(userId, host.config.hubShards)), { userId, frame: JSON.stringify(frame) }),
          );
        }
        return answer({ stored: !!entry, entry });
      },
      "user.callPage": async ({ filter, query, before, limit }) => answer(await calls.page(filter, query, before, limit, host.now())),
      "user.search": search,
    },
  };
};
