/**
 * A conversation room (one per 1:1 chat or group): membership, read cursors, the
 * message log, and what people do with messages (R9/R10: attachments, replies,
 * forwards, delete-own; R5 gallery). A message is acknowledged only after it is
 * in storage; the (sender, clientId) index makes resends idempotent. Storage
 * layout: chat-log.ts; files over HTTP: chat-files.ts; group commands (R13–R18):
 * chat-groups.ts. A DM's meta is made on first use; a group's only by its creation.
 */
import {
  ChatClientFrame,
  CloseCode,
  DEFAULT_PAGE,
  chatRoomId,
  directChatMembers,
  isChatId,
  isGroupChatId,
  parseJson,
  splitRoomId,
  type Attachment,
  type ChatServerFrame,
  type Message,
} from "../../protocol";
import { advanceReadCursor, decideSend, isMember, membersOf, type ChatMeta } from "../domain/chat";
import { galleryOf } from "../domain/files";
import { decideDelete, forwardable, withDeletedQuote, type FileRecord } from "../domain/messages";
import { chatFiles } from "./chat-files";
import { chatShare, shareCopyKey } from "./chat-share";
import { chatGroups } from "./chat-groups";
import { chatDerived } from "./chat-derived";
import { chatInbox } from "./chat-inbox";
import { chatSends } from "./chat-sends";
import { attKey, fileRecKey, fwdKey, galleryPage, msgKey, pageAround, pageBefore, repPrefix } from "./chat-log";
import type { RoomFactory, RoomHost, RoomLogic, Socket } from "./host";
import { errorFrame, errorResponse, json, readBody, refuse } from "./respond";

const FRAME_LIMIT = 32 * 1024;
const AROUND_HALF = 25;

export const chatRoom: RoomFactory = (host: RoomHost): RoomLogic => {
  const split = splitRoomId(host.id);
  const tenant = split?.tenant ?? "";
  const chatId = split?.local ?? "";
  let meta: ChatMeta | null = null;
  let metaLoading: Promise<ChatMeta | null> | null = null;
  let lastSeq = 0;
  const readCursors = new Map<string, number>();
  /** Mutations (sends, deletes, received forwards) run one after another so idempotency checks and seqs can't race. */
  let mutations: Promise<unknown> = Promise.resolve();
  const derived = chatDerived({ host, chatId, lastSeq: () => lastSeq, readCursor: (member) => readCursors.get(member) ?? 0 });
  const inbox = chatInbox({
    host,
    tenant,
    chatId,
    meta: () => meta,
    lastMessage: async () => (lastSeq ? ((await host.storage.get<Message>(msgKey(lastSeq))) ?? null) : null),
    unreadFor: (member) => derived.unreadFor(member),
  });
  const files = chatFiles({ host, tenant, chatId, ensureMeta: () => ensureMeta(), serial: (work) => serial(work) });
  const shares = chatShare({ host, tenant, chatId, ensureMeta: () => ensureMeta(), lastSeq: () => lastSeq, serial, append });

  const send = (s: Socket, frame: ChatServerFrame) => s.send(JSON.stringify(frame));
  const broadcast = (frame: ChatServerFrame, except?: Socket) => {
    const data = JSON.stringify(frame);
    for (const s of host.sockets()) if (s !== except) s.send(data);
  };

  /** Loads the meta, creating it on first use once the directory confirms both members exist. */
  function ensureMeta(): Promise<ChatMeta | null> {
    if (meta || isGroupChatId(chatId)) return Promise.resolve(meta);
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

  /** Runs room mutations one after another so idempotency checks and seqs can't race. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const run = mutations.then(work);
    mutations = run.catch(() => undefined);
    return run;
  }

  /** Stores one new message (with its gallery index and extra keys) in one put, then broadcasts it and updates inboxes. */
  async function append(message: Message, extra: Record<string, unknown>) {
    const a = message.attachment;
    await host.storage.put({
      [msgKey(message.seq)]: message,
      seq: message.seq,
      ...(a ? { [attKey(galleryOf(a.kind), message.seq)]: a.kind } : {}),
      ...extra,
    });
    lastSeq = message.seq;
    broadcast({ type: "message.new", message });
    for (const member of membersOf(meta!)) inbox.push(member);
  }

  const sends = chatSends({
    host,
    meta: () => meta!,
    lastSeq: () => lastSeq,
    stored: (seq) => (lastSeq = seq),
    serial,
    broadcast,
    pushInbox: () => {
      for (const member of membersOf(meta!)) inbox.push(member);
    },
  });

  const groups = chatGroups({
    host,
    chatId,
    meta: () => meta,
    setMeta: (m) => (meta = m),
    lastSeq: () => lastSeq,
    stored: (seq) => (lastSeq = seq),
    serial,
    inbox,
  });

  async function handleDelete(socket: Socket, seq: number) {
    const stored = await host.storage.get<Message>(msgKey(seq));
    // A group's system lines are the group's history, nobody's own message.
    if (stored?.system) return socket.send(errorFrame("forbidden", "Avisos do grupo não podem ser apagados.", { field: "seq" }));
    const decision = decideDelete(stored, socket.identity.userId);
    if ("refused" in decision) {
      socket.send(errorFrame(decision.code, decision.message, { field: "seq" }));
      return;
    }
    const { deleted, file } = decision;
    // The deleted text must not live on in the quotes of replies to it.
    const replyKeys = [...(await host.storage.list({ prefix: repPrefix(seq) })).keys()];
    const replySeqs = replyKeys.map((k) => Number(k.slice(repPrefix(seq).length)));
    const replies = replySeqs.length ? await host.storage.get<Message>(replySeqs.map(msgKey)) : new Map<string, Message>();
    const blanked = [...replies.values()].map(withDeletedQuote);
    const writes: Record<string, unknown> = { [msgKey(seq)]: deleted };
    for (const r of blanked) writes[msgKey(r.seq)] = r;
    for (let i = 0, entries = Object.entries(writes); i < entries.length; i += 128) {
      await host.storage.put(Object.fromEntries(entries.slice(i, i + 128)));
    }
    if (replyKeys.length) await host.storage.delete(replyKeys);
    if (file) {
      await host.storage.delete([fileRecKey(file.fileId), attKey(galleryOf(file.kind), seq)]);
      await files.removeObject(file.fileId).catch((err) => console.error(`R2 delete ${file.fileId}`, err));
    }
    derived.deleted(seq);
    broadcast({ type: "message.updated", message: deleted });
    for (const r of blanked) broadcast({ type: "message.updated", message: r });
    // The last message's preview, or someone's unread count, may have changed.
    for (const member of membersOf(meta!)) inbox.push(member);
  }

  /** R10 "Encaminhar": every target is checked before anything is written anywhere. */
  async function handleForward(socket: Socket, frame: Extract<ChatClientFrame, { type: "message.forward" }>) {
    const user = socket.identity.userId;
    const fail = (code: "forbidden" | "not_found", message: string, field: string) =>
      socket.send(errorFrame(code, message, { clientId: frame.clientId, field }));
    const original = await host.storage.get<Message>(msgKey(frame.seq));
    if (original?.system) return fail("forbidden", "Avisos do grupo não podem ser encaminhados.", "seq");
    const source = forwardable(original);
    if ("refused" in source) return fail(source.code === "forbidden" ? "forbidden" : "not_found", source.message, "seq");
    const targets = [...new Set(frame.to)];
    const checks = await Promise.all(
      targets.map(async (to) => {
        const pair = directChatMembers(to);
        // A DM's members are in its id; a group's room answers for itself.
        if (!isChatId(to) || (pair && !pair.includes(user))) return false;
        const res = await host.call("chat", chatRoomId(tenant, to), "/forward-check", {
          method: "POST",
          body: JSON.stringify({ userId: user }),
        });
        return res.ok;
      }),
    );
    if (checks.some((ok) => !ok)) return fail("forbidden", "Você só pode encaminhar para conversas de que participa.", "to");
    // A copy that fails midway is reported; a retry with the same clientId completes the rest without duplicates.
    const copies = await Promise.all(
      targets.map(async (to) => {
        const res = await host.call("chat", chatRoomId(tenant, to), "/forward", {
          method: "POST",
          body: JSON.stringify({
            senderId: user,
            clientId: frame.clientId,
            source: `${chatId}:${frame.seq}`,
            fromChatId: chatId,
            text: source.text,
            attachment: source.attachment ?? null,
            share: source.share ?? null,
          }),
        });
        if (!res.ok) throw new Error(`forward to ${to} answered ${res.status}`);
        return { chatId: to, seq: ((await res.json()) as { seq: number }).seq };
      }),
    ).catch((err) => {
      console.error("forward", err);
      return null;
    });
    if (!copies)
      return socket.send(
        errorFrame("internal", "Não foi possível encaminhar para todas as conversas. Tente de novo.", { clientId: frame.clientId }),
      );
    send(socket, { type: "forward.done", clientId: frame.clientId, copies });
  }

  /** The target side of a forward: stores the copy as the sender's message, once per (sender, clientId, source). */
  async function receiveForward(body: {
    senderId: string;
    clientId: string;
    source: string;
    fromChatId: string;
    text: string;
    attachment: Attachment | null;
    share?: Message["share"] | null;
  }): Promise<Response> {
    const m = await ensureMeta();
    if (!m || !isMember(m, body.senderId)) return errorResponse("forbidden", "não participa desta conversa");
    return serial(async () => {
      const key = fwdKey(body.senderId, body.clientId, body.source);
      const seen = await host.storage.get<number>(key);
      if (seen !== undefined) return json({ seq: seen, duplicate: true });
      let attachment: Attachment | undefined;
      if (body.attachment) {
        const copied = await files.copyFrom(body.fromChatId, body.attachment);
        if (!copied) return errorResponse("not_found", "arquivo de origem ausente");
        attachment = copied;
      }
      const frame = { type: "message.send" as const, clientId: body.clientId, text: body.text };
      const decision = decideSend(m, lastSeq, body.senderId, frame, undefined, Date.now(), { attachment, forwarded: true });
      if ("refused" in decision) return errorResponse(decision.code, decision.message);
      if (decision.kind !== "append") return errorResponse("internal", "decisão inesperada");
      if (body.share && !(await shares.copyFrom(body.fromChatId, body.share)))
        return errorResponse("not_found", "histórico de origem ausente");
      const message = body.share ? { ...decision.message, share: body.share } : decision.message;
      const extra: Record<string, unknown> = { [key]: message.seq };
      if (body.share) extra[shareCopyKey(body.share.shareId, message.seq)] = message.seq;
      if (attachment) {
        const record: FileRecord = { uploaderId: body.senderId, attachment, usedBySeq: message.seq, createdAt: Date.now() };
        extra[fileRecKey(attachment.fileId)] = record;
      }
      await append(message, extra);
      return json({ seq: message.seq }, 201);
    });
  }

  /**
   * The smart search's two calls from the user's own room (R12), answered only for
   * a current member: `POST /search {userId, q, limit}` ranks this chat's hits from
   * its index; `POST /search/texts {userId, seqs}` reads the text of the page's winners.
   */
  async function search(req: Request, kind: "rank" | "texts"): Promise<Response> {
    const text = await readBody(req, 16 * 1024);
    let body: { userId?: unknown; q?: unknown; limit?: unknown; seqs?: unknown } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      /* answered below */
    }
    const { userId, q, limit, seqs } = body;
    const valid =
      typeof userId === "string" &&
      (kind === "rank"
        ? typeof q === "string" && typeof limit === "number" && limit >= 1 && limit <= 2000
        : Array.isArray(seqs) && seqs.length <= 200 && seqs.every((n) => Number.isInteger(n) && n > 0));
    if (!valid) return errorResponse("invalid_body", "corpo inválido");
    const m = await ensureMeta();
    if (!m || !isMember(m, userId)) return errorResponse("forbidden", "não participa desta conversa");
    if (kind === "rank") return json({ hits: await derived.search(q as string, limit as number) });
    return json({ texts: await derived.texts(seqs as number[]) });
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
      case "message.send":
        return sends.enqueue(socket, frame);
      case "message.delete":
        return serial(() => handleDelete(socket, frame.seq));
      case "message.forward":
        return handleForward(socket, frame);
      case "gallery.fetch": {
        const page = await galleryPage(host.storage, frame.kind, frame.before ?? null, frame.limit ?? DEFAULT_PAGE);
        send(socket, { type: "gallery.page", kind: frame.kind, before: frame.before ?? null, ...page });
        return;
      }
      case "history.around": {
        const page = await pageAround(host.storage, frame.seq, AROUND_HALF);
        send(socket, { type: "history.around", seq: frame.seq, ...page });
        return;
      }
      case "group.add":
      case "group.remove":
      case "group.role":
      case "group.leave":
      case "group.rename":
      case "group.image":
        return groups.handle(socket, frame);
      case "history.fetch": {
        const page = await pageBefore(host.storage, frame.before, frame.limit ?? DEFAULT_PAGE);
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
        // Every tab and device of the reader sees the count go down at once, through their user room.
        inbox.push(user);
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
      // A group everyone has left is gone (R18): it answers as if it never existed.
      const found = m && membersOf(m).length > 0 ? m : null;
      if (!found || !isMember(found, socket.identity.userId)) {
        socket.send(
          errorFrame(found ? "forbidden" : "not_found", found ? "Você não participa desta conversa." : "Conversa não encontrada."),
        );
        socket.close(CloseCode.forbidden, "forbidden");
        return;
      }
      // Admitted before the page is read: a message stored meanwhile reaches it as
      // message.new, and the client merges by seq.
      socket.admitted = true;
      const page = await pageBefore(host.storage, lastSeq + 1, DEFAULT_PAGE);
      send(socket, {
        type: "chat.ready",
        chatId,
        members: membersOf(found),
        ...(found.kind === "group" ? { group: found.group } : {}),
        lastSeq,
        ...page,
        readCursors: Object.fromEntries(readCursors),
        maxUploadBytes: host.config.maxUploadBytes,
      });
      const user = socket.identity.userId;
      if (!inbox.knows(user)) inbox.push(user);
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
      const path = new URL(req.url).pathname.replace(/^.*\/parties\/chat\/[^/]+/, "");
      if (path === "/files" && req.method === "POST") return files.upload(req, caller.identity);
      const download = /^\/files\/([A-Za-z0-9_-]{8,64})$/.exec(path);
      if (download && req.method === "GET") return files.download(req, caller.identity, download[1]!);
      const transcript = /^\/shares\/([A-Za-z0-9._:-]{1,100})$/.exec(path);
      if (transcript && req.method === "GET") return shares.transcript(req, caller.identity, transcript[1]!);
      if (!caller.service) return refuse(req, "forbidden", "somente serviços internos");
      if (path === "/kick" && req.method === "POST") {
        const text = await readBody(req, 1024);
        const userId = text ? ((JSON.parse(text) as { userId?: string }).userId ?? "") : "";
        for (const s of host.sockets()) if (s.identity.userId === userId) s.close(CloseCode.disabled, "usuário desativado");
        return json({ ok: true });
      }
      if (path === "/search" && req.method === "POST") return search(req, "rank");
      if (path === "/search/texts" && req.method === "POST") return search(req, "texts");
      if (path === "/forward-check" && req.method === "POST") {
        const text = await readBody(req, 1024);
        const userId = text ? ((JSON.parse(text) as { userId?: string }).userId ?? "") : "";
        const m = await ensureMeta();
        if (!m) return errorResponse("not_found", "Conversa não encontrada.");
        return isMember(m, userId) ? json({ ok: true }) : errorResponse("forbidden", "não participa desta conversa");
      }
      if (path === "/group/create" && req.method === "POST") {
        const text = await readBody(req, 64 * 1024);
        if (!text) return errorResponse("invalid_body", "corpo inválido");
        return groups.create(JSON.parse(text));
      }
      if (path === "/share" && req.method === "POST") {
        const text = await readBody(req, host.config.maxShareBytes + 64 * 1024);
        return text ? shares.receive(text) : errorResponse("too_large", "corpo grande demais");
      }
      if (path === "/forward" && req.method === "POST") {
        const text = await readBody(req, 64 * 1024);
        if (!text) return errorResponse("invalid_body", "corpo inválido");
        return receiveForward(JSON.parse(text));
      }
      return refuse(req, "not_found", "rota desconhecida");
    },
  };
};
