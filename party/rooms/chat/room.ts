/**
 * A conversation room (one per 1:1 chat or group): who takes part, their read
 * cursors, the message log, and what people do with messages. The parts:
 * state.ts (meta, sequence, every write), schema.ts (tables and paged reads),
 * sends.ts (the hot path), messages.ts (delete, forward), files.ts, share.ts,
 * groups.ts, fanout.ts (lists and search). This file composes them: it admits
 * sockets, rate-limits and validates every frame, dispatches it, and answers the
 * room-to-room calls of protocol/internal.ts. A DM's head is made on first use;
 * a group's only by its creation.
 */
import { ChatClientFrame, DEFAULT_PAGE, type ChatServerFrame } from "../../../protocol/chat";
import { CloseCode } from "../../../protocol/errors";
import { directChatMembers, isGroupChatId, splitRoomId } from "../../../protocol/ids";
import { answer, refusal, type RouteBody } from "../../../protocol/internal";
import { parse } from "../../../protocol/validate";
import { advanceReadCursor, type ChatMeta } from "../../domain/chat";
import { Buckets } from "../../domain/rate";
import { encode, type Caller, type RoomFactory, type RoomHost, type Socket } from "../../runtime/host";
import { errorFrame, errorResponse, refuse } from "../../runtime/respond";
import { chatArchive } from "./archive";
import { chatEdits } from "./edits";
import type { ChatContext } from "./context";
import { chatFanout, summaryFor } from "./fanout";
import { chatFiles } from "./files";
import { chatGroups } from "./groups";
import { chatMessages } from "./messages";
import { migrateLegacy } from "./migrate";
import { chatRetention } from "./retention";
import { galleryPage, pageAfter, pageAround, pageBefore } from "./schema";
import { chatSends } from "./sends";
import { chatShare } from "./share";
import { ChatState } from "./state";

const FRAME_LIMIT = 32 * 1024;
const AROUND_HALF = 25;
/** Refusals in a row after which a socket is taken as abusive and closed (1008). */
const ABUSE_CLOSE_AFTER = 200;

/** Typing is told to the others at most this often per person (the client also throttles). */
const TYPING_EVERY_MS = 2_000;

const WRITES = new Set([
  "message.edit",
  "message.react",
  "message.send",
  "message.delete",
  "message.forward",
  "group.add",
  "group.remove",
  "group.role",
  "group.leave",
  "group.rename",
  "group.image",
]);

export const chatRoom: RoomFactory<"chat"> = (host: RoomHost) => {
  const split = splitRoomId(host.id);
  const tenant = split?.tenant ?? "";
  const chatId = split?.local ?? "";
  const state = new ChatState(host.storage, chatId);
  let queue: Promise<unknown> = Promise.resolve();
  let metaLoading: Promise<ChatMeta | null> | null = null;
  const writes = new Buckets(host.config.rates.send);
  const reads = new Buckets(host.config.rates.read);

  const ctx: ChatContext = {
    host,
    state,
    tenant,
    chatId,
    send: (s, frame) => s.send(frame),
    broadcast(frame: ChatServerFrame, except?: Socket) {
      const data = encode(frame);
      for (const s of host.sockets()) if (s !== except && s.id !== except?.id) s.sendEncoded(data);
    },
    changed: (what) => fanout.changed(what),
    indexSettled: () => fanout.indexSettled(),
    ensureMeta,
    serial<T>(work: () => Promise<T>): Promise<T> {
      const run = queue.then(work);
      queue = run.catch(() => undefined);
      return run;
    },
  };
  const fanout = chatFanout(ctx);
  const files = chatFiles(ctx);
  const shares = chatShare(ctx);
  const messages = chatMessages(ctx, files, shares);
  const groups = chatGroups(ctx, (gone) => fanout.gone(gone));
  // Issue 18: retention, and the data leaving (export, erasure) or coming back (restore).
  const retention = chatRetention(ctx);
  const archive = chatArchive(ctx);
  const edits = chatEdits(ctx);
  const sends = chatSends(ctx);

  /**
   * `POST …/read {seq}`: a read mark over HTTP, so a page that is going away (pagehide)
   * can still make it durable with a keep-alive request (issue 17 defect).
   */
  async function readOverHttp(req: Request, caller: Caller): Promise<Response> {
    if (!caller.identity) return refuse(req, "unauthorized", "sessão inválida ou expirada; entre de novo");
    if (!state.isMember(caller.identity.userId)) return refuse(req, "forbidden", "Você não participa desta conversa.");
    let seq: unknown;
    try {
      seq = ((await req.json()) as { seq?: unknown }).seq;
    } catch {
      return errorResponse("invalid_body", "JSON inválido", "(raiz)");
    }
    if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 0)
      return errorResponse("invalid_body", "seq deve ser um inteiro", "seq");
    markRead(caller.identity.userId, seq);
    return new Response(null, { status: 204 });
  }

  /** The chat's meta; a DM's is made on first use, once the directory confirms both people exist. */
  function ensureMeta(): Promise<ChatMeta | null> {
    if (state.meta || isGroupChatId(chatId)) return Promise.resolve(state.meta);
    metaLoading ??= (async () => {
      const pair = directChatMembers(chatId);
      if (!pair || !tenant) return null;
      const known = await host.call("directory.known", tenant, { ids: pair });
      if (!known.ok) throw new Error(`directory: ${known.message}`);
      if (!pair.every((m) => known.value.known.includes(m))) return null;
      if (!state.meta) state.commit((tx) => tx.createDirect(chatId, pair, host.now()));
      return state.meta;
    })().finally(() => {
      metaLoading = null;
    });
    return metaLoading;
  }

  function limited(socket: Socket, type: string, clientId?: string): boolean {
    const now = host.now();
    const { waitMs, refusedInARow } = (WRITES.has(type) ? writes : reads).take(socket.identity.userId, now);
    if (waitMs === 0) return false;
    if (refusedInARow >= ABUSE_CLOSE_AFTER) {
      socket.close(CloseCode.policy, "muitas mensagens");
      return true;
    }
    socket.send(
      errorFrame("rate_limited", "Muitas ações em pouco tempo. Aguarde um instante.", {
        retryAfterMs: waitMs,
        ...(clientId ? { clientId } : {}),
      }),
    );
    return true;
  }

  async function handleFrame(socket: Socket, data: string): Promise<void> {
    if (data.length > FRAME_LIMIT) return socket.send(errorFrame("too_large", "quadro grande demais"));
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      if (!limited(socket, "invalid")) socket.send(errorFrame("invalid_frame", "JSON inválido", { field: "(raiz)" }));
      return;
    }
    const r = (raw ?? {}) as { type?: unknown; clientId?: unknown };
    const clientId = typeof r.clientId === "string" ? r.clientId.slice(0, 64) : undefined;
    if (limited(socket, typeof r.type === "string" ? r.type : "invalid", clientId)) return;
    const parsed = parse(ChatClientFrame, raw);
    if (!parsed.ok) {
      socket.send(errorFrame("invalid_frame", parsed.message, { field: parsed.field, ...(clientId ? { clientId } : {}) }));
      return;
    }
    if (!state.isMember(socket.identity.userId)) {
      socket.send(errorFrame("forbidden", "Você não participa desta conversa."));
      socket.close(CloseCode.forbidden, "forbidden");
      return;
    }
    const frame = parsed.value;
    // Sends wait for this turn's group commit; anything else first commits them, so it sees them in order.
    if (frame.type === "message.send") return sends.send(socket, frame);
    sends.flush();
    switch (frame.type) {
      case "message.delete":
        return ctx.serial(() => messages.remove(socket, frame.seq));
      case "message.forward":
        return messages.forward(socket, frame);
      case "gallery.fetch": {
        const page = galleryPage(host.storage, frame.kind, frame.before ?? null, frame.limit ?? DEFAULT_PAGE);
        return ctx.send(socket, { type: "gallery.page", kind: frame.kind, before: frame.before ?? null, ...page });
      }
      case "history.around":
        return ctx.send(socket, { type: "history.around", seq: frame.seq, ...pageAround(host.storage, frame.seq, AROUND_HALF) });
      case "history.fetch":
        return ctx.send(socket, {
          type: "history.page",
          before: frame.before,
          ...pageBefore(host.storage, frame.before, frame.limit ?? DEFAULT_PAGE),
        });
      case "history.since":
        return ctx.send(socket, {
          type: "history.since",
          after: frame.after,
          ...pageAfter(host.storage, frame.after, frame.limit ?? DEFAULT_PAGE),
        });
      case "group.add":
      case "group.remove":
      case "group.role":
      case "group.leave":
      case "group.rename":
      case "group.image":
        return groups.handle(socket, frame);
      case "read.mark":
        return markRead(socket.identity.userId, frame.seq);
      case "message.edit":
        return edits.edit(socket, frame.seq, frame.text);
      case "message.react":
        return edits.react(socket, frame.seq, frame.emoji);
      case "typing":
        return typing(socket);
      case "message.info":
        return ctx.send(socket, { type: "message.info", seq: frame.seq, ...state.receipts(frame.seq) });
    }
  }

  /** Issue 17.2: "está digitando…" for the others; never stored, at most every TYPING_EVERY_MS per person. */
  const lastTyping = new Map<string, number>();
  function typing(socket: Socket): void {
    const userId = socket.identity.userId;
    const now = host.now();
    if (now - (lastTyping.get(userId) ?? 0) < TYPING_EVERY_MS) return;
    lastTyping.set(userId, now);
    if (lastTyping.size > 1000) lastTyping.clear();
    const data = encode({ type: "typing", userId });
    for (const s of host.sockets()) if (s.identity.userId !== userId) s.sendEncoded(data);
  }

  /**
   * `chat.import` (restore, bench): appends the given messages after the last stored
   * one, in one transaction; messages already stored (seq ≤ last) are skipped, so a
   * retried batch changes nothing. The search index and lists catch up afterwards.
   */
  async function importLog({ group, messages, cursors }: RouteBody<"chat.import">) {
    if (group && !state.meta) state.commit((tx) => tx.setGroup(chatId, group, group.createdAt));
    if (!state.meta) await ensureMeta();
    if (!state.meta) return refusal("not_found", "Conversa não encontrada.");
    const fresh = messages.filter((m) => m.seq > state.lastSeq).sort((a, b) => a.seq - b.seq);
    if (fresh.length && fresh[0]!.seq !== state.lastSeq + 1)
      return refusal("invalid_body", `o log continua em ${state.lastSeq + 1}`, "messages");
    state.commit((tx) => {
      for (const m of fresh) tx.append({ ...m, chatId, id: `${chatId}:${m.seq}` });
      for (const [userId, seq] of Object.entries(cursors ?? {})) tx.setRead(userId, Math.min(seq, tx.lastSeq));
    });
    // A restored chat is in its members' lists when the restore answers (a backup taken right after finds it there).
    await fanout.enlist(state.members());
    ctx.changed({ members: "all", index: true });
    return answer({ lastSeq: state.lastSeq, imported: fresh.length });
  }

  /** R7: a member's read cursor only moves forward; every tab and device of theirs sees the count go down. */
  function markRead(userId: string, seq: number): void {
    const next = advanceReadCursor(state.cursor(userId).read, seq, state.lastSeq);
    if (next === null) return;
    state.commit((tx) => tx.setRead(userId, next), host.now());
    ctx.broadcast({ type: "read.updated", userId, seq: next });
    ctx.changed({ members: [userId] });
  }

  /** Room-to-room calls see the sends waiting for this turn's commit: those are committed first. */
  function flushingFirst<H extends Record<string, (body: never) => unknown>>(handlers: H): H {
    const out: Record<string, (body: never) => unknown> = {};
    for (const [route, handle] of Object.entries(handlers))
      out[route] = (body) => {
        sends.flush();
        return handle(body);
      };
    return out as H;
  }

  return {
    async start() {
      await migrateLegacy(host.storage, chatId);
      state.load();
      fanout.resumeIndex();
      retention.started();
    },

    async connect(socket) {
      sends.flush();
      let meta: ChatMeta | null;
      try {
        meta = await ensureMeta();
      } catch (err) {
        console.error("chat meta", err);
        socket.send(errorFrame("internal", "Não foi possível abrir a conversa. Tente de novo."));
        socket.close(1011, "internal");
        return;
      }
      // A group everyone has left is gone (R18): it answers as if it never existed.
      const found = meta && state.members().length > 0 ? meta : null;
      if (!found || !state.isMember(socket.identity.userId)) {
        socket.send(
          errorFrame(found ? "forbidden" : "not_found", found ? "Você não participa desta conversa." : "Conversa não encontrada."),
        );
        socket.close(CloseCode.forbidden, "forbidden");
        return;
      }
      // Opening a chat puts it in one's list (a DM nobody has written in yet) before one sees it, so "Sair" reaches
      // this socket through the list; the list's app then gets its summary.
      const unlisted = !state.listed(socket.identity.userId);
      if (unlisted) await fanout.enlist([socket.identity.userId]);
      if (!state.isMember(socket.identity.userId)) return socket.close(CloseCode.forbidden, "forbidden"); // removed meanwhile
      // Admitted before the page is read; no await between the two, so nothing stored meanwhile is missed.
      socket.admit();
      const page = pageBefore(host.storage, state.lastSeq + 1, DEFAULT_PAGE);
      ctx.send(socket, {
        type: "chat.ready",
        chatId,
        members: state.members(),
        ...(found.kind === "group" ? { group: found.group } : {}),
        lastSeq: state.lastSeq,
        ...page,
        readCursors: state.readCursors(),
        deliveredCursors: state.deliveredCursors(),
        maxUploadBytes: host.config.maxUploadBytes,
      });
      if (unlisted) ctx.changed({ members: [socket.identity.userId] });
      // Everything in it reached this device.
      if (state.cursor(socket.identity.userId).delivered < state.lastSeq) fanout.delivered([socket.identity.userId], state.lastSeq);
    },

    async message(socket, data) {
      await handleFrame(socket, data);
    },

    async request(req, caller) {
      sends.flush();
      const path = new URL(req.url).pathname.replace(/^.*\/parties\/chat\/[^/]+/, "");
      if (!state.meta && !isGroupChatId(chatId)) await ensureMeta().catch(() => null);
      if (path === "/files" && req.method === "POST") return files.upload(req, caller);
      if (path === "/files/links" && req.method === "POST") return files.links(req, caller);
      if (path === "/read" && req.method === "POST") return readOverHttp(req, caller);
      const download = /^\/files\/([A-Za-z0-9_-]{8,64})$/.exec(path);
      if (download && (req.method === "GET" || req.method === "HEAD")) return files.download(req, download[1]!);
      const transcript = /^\/shares\/([A-Za-z0-9._:-]{1,100})$/.exec(path);
      if (transcript && req.method === "GET") return shares.transcript(req, caller, transcript[1]!);
      return refuse(req, "not_found", "rota desconhecida");
    },

    async alarm() {
      sends.flush();
      fanout.resumeIndex();
      await files.sweep();
      await retention.run();
    },

    handlers: flushingFirst({
      ...retention.handlers,
      ...archive.handlers,
      "chat.createGroup": (body) => groups.create(body),
      "chat.membership": async ({ userId }) => {
        const meta = await ensureMeta();
        return answer({ exists: !!meta && state.members().length > 0, member: state.isMember(userId) });
      },
      "chat.receiveForward": (body) => messages.receive(body),
      "chat.receiveShare": (body) => shares.receive(body),
      "chat.kick": ({ userId, sid, code, reason }) => {
        const targets = sid ? host.socketsOfSession(sid) : host.socketsOf(userId);
        for (const s of targets) s.close(code, reason);
        return answer({ closed: targets.length });
      },
      "chat.import": (body) => ctx.serial(async () => importLog(body)),
      "chat.summary": async ({ userId, knownRev }) => {
        await ensureMeta().catch(() => null);
        const member = state.isMember(userId) && state.members().length > 0;
        // The list is being read by an app that is opening: what it shows reached that device.
        if (member && state.cursor(userId).delivered < state.lastSeq) fanout.delivered([userId], state.lastSeq);
        // The list already has this very state: nothing to read or send.
        if (!member || knownRev === state.rev) return answer({ member, summary: null });
        return answer({ member, summary: summaryFor(ctx, userId) });
      },
    }),
  };
};
