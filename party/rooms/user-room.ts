/**
 * The per-user room: the user's conversation list (their inbox, with unread
 * counts), presence (user-presence.ts), call history (call-log.ts) and the smart
 * search over their chats' messages (R12). Chat rooms push a summary here after
 * each stored message or read; every tab of the user receives it live. A group
 * the user left or was removed from is dropped with `/inbox/remove` (R17).
 *
 * Storage layout:
 *   conv:<chatId> → ConversationSummary (lastMessage only ever moves forward)
 *   call:… / callid:… → call records, see call-log.ts
 */
import {
  InboxPush,
  parseJson,
  chatRoomId,
  DEFAULT_PAGE,
  SEARCH_PAGE,
  UserClientFrame,
  type CallsServerFrame,
  type ConversationSummary,
  type UserServerFrame,
} from "../../protocol";
import { newerPreview } from "../domain/chat";
import { mergePage } from "../domain/search";
import { CloseCode } from "../../protocol";
import { CallLog } from "./call-log";
import type { RankedHit } from "./chat-derived";
import { userPresence } from "./user-presence";
import type { RoomFactory, RoomHost, RoomLogic } from "./host";
import { errorFrame, errorResponse, json, readBody, refuse } from "./respond";

/** Chats asked at once by one search. */
const SEARCH_FAN_OUT = 32;

export const userRoom: RoomFactory = (host: RoomHost): RoomLogic => {
  const tenant = host.id.slice(0, host.id.indexOf("."));
  const inbox = new Map<string, ConversationSummary>();
  const userId = host.id.slice(tenant.length + 1);
  const calls = new CallLog(host, tenant, userId);
  const presence = userPresence(host, tenant, userId);

  function broadcast(frame: UserServerFrame | CallsServerFrame) {
    const data = JSON.stringify(frame);
    for (const s of host.sockets()) s.send(data);
  }

  async function push(req: Request): Promise<Response> {
    const text = await readBody(req, 64 * 1024);
    const parsed = text === null ? null : parseJson(InboxPush, text);
    if (!parsed || !parsed.ok) return errorResponse("invalid_body", parsed?.message ?? "corpo inválido", parsed?.field);
    const incoming = parsed.value.conversation;
    const current = inbox.get(incoming.chatId);
    // A summary is the chat's whole state when it was read; one about an older last message is stale.
    if (current && (current.lastMessage?.seq ?? -1) > (incoming.lastMessage?.seq ?? -1)) return json({ ok: true, changed: false });
    const merged: ConversationSummary = {
      ...incoming,
      lastMessage: newerPreview(current?.lastMessage ?? null, incoming.lastMessage),
    };
    if (current && JSON.stringify(current) === JSON.stringify(merged)) return json({ ok: true, changed: false });
    inbox.set(merged.chatId, merged);
    await host.storage.put(`conv:${merged.chatId}`, merged);
    broadcast({ type: "inbox.update", conversation: merged });
    return json({ ok: true, changed: true });
  }

  /** A group the user no longer belongs to leaves their list at once, on every tab. */
  async function remove(req: Request): Promise<Response> {
    const text = await readBody(req, 1024);
    let chatId: unknown;
    try {
      chatId = text ? (JSON.parse(text) as { chatId?: unknown }).chatId : undefined;
    } catch {
      /* answered below */
    }
    if (typeof chatId !== "string" || !chatId) return errorResponse("invalid_body", "chatId obrigatório", "chatId");
    if (!inbox.delete(chatId)) return json({ ok: true, changed: false });
    await host.storage.delete(`conv:${chatId}`);
    broadcast({ type: "inbox.remove", chatId });
    return json({ ok: true, changed: true });
  }

  async function storeCall(req: Request): Promise<Response> {
    const { response, entry } = await calls.store(req);
    if (entry) broadcast({ type: "calls.updated", entry, frequent: await calls.frequent(Date.now()) });
    return response;
  }

  /** "Mensagens" of the smart search: asks every chat in the list, each answering only if the user is a member now. */
  /** The newest query per socket: a query overtaken by the next keystroke stops before reading texts. */
  const latestQuery = new Map<string, number>();
  let queries = 0;

  async function search(q: string, offset: number, limit: number, current: () => boolean): Promise<UserServerFrame | null> {
    // Rank: every chat's best offset + limit + 1 from its index; only the page's winners are then read.
    const lists = await eachChat([...inbox.keys()], async (chatId) => {
      const body = await askChat<{ hits: RankedHit[] }>(chatId, "/search", { userId, q, limit: offset + limit + 1 });
      return body?.hits ?? [];
    });
    const page = mergePage(lists, offset, limit);
    if (!current()) return null;
    const byChat = new Map<string, RankedHit[]>();
    for (const h of page.hits) byChat.set(h.chatId, [...(byChat.get(h.chatId) ?? []), h]);
    const texts = new Map<string, Record<number, string>>();
    await eachChat([...byChat.keys()], async (chatId) => {
      const body = await askChat<{ texts: Record<number, string> }>(chatId, "/search/texts", {
        userId,
        seqs: byChat.get(chatId)!.map((h) => h.seq),
      });
      texts.set(chatId, body?.texts ?? {});
    });
    // A winner deleted (or a chat left) between the two calls is left out.
    const hits = page.hits.flatMap((h) => {
      const text = texts.get(h.chatId)?.[h.seq];
      return text === undefined ? [] : [{ ...h, text }];
    });
    return { type: "search.results", q, offset, hits, hasMore: page.hasMore };
  }

  /** Runs `work` for each chat, a bounded number at a time: a long list must not open hundreds of calls at once. */
  async function eachChat<T>(chatIds: string[], work: (chatId: string) => Promise<T>): Promise<T[]> {
    const queue = [...chatIds];
    const out: T[] = [];
    const worker = async () => {
      for (let chatId = queue.pop(); chatId !== undefined; chatId = queue.pop()) out.push(await work(chatId));
    };
    await Promise.all(Array.from({ length: Math.min(SEARCH_FAN_OUT, queue.length) }, worker));
    return out;
  }

  /** A service call to one of the user's chats; null when it refuses (no longer a member) or fails. */
  async function askChat<T>(chatId: string, path: string, body: unknown): Promise<T | null> {
    try {
      const res = await host.call("chat", chatRoomId(tenant, chatId), path, { method: "POST", body: JSON.stringify(body) });
      return res.ok ? ((await res.json()) as T) : null;
    } catch (err) {
      console.error(`search in ${chatId}`, err);
      return null;
    }
  }

  async function kick(): Promise<Response> {
    for (const s of [...host.sockets()]) {
      s.close(CloseCode.disabled, "usuário desativado");
      // A socket the room closes itself is not reported back as closed; off-line at once.
      presence.leaving(s);
      presence.closed(s);
    }
    await Promise.allSettled(
      [...inbox.keys()].map((chatId) =>
        host.call("chat", chatRoomId(tenant, chatId), "/kick", { method: "POST", body: JSON.stringify({ userId }) }),
      ),
    );
    return json({ ok: true });
  }

  return {
    async onStart() {
      const stored = await host.storage.list<Partial<ConversationSummary> & Omit<ConversationSummary, "unread" | "lastUnreadAt">>({
        prefix: "conv:",
      });
      // Summaries stored before unread counts existed read as nothing unread until the chat pushes again.
      for (const c of stored.values())
        inbox.set(c.chatId, { ...c, unread: c.unread ?? 0, lastUnreadAt: c.lastUnreadAt ?? null } as ConversationSummary);
    },
    async onConnect(socket) {
      socket.admitted = true;
      const frame: UserServerFrame = { type: "inbox.snapshot", conversations: [...inbox.values()] };
      socket.send(JSON.stringify(frame));
      presence.connected(socket);
    },
    async onMessage(socket, data) {
      presence.heard(socket);
      const parsed = parseJson(UserClientFrame, data);
      if (!parsed.ok) return socket.send(errorFrame("invalid_frame", parsed.message, { field: parsed.field }));
      const f = parsed.value;
      switch (f.type) {
        case "calls.fetch":
          return socket.send(JSON.stringify(await calls.page(f.filter, f.query ?? "", f.before, f.limit ?? DEFAULT_PAGE, Date.now())));
        case "search.query": {
          const id = ++queries;
          latestQuery.set(socket.id, id);
          try {
            const results = await search(f.q.trim(), f.offset ?? 0, f.limit ?? SEARCH_PAGE, () => latestQuery.get(socket.id) === id);
            if (results) socket.send(JSON.stringify(results));
          } finally {
            if (latestQuery.get(socket.id) === id) latestQuery.delete(socket.id);
          }
          return;
        }
        case "presence.ping":
          return;
        case "presence.leave":
          return presence.leaving(socket);
      }
    },
    onClose(socket) {
      presence.closed(socket);
    },
    async onRequest(req, caller) {
      if (!caller.service) return refuse(req, "forbidden", "somente serviços internos");
      const path = new URL(req.url).pathname.replace(/^.*\/parties\/user\/[^/]+/, "");
      if (path === "/inbox" && req.method === "POST") return push(req);
      if (path === "/inbox/remove" && req.method === "POST") return remove(req);
      if (path === "/kick" && req.method === "POST") return kick();
      if (path === "/calls" && req.method === "POST") return storeCall(req);
      return refuse(req, "not_found", "rota desconhecida");
    },
  };
};
