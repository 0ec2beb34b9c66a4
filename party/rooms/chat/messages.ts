/**
 * What people do with a stored message (R10): "Deletar" (own messages; the text
 * leaves every reply's quote too, the file its store, the search index its
 * words) and "Encaminhar" (every target chat is asked first, then each stores a
 * copy as the forwarder's message, once per clientId and source, with the file
 * and a share card's transcript copied in). The rules are domain/messages.ts.
 */
import type { ChatClientFrame, Message } from "../../../protocol/chat";
import { chatRoomId, directChatMembers, isChatId } from "../../../protocol/ids";
import { answer, refusal, type Answer, type RouteBody } from "../../../protocol/internal";
import { decideSend } from "../../domain/chat";
import { decideDelete, forwardable, withDeletedQuote } from "../../domain/messages";
import type { Socket } from "../../runtime/host";
import { errorFrame } from "../../runtime/respond";
import type { ChatContext } from "./context";
import { deleteFileRecord, insertFile, type chatFiles } from "./files";
import { messageAt } from "./schema";
import type { chatShare } from "./share";

type ForwardFrame = Extract<ChatClientFrame, { type: "message.forward" }>;

export function chatMessages(ctx: ChatContext, files: ReturnType<typeof chatFiles>, shares: ReturnType<typeof chatShare>) {
  const { host, state, tenant, chatId } = ctx;

  /** R10 "Deletar": "Mensagem apagada" for everyone, at once, with its quotes blanked. */
  async function remove(socket: Socket, seq: number): Promise<void> {
    const decision = decideDelete(messageAt(host.storage, seq), socket.identity.userId);
    if ("refused" in decision) {
      socket.send(errorFrame(decision.code, decision.message, { field: "seq" }));
      return;
    }
    const { deleted, file } = decision;
    // The deleted text must not live on in the quotes of replies to it.
    const replies = host.storage
      .all<{ body: string }>("SELECT body FROM messages WHERE reply_to = ?", seq)
      .map((r) => withDeletedQuote(JSON.parse(r.body) as Message));
    state.commit((tx) => {
      tx.update(deleted);
      for (const r of replies) tx.update(r);
      if (file) deleteFileRecord(host.storage, file.fileId);
      host.storage.run("INSERT INTO index_outbox(seq) VALUES (?)", seq);
    });
    ctx.changed({ members: "all", index: true, removed: true });
    // Nobody sees it gone before search has forgotten it too.
    await ctx.indexSettled();
    ctx.broadcast({ type: "message.updated", message: deleted });
    for (const r of replies) ctx.broadcast({ type: "message.updated", message: r });
    if (file) await files.removeObject(file.fileId).catch((err) => console.error(`file delete ${file.fileId}`, err));
  }

  /** R10 "Encaminhar": every target is checked before anything is written anywhere. */
  async function forward(socket: Socket, frame: ForwardFrame): Promise<void> {
    const user = socket.identity.userId;
    const fail = (code: "forbidden" | "not_found" | "internal", message: string, field?: string) =>
      socket.send(errorFrame(code, message, { clientId: frame.clientId, ...(field ? { field } : {}) }));
    const source = forwardable(messageAt(host.storage, frame.seq));
    if ("refused" in source) return fail(source.code === "forbidden" ? "forbidden" : "not_found", source.message, "seq");
    const targets = [...new Set(frame.to)];
    const checks = await Promise.all(
      targets.map(async (to) => {
        const pair = directChatMembers(to);
        // A DM's members are in its id; a group's room answers for itself.
        if (!isChatId(to) || (pair && !pair.includes(user))) return false;
        if (to === chatId) return true;
        const res = await host.call("chat.membership", chatRoomId(tenant, to), { userId: user });
        return res.ok && res.value.member;
      }),
    );
    if (checks.some((ok) => !ok)) return fail("forbidden", "Você só pode encaminhar para conversas de que participa.", "to");
    // A copy that fails midway is reported; a retry with the same clientId completes the rest without duplicates.
    const copies: { chatId: string; seq: number }[] = [];
    for (const to of targets) {
      const body = { senderId: user, clientId: frame.clientId, source: `${chatId}:${frame.seq}`, fromChatId: chatId, message: source };
      const res = to === chatId ? await receive(body) : await host.call("chat.receiveForward", chatRoomId(tenant, to), body);
      if (!res.ok) {
        console.error(`forward to ${to}`, res);
        return fail("internal", "Não foi possível encaminhar para todas as conversas. Tente de novo.");
      }
      copies.push({ chatId: to, seq: res.value.seq });
    }
    ctx.send(socket, { type: "forward.done", clientId: frame.clientId, copies });
  }

  /** The target side of a forward: stores the copy as the sender's message, once per (sender, clientId, source). */
  function receive(body: RouteBody<"chat.receiveForward">): Promise<Answer<{ seq: number; duplicate: boolean }>> {
    return ctx.serial(async () => {
      const meta = await ctx.ensureMeta();
      if (!meta || !state.isMember(body.senderId)) return refusal("forbidden", "não participa desta conversa");
      const key = `fwd:${body.clientId}:${body.source}`;
      const seen = host.storage.one<{ seq: number }>("SELECT seq FROM messages WHERE sender = ? AND client_key = ?", body.senderId, key);
      if (seen) return answer({ seq: seen.seq, duplicate: true });
      const original = body.message as Message;
      const attachment = original.attachment ? await files.copyFrom(body.fromChatId, original.attachment) : undefined;
      if (original.attachment && !attachment) return refusal("not_found", "arquivo de origem ausente");
      if (original.share && !(await shares.copyTranscript(body.fromChatId, original.share.shareId)))
        return refusal("not_found", "histórico de origem ausente");
      const frame = { type: "message.send" as const, clientId: body.clientId, text: original.text };
      const d = decideSend(state.meta!, state.lastSeq, body.senderId, frame, undefined, host.now(), {
        ...(attachment ? { attachment } : {}),
        forwarded: true,
      });
      if ("refused" in d) return refusal(d.code, d.message);
      if (d.kind !== "append") return refusal("internal", "decisão inesperada");
      const message: Message = original.share ? { ...d.message, share: original.share } : d.message;
      state.commit((tx) => {
        tx.append(message, body.source);
        if (attachment) insertFile(host.storage, { uploaderId: body.senderId, attachment, usedBySeq: message.seq, createdAt: host.now() });
        if (message.share)
          host.storage.run("INSERT OR IGNORE INTO shares(share_id, seq, original) VALUES (?, ?, 0)", message.share.shareId, message.seq);
      });
      ctx.broadcast({ type: "message.new", message });
      ctx.changed({ members: "all", index: true });
      return answer({ seq: message.seq, duplicate: false });
    });
  }

  return { remove, forward, receive };
}
