/**
 * Decides a batch of `message.send` frames at once (group commit): the room reads
 * every key the batch needs in one go, asks here what each frame becomes, in
 * arrival order, and writes all the new messages in one put. Later frames see
 * what earlier frames of the same batch did, so a clientId sent twice in one
 * batch is stored once, a file is used once, and a reply may quote a message of
 * the same batch.
 */
import type { ChatClientFrame, Message } from "../../protocol";
import { decideSend, type ChatMeta } from "./chat";
import { attachUpload, checkMentions, quoteFor, type FileRecord } from "./messages";

type SendFrame = Extract<ChatClientFrame, { type: "message.send" }>;

/** What storage held before the batch. */
export type Stored = {
  seen(senderId: string, clientId: string): number | undefined;
  file(fileId: string): FileRecord | undefined;
  message(seq: number): Message | undefined;
};

export type SendOutcome =
  | { kind: "append"; message: Message; fileRecord: FileRecord | null }
  | { kind: "duplicate"; seq: number }
  | { kind: "refused"; code: "forbidden" | "not_found" | "invalid_frame"; message: string; field?: string };

export function decideSends(
  meta: ChatMeta,
  lastSeq: number,
  sends: { senderId: string; frame: SendFrame }[],
  stored: Stored,
  now: number,
): SendOutcome[] {
  const seen = new Map<string, number>();
  const files = new Map<string, FileRecord>();
  const messages = new Map<number, Message>();
  let seq = lastSeq;
  return sends.map(({ senderId, frame }): SendOutcome => {
    const cid = `${senderId}:${frame.clientId}`;
    const already = seen.get(cid) ?? stored.seen(senderId, frame.clientId);
    if (already !== undefined) {
      const d = decideSend(meta, seq, senderId, frame, already, now);
      return "refused" in d ? { kind: "refused", code: d.code, message: d.message } : { kind: "duplicate", seq: already };
    }
    let record: FileRecord | undefined;
    let attachment;
    if (frame.fileId) {
      record = files.get(frame.fileId) ?? stored.file(frame.fileId);
      const a = attachUpload(record, senderId, frame.voice);
      if ("refused" in a) return { kind: "refused", code: a.code, message: a.message, field: "fileId" };
      attachment = a;
    }
    let replyTo;
    if (frame.replyTo) {
      const q = quoteFor(messages.get(frame.replyTo) ?? stored.message(frame.replyTo));
      if ("refused" in q) return { kind: "refused", code: q.code, message: q.message, field: "replyTo" };
      replyTo = q;
    }
    const mentions = checkMentions(meta, senderId, frame.mentions);
    if ("refused" in mentions) return { kind: "refused", code: mentions.code, message: mentions.message, field: "mentions" };
    const d = decideSend(meta, seq, senderId, frame, undefined, now, { attachment, replyTo, ...(mentions.length ? { mentions } : {}) });
    if ("refused" in d) return { kind: "refused", code: d.code, message: d.message };
    if (d.kind !== "append") return { kind: "duplicate", seq: d.seq };
    seq = d.message.seq;
    seen.set(cid, seq);
    messages.set(seq, d.message);
    const fileRecord = record && frame.fileId ? { ...record, usedBySeq: seq } : null;
    if (fileRecord) files.set(frame.fileId!, fileRecord);
    return { kind: "append", message: d.message, fileRecord };
  });
}
