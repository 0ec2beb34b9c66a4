/**
 * The storage layout of a conversation room and the paged reads over it. Ordered
 * logs use zero-padded seq keys and are always read in pages, never whole.
 *
 * Storage layout (one Durable Object per chat):
 *   meta                          → ChatMeta (domain/chat.ts): a DM's two members, or a group's
 *                                   GroupInfo, rewritten in the same put as the system lines
 *                                   of each membership change (chat-groups.ts)
 *   seq                           → number, the last stored message's seq
 *   m:<seq, 12 digits>            → Message (a group's system lines too: `system` set, text "")
 *   cid:<sender>:<clientId>       → seq that clientId produced (resends are idempotent)
 *   fwd:<sender>:<clientId>:<src> → seq of the copy a forward made here (retries never duplicate)
 *   read:<userId>                 → the member's read cursor (highest seq seen)
 *   file:<fileId>                 → FileRecord (domain/messages.ts): uploader, attachment, usedBySeq
 *   att:<gallery>:<seq, 12 digits>→ AttachmentKind; the gallery index ("media" | "documents"),
 *                                   written in the same put as its message, removed on delete
 *   rep:<orig seq>:<reply seq>    → 1; which replies quote a message, written with the reply,
 *                                   so deleting the original blanks their quotes too
 *   share:<shareId>               → seq of the card a webhook share made here (R30, idempotent)
 *   shcopy:<shareId>:<seq>        → seq; a forwarded copy of that card here (chat-share.ts)
 * File bytes live in R2 under <tenant>/<chatId>/<fileId> (domain/files.ts `fileKey`),
 * share transcripts under shares/<tenant>/<chatId>/<shareId>.json.
 * An upload no message uses yet keeps its file:<id> record with usedBySeq null; once
 * it is older than CONVERSAS_UPLOAD_TTL_MS (a day) the next upload's sweep removes the
 * record and its bytes (chat-files.ts).
 */
import type { Message } from "../../protocol";
import type { Storage } from "./host";

const pad = (seq: number) => String(seq).padStart(12, "0");
export const msgKey = (seq: number) => `m:${pad(seq)}`;
export const cidKey = (sender: string, clientId: string) => `cid:${sender}:${clientId}`;
export const fwdKey = (sender: string, clientId: string, source: string) => `fwd:${sender}:${clientId}:${source}`;
export const fileRecKey = (fileId: string) => `file:${fileId}`;
export const attKey = (gallery: "media" | "documents", seq: number) => `att:${gallery}:${pad(seq)}`;
export const repKey = (original: number, reply: number) => `rep:${pad(original)}:${pad(reply)}`;
export const repPrefix = (original: number) => `rep:${pad(original)}:`;

export type Page = { messages: Message[]; hasMore: boolean };

/** Messages with seq < before, the newest `limit`, oldest first. */
export async function pageBefore(storage: Storage, before: number, limit: number): Promise<Page> {
  const page = await storage.list<Message>({ prefix: "m:", end: msgKey(before), reverse: true, limit: limit + 1 });
  const messages = [...page.values()];
  const hasMore = messages.length > limit;
  if (hasMore) messages.pop();
  return { messages: messages.reverse(), hasMore };
}

/** A contiguous page holding `seq`: up to `half` before it, it, and up to `half` after; hasMore says older ones exist. */
export async function pageAround(storage: Storage, seq: number, half: number): Promise<Page> {
  const [older, newer] = await Promise.all([
    pageBefore(storage, seq, half),
    storage.list<Message>({ prefix: "m:", start: msgKey(seq), limit: half + 1 }),
  ]);
  return { messages: [...older.messages, ...newer.values()], hasMore: older.hasMore };
}

/** A gallery page: the attachments' messages with seq < before (newest first), through the att: index. */
export async function galleryPage(
  storage: Storage,
  gallery: "media" | "documents",
  before: number | null,
  limit: number,
): Promise<{ items: Message[]; hasMore: boolean }> {
  const prefix = `att:${gallery}:`;
  const index = await storage.list({ prefix, ...(before ? { end: attKey(gallery, before) } : {}), reverse: true, limit: limit + 1 });
  const seqs = [...index.keys()].map((k) => Number(k.slice(prefix.length)));
  const hasMore = seqs.length > limit;
  if (hasMore) seqs.pop();
  if (seqs.length === 0) return { items: [], hasMore: false };
  const got = await storage.get<Message>(seqs.map(msgKey));
  const items = seqs.map((s) => got.get(msgKey(s))).filter((m): m is Message => !!m && !m.deleted && !!m.attachment);
  return { items, hasMore };
}
