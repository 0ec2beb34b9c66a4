/**
 * The per-user room: the user's conversation list (their inbox) and, in later
 * issues, presence and call history. Chat rooms push a summary here after each
 * stored message; every tab of the user receives it live. A group the user left
 * or was removed from is dropped with `/inbox/remove` (R17).
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
  UserClientFrame,
  type CallsServerFrame,
  type ConversationSummary,
  type UserServerFrame,
} from "../../protocol";
import { newerPreview } from "../domain/chat";
import { CloseCode } from "../../protocol";
import { CallLog } from "./call-log";
import type { RoomFactory, RoomHost, RoomLogic } from "./host";
import { errorFrame, errorResponse, json, readBody, refuse } from "./respond";

export const userRoom: RoomFactory = (host: RoomHost): RoomLogic => {
  const tenant = host.id.slice(0, host.id.indexOf("."));
  const inbox = new Map<string, ConversationSummary>();
  const calls = new CallLog(host, tenant, host.id.slice(tenant.length + 1));

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
    const merged: ConversationSummary = {
      ...incoming,
      lastMessage: newerPreview(current?.lastMessage ?? null, incoming.lastMessage),
    };
    const sameSeq = current && current.lastMessage?.seq === merged.lastMessage?.seq;
    if (sameSeq && !!current.lastMessage?.deleted === !!merged.lastMessage?.deleted) return json({ ok: true, changed: false });
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

  async function kick(): Promise<Response> {
    for (const s of host.sockets()) s.close(CloseCode.disabled, "usuário desativado");
    const userId = host.id.slice(tenant.length + 1);
    await Promise.allSettled(
      [...inbox.keys()].map((chatId) =>
        host.call("chat", chatRoomId(tenant, chatId), "/kick", { method: "POST", body: JSON.stringify({ userId }) }),
      ),
    );
    return json({ ok: true });
  }

  return {
    async onStart() {
      const stored = await host.storage.list<ConversationSummary>({ prefix: "conv:" });
      for (const c of stored.values()) inbox.set(c.chatId, c);
    },
    async onConnect(socket) {
      socket.admitted = true;
      const frame: UserServerFrame = { type: "inbox.snapshot", conversations: [...inbox.values()] };
      socket.send(JSON.stringify(frame));
    },
    async onMessage(socket, data) {
      const parsed = parseJson(UserClientFrame, data);
      if (!parsed.ok) return socket.send(errorFrame("invalid_frame", parsed.message, { field: parsed.field }));
      const f = parsed.value;
      socket.send(JSON.stringify(await calls.page(f.filter, f.query ?? "", f.before, f.limit ?? DEFAULT_PAGE, Date.now())));
    },
    onClose() {},
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
