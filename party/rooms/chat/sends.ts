/**
 * A conversation room's `message.send` path (R8, R9, R10 "Responder"): the hot
 * path, kept to one validation (done by the room before this), one decision, one
 * transaction of one write (the message; its sender's cursor and the change
 * counter are read from the log when needed), one ack and one broadcast. It runs without a single await between
 * reading what it decides on and writing the result, so two sends cannot race
 * for a seq; the runtime's output gate holds the ack and the broadcast until the
 * transaction is durable. Lists and the search index catch up afterwards.
 */
import type { ChatClientFrame, Message } from "../../../protocol/chat";
import { decideSends } from "../../domain/send-batch";
import type { Socket } from "../../runtime/host";
import { errorFrame } from "../../runtime/respond";
import type { ChatContext } from "./context";
import { fileRecord, markFileUsed } from "./files";
import { messageAt } from "./schema";

type SendFrame = Extract<ChatClientFrame, { type: "message.send" }>;

export function sendMessage(ctx: ChatContext, socket: Socket, frame: SendFrame): void {
  const { state, host } = ctx;
  const senderId = socket.identity.userId;
  const decide = (seen: (sender: string, clientId: string) => number | undefined) =>
    decideSends(
      state.meta!,
      state.lastSeq,
      [{ senderId, frame }],
      {
        seen,
        file: (fileId) => fileRecord(host.storage, fileId) ?? undefined,
        message: (seq) => messageAt(host.storage, seq) ?? undefined,
      },
      host.now(),
    )[0];
  const lookUp = (sender: string, clientId: string) =>
    host.storage.one<{ seq: number }>("SELECT seq FROM messages WHERE sender = ? AND client_key = ?", sender, clientId)?.seq;
  // A send is decided as new without a read: the log's unique (sender, clientId) key refuses a resend, and only
  // then, or when the send is refused (a resend's file is used by now), is the earlier one looked up.
  let outcome = decide(() => undefined);
  if (outcome?.kind === "refused") outcome = decide(lookUp);
  if (outcome?.kind === "append") {
    const { message, fileRecord: record } = outcome;
    try {
      state.commit((tx) => {
        tx.append(message);
        if (record) markFileUsed(host.storage, record.attachment.fileId, message.seq, record.attachment);
      });
    } catch (err) {
      if (!isResend(err)) throw err;
      outcome = decide(lookUp);
    }
  }
  if (!outcome) return;
  if (outcome.kind === "refused") {
    socket.send(
      errorFrame(outcome.code, outcome.message, { clientId: frame.clientId, ...(outcome.field ? { field: outcome.field } : {}) }),
    );
    return;
  }
  if (outcome.kind === "duplicate") {
    const stored = messageAt(host.storage, outcome.seq);
    if (stored) ctx.send(socket, { type: "message.ack", clientId: frame.clientId, message: stored });
    return;
  }
  const message: Message = outcome.message;
  ctx.send(socket, { type: "message.ack", clientId: frame.clientId, message });
  ctx.broadcast({ type: "message.new", message }, socket);
  ctx.changed({ members: "all", index: true });
}

/** The log already holds this sender's message with this clientId (schema.ts `messages_by_client`). */
function isResend(err: unknown): boolean {
  return /UNIQUE constraint failed: messages\.sender, messages\.client_key/.test(String((err as Error)?.message ?? err));
}
