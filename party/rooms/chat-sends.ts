/**
 * A conversation room's `message.send` path with group commit: sends that arrive
 * while a batch is being stored wait and go in the next batch, which reads every
 * key it needs with one get, asks domain/send-batch.ts what each frame becomes,
 * and writes all new messages with one put. Acks still go out only after the
 * put; resends stay idempotent within and across batches. On `partykit dev` the
 * storage cache answers reads before the next socket event is delivered, so
 * batches are mostly of one there; where reads yield, they grow.
 */
import type { ChatClientFrame, ChatServerFrame, Message } from "../../protocol";
import type { ChatMeta } from "../domain/chat";
import { galleryOf } from "../domain/files";
import type { FileRecord } from "../domain/messages";
import { decideSends } from "../domain/send-batch";
import { attKey, cidKey, fileRecKey, msgKey, repKey } from "./chat-log";
import type { RoomHost, Socket } from "./host";
import { errorFrame } from "./respond";

/** Sends per batch: each writes at most 4 keys (+ "seq"), under the 128-key limit of one put (and reads at most 3). */
const SEND_BATCH = 30;

export type ChatSendsContext = {
  host: RoomHost;
  meta(): ChatMeta;
  lastSeq(): number;
  /** Called once the batch ending at `seq` is in storage. */
  stored(seq: number): void;
  /** The room's one queue of mutations. */
  serial<T>(work: () => Promise<T>): Promise<T>;
  broadcast(frame: ChatServerFrame, except?: Socket): void;
  pushInbox(last: Message): void;
};

export function chatSends(ctx: ChatSendsContext) {
  const send = (s: Socket, frame: ChatServerFrame) => s.send(JSON.stringify(frame));
  type PendingSend = { socket: Socket; frame: Extract<ChatClientFrame, { type: "message.send" }>; settle(): void };
  const pendingSends: PendingSend[] = [];
  let draining = false;

  /** Resolves once the frame's batch is stored and answered. */
  function enqueueSend(socket: Socket, frame: PendingSend["frame"]): Promise<void> {
    return new Promise((settle) => {
      pendingSends.push({ socket, frame, settle });
      if (draining) return;
      draining = true;
      void ctx.serial(async () => {
        while (pendingSends.length) {
          const batch = pendingSends.splice(0, SEND_BATCH);
          try {
            await commitSends(batch);
          } catch (err) {
            console.error("chat send batch", err);
            for (const p of batch) {
              p.socket.send(
                errorFrame("internal", "Erro interno; a mensagem não foi gravada. Tente de novo.", { clientId: p.frame.clientId }),
              );
            }
          } finally {
            for (const p of batch) p.settle();
          }
        }
        draining = false;
      });
    });
  }

  async function commitSends(batch: PendingSend[]) {
    const keys = new Set<string>();
    for (const { socket, frame } of batch) {
      keys.add(cidKey(socket.identity.userId, frame.clientId));
      if (frame.fileId) keys.add(fileRecKey(frame.fileId));
      if (frame.replyTo) keys.add(msgKey(frame.replyTo));
    }
    const got = await ctx.host.storage.get([...keys]);
    const outcomes = decideSends(
      ctx.meta(),
      ctx.lastSeq(),
      batch.map((p) => ({ senderId: p.socket.identity.userId, frame: p.frame })),
      {
        seen: (sender, clientId) => got.get(cidKey(sender, clientId)) as number | undefined,
        file: (fileId) => got.get(fileRecKey(fileId)) as FileRecord | undefined,
        message: (seq) => got.get(msgKey(seq)) as Message | undefined,
      },
      Date.now(),
    );
    const writes: Record<string, unknown> = {};
    const appended: { p: PendingSend; message: Message }[] = [];
    const duplicates: { p: PendingSend; seq: number }[] = [];
    outcomes.forEach((o, i) => {
      const p = batch[i]!;
      if (o.kind === "refused") {
        p.socket.send(errorFrame(o.code, o.message, { clientId: p.frame.clientId, ...(o.field ? { field: o.field } : {}) }));
      } else if (o.kind === "duplicate") duplicates.push({ p, seq: o.seq });
      else {
        const m = o.message;
        Object.assign(writes, {
          [msgKey(m.seq)]: m,
          [cidKey(m.senderId, p.frame.clientId)]: m.seq,
          seq: m.seq,
          ...(m.attachment ? { [attKey(galleryOf(m.attachment.kind), m.seq)]: m.attachment.kind } : {}),
          ...(m.replyTo ? { [repKey(m.replyTo.seq, m.seq)]: 1 } : {}),
          ...(o.fileRecord ? { [fileRecKey(o.fileRecord.attachment.fileId)]: o.fileRecord } : {}),
        });
        appended.push({ p, message: m });
      }
    });
    if (appended.length) {
      await ctx.host.storage.put(writes);
      ctx.stored(appended.at(-1)!.message.seq);
    }
    const fresh = new Map(appended.map((x) => [x.message.seq, x.message]));
    const missing = duplicates.filter((d) => !fresh.has(d.seq)).map((d) => msgKey(d.seq));
    const old = missing.length ? await ctx.host.storage.get<Message>(missing) : new Map<string, Message>();
    for (const { p, seq } of duplicates) {
      const stored = fresh.get(seq) ?? old.get(msgKey(seq));
      if (stored) send(p.socket, { type: "message.ack", clientId: p.frame.clientId, message: stored });
    }
    for (const { p, message } of appended) {
      send(p.socket, { type: "message.ack", clientId: p.frame.clientId, message });
      ctx.broadcast({ type: "message.new", message }, p.socket);
    }
    const last = appended.at(-1)?.message;
    if (last) ctx.pushInbox(last);
  }

  return { enqueue: enqueueSend };
}
