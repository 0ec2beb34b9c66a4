/**
 * A conversation room (one per 1:1 chat; groups reuse it later): membership,
 * read cursors and the message log. A message is acknowledged only after it is
 * in storage; the (sender, clientId) index makes resends idempotent.
 *
 * Storage layout:
 *   meta               → ChatMeta (domain/chat.ts)
 *   seq                → number, the last stored message's seq
 *   m:<seq, 12 digits> → Message (zero-padded so keys sort by seq; read in pages)
 *   cid:<sender>:<id>  → seq of the message that clientId produced
 *   read:<userId>      → the member's read cursor (highest seq seen)
 */
import {
  ChatClientFrame,
  CloseCode,
  DEFAULT_PAGE,
  directChatMembers,
  parseJson,
  splitRoomId,
  userRoomId,
  type ChatServerFrame,
  type ConversationSummary,
  type Message,
} from "../../protocol";
import { advanceReadCursor, decideSend, isMember, previewOf, type ChatMeta } from "../domain/chat";
import type { RoomFactory, RoomHost, RoomLogic, Socket } from "./host";
import { errorFrame, json, readBody, refuse } from "./respond";

const msgKey = (seq: number) => `m:${String(seq).padStart(12, "0")}`;
const cidKey = (sender: string, clientId: string) => `cid:${sender}:${clientId}`;
const FRAME_LIMIT = 32 * 1024;

export const chatRoom: RoomFactory = (host: RoomHost): RoomLogic => {
  const split = splitRoomId(host.id);
  const tenant = split?.tenant ?? "";
  const chatId = split?.local ?? "";
  let meta: ChatMeta | null = null;
  let metaLoading: Promise<ChatMeta | null> | null = null;
  let lastSeq = 0;
  const readCursors = new Map<string, number>();
  /** Sends run one after another so the idempotency check and the seq can't race. */
  let sendQueue: Promise<unknown> = Promise.resolve();
  /** Members whose user room already knows this chat (since this instance started). */
  const registered = new Set<string>();
  const inboxFanout = new Map<string, { latest: Message | null; running: boolean }>();

  const send = (s: Socket, frame: ChatServerFrame) => s.send(JSON.stringify(frame));
  const broadcast = (frame: ChatServerFrame, except?: Socket) => {
    const data = JSON.stringify(frame);
    for (const s of host.sockets()) if (s !== except) s.send(data);
  };

  /** Loads the meta, creating it on first use once the directory confirms both members exist. */
  function ensureMeta(): Promise<ChatMeta | null> {
    if (meta) return Promise.resolve(meta);
    metaLoading ??= (async () => {
      const members = directChatMembers(chatId);
      if (!members || !tenant) return null;
      const res = await host.call("directory", tenant, `/users-exist?ids=${members.join(",")}`);
      if (!res.ok) throw new Error(`directory answered ${res.status}`);
      const { existing } = (await res.json()) as { existing: string[] };
      if (!members.every((m) => existing.includes(m))) return null;
      const created: ChatMeta = { chatId, kind: "direct", members, createdAt: Date.now() };
      await host.storage.put("meta", created);
      meta = created;
      return created;
    })().finally(() => {
      metaLoading = null;
    });
    return metaLoading;
  }

  async function newestPage(before: number, limit: number): Promise<{ messages: Message[]; hasMore: boolean }> {
    const page = await host.storage.list<Message>({ prefix: "m:", end: msgKey(before), reverse: true, limit: limit + 1 });
    const messages = [...page.values()];
    const hasMore = messages.length > limit;
    if (hasMore) messages.pop();
    return { messages: messages.reverse(), hasMore };
  }

  function summaryFor(member: string, last: Message | null): ConversationSummary {
    const peerId = meta!.members.find((m) => m !== member) ?? member;
    return { chatId, kind: "direct", peerId, lastMessage: last ? previewOf(last) : null };
  }

  /** Pushes the newest message to a member's inbox; bursts coalesce into one call in flight per member. */
  function pushInbox(member: string, last: Message | null) {
    let slot = inboxFanout.get(member);
    if (!slot) inboxFanout.set(member, (slot = { latest: null, running: false }));
    if (!slot.latest || (last && last.seq > slot.latest.seq)) slot.latest = last;
    if (slot.running) return;
    slot.running = true;
    const run = async () => {
      for (let attempt = 0; slot!.running;) {
        const sending = slot!.latest;
        try {
          const res = await host.call("user", userRoomId(tenant, member), "/inbox", {
            method: "POST",
            body: JSON.stringify({ conversation: summaryFor(member, sending) }),
          });
          if (!res.ok) throw new Error(`user room answered ${res.status}`);
          registered.add(member);
          attempt = 0;
          if (slot!.latest === sending) slot!.running = false;
        } catch (err) {
          if (++attempt >= 5) {
            console.error(`inbox push to ${member} failed`, err);
            slot!.running = false;
          } else await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    };
    host.waitUntil(run());
  }

  async function handleSend(socket: Socket, frame: Extract<ChatClientFrame, { type: "message.send" }>) {
    const m = meta!;
    const sender = socket.identity.userId;
    const seen = await host.storage.get<number>(cidKey(sender, frame.clientId));
    const decision = decideSend(m, lastSeq, sender, frame, seen, Date.now());
    if ("refused" in decision) {
      socket.send(errorFrame(decision.code, decision.message, { clientId: frame.clientId }));
      return;
    }
    if (decision.kind === "duplicate") {
      const stored = await host.storage.get<Message>(msgKey(decision.seq));
      if (stored) send(socket, { type: "message.ack", clientId: frame.clientId, message: stored });
      return;
    }
    const message = decision.message;
    await host.storage.put({ [msgKey(message.seq)]: message, [cidKey(sender, frame.clientId)]: message.seq, seq: message.seq });
    lastSeq = message.seq;
    send(socket, { type: "message.ack", clientId: frame.clientId, message });
    broadcast({ type: "message.new", message }, socket);
    for (const member of m.members) pushInbox(member, message);
  }

  async function handleFrame(socket: Socket, data: string) {
    if (data.length > FRAME_LIMIT) {
      socket.send(errorFrame("too_large", "quadro grande demais"));
      return;
    }
    const parsed = parseJson(ChatClientFrame, data);
    if (!parsed.ok) {
      let clientId: string | undefined;
      try {
        const raw = JSON.parse(data) as { clientId?: unknown };
        if (typeof raw.clientId === "string") clientId = raw.clientId.slice(0, 64);
      } catch {
        /* not JSON: no clientId to echo */
      }
      socket.send(errorFrame("invalid_frame", parsed.message, { field: parsed.field, ...(clientId ? { clientId } : {}) }));
      return;
    }
    const m = meta ?? (await ensureMeta());
    if (!m || !isMember(m, socket.identity.userId)) {
      socket.send(errorFrame("forbidden", "Você não participa desta conversa."));
      socket.close(CloseCode.forbidden, "forbidden");
      return;
    }
    const frame = parsed.value;
    switch (frame.type) {
      case "message.send": {
        const run = sendQueue.then(() => handleSend(socket, frame));
        sendQueue = run.catch(() => undefined);
        await run;
        return;
      }
      case "history.fetch": {
        const page = await newestPage(frame.before, frame.limit ?? DEFAULT_PAGE);
        send(socket, { type: "history.page", before: frame.before, ...page });
        return;
      }
      case "read.mark": {
        const user = socket.identity.userId;
        const next = advanceReadCursor(readCursors.get(user) ?? 0, frame.seq, lastSeq);
        if (next === null) return;
        readCursors.set(user, next);
        await host.storage.put(`read:${user}`, next);
        broadcast({ type: "read.updated", userId: user, seq: next });
        return;
      }
    }
  }

  return {
    async onStart() {
      const got = await host.storage.get(["meta", "seq"]);
      meta = (got.get("meta") as ChatMeta | undefined) ?? null;
      lastSeq = (got.get("seq") as number | undefined) ?? 0;
      const cursors = await host.storage.list<number>({ prefix: "read:" });
      for (const [k, seq] of cursors) readCursors.set(k.slice(5), seq);
    },
    async onConnect(socket) {
      let m: ChatMeta | null;
      try {
        m = await ensureMeta();
      } catch (err) {
        console.error("chat meta", err);
        socket.send(errorFrame("internal", "Não foi possível abrir a conversa. Tente de novo."));
        socket.close(1011, "internal");
        return;
      }
      if (!m || !isMember(m, socket.identity.userId)) {
        socket.send(errorFrame(m ? "forbidden" : "not_found", m ? "Você não participa desta conversa." : "Conversa não encontrada."));
        socket.close(CloseCode.forbidden, "forbidden");
        return;
      }
      // Admitted before the page is read: a message stored meanwhile reaches it as
      // message.new, and the client merges by seq.
      socket.admitted = true;
      const page = await newestPage(lastSeq + 1, DEFAULT_PAGE);
      send(socket, {
        type: "chat.ready",
        chatId,
        members: m.members,
        lastSeq,
        ...page,
        readCursors: Object.fromEntries(readCursors),
      });
      const user = socket.identity.userId;
      if (!registered.has(user)) pushInbox(user, page.messages.at(-1) ?? null);
    },
    async onMessage(socket, data) {
      try {
        await handleFrame(socket, data);
      } catch (err) {
        console.error("chat frame", err);
        socket.send(errorFrame("internal", "Erro interno; a mensagem não foi gravada. Tente de novo."));
      }
    },
    onClose() {},
    async onRequest(req, caller) {
      if (!caller.service) return refuse(req, "forbidden", "somente serviços internos");
      const path = new URL(req.url).pathname.replace(/^.*\/parties\/chat\/[^/]+/, "");
      if (path === "/kick" && req.method === "POST") {
        const text = await readBody(req, 1024);
        const userId = text ? ((JSON.parse(text) as { userId?: string }).userId ?? "") : "";
        for (const s of host.sockets()) if (s.identity.userId === userId) s.close(CloseCode.disabled, "usuário desativado");
        return json({ ok: true });
      }
      return refuse(req, "not_found", "rota desconhecida");
    },
  };
};
