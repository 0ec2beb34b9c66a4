/**
 * A chat's data leaving or coming back whole (issue 18.5, 18.7, 18.9): the
 * export's reads (the head, the log and the files in pages, never whole), a
 * restore's writes beside `chat.import` (a DM's head without asking the
 * directory, where a retained log starts, file records and share rows), and a
 * user's erasure here: their messages become "Mensagem apagada" exactly as
 * "Deletar" makes them (replies lose their quote, the index forgets), their
 * files go. The edge streams the archive; the bytes are read from R2 there.
 */
import type { Message } from "../../../protocol/chat";
import { directChatMembers } from "../../../protocol/ids";
import { answer, refusal, type ChatHeadExport, type FileRow, type RouteBody, type ShareRow } from "../../../protocol/internal";
import { fileKey } from "../../domain/files";
import { decideDelete, withDeletedQuote } from "../../domain/messages";
import type { Changed, ChatContext } from "./context";
import { deleteFileRecord } from "./files";
import { SENT_SEQ, readBase, writeKv } from "./schema";

const ERASE_BATCH = 200;

export function chatArchive(ctx: ChatContext) {
  const { host, state, tenant, chatId } = ctx;
  const db = host.storage;

  /**
   * The head as stored: an export never makes a DM that nobody has opened. A cursor whose read, joined
   * and sent are all 0 says nothing a missing one does not: it is left out, so whether the room's own
   * bookkeeping (the list mark, "Entregue") had made a row yet never changes the archive.
   */
  function head(): ChatHeadExport {
    const meta = state.meta;
    const cursors = db
      .all<{ user_id: string; read_seq: number; joined_seq: number; sent_seq: number }>(
        `SELECT user_id, read_seq, joined_seq, ${SENT_SEQ} AS sent_seq FROM cursors ORDER BY user_id`,
      )
      .map((r) => ({ userId: r.user_id, read: r.read_seq, joined: r.joined_seq, sent: r.sent_seq }))
      .filter((c) => c.read > 0 || c.joined > 0 || c.sent > 0);
    return {
      exists: !!meta && state.members().length > 0,
      kind: meta?.kind ?? (directChatMembers(chatId) ? "direct" : "group"),
      createdAt: meta?.createdAt ?? 0,
      members: state.members(),
      group: meta?.kind === "group" ? meta.group : null,
      cursors,
      base: readBase(db),
      lastSeq: state.lastSeq,
    };
  }

  function page({ after, limit, sender }: RouteBody<"chat.exportPage">) {
    const rows = sender
      ? db.all<{ body: string }>("SELECT body FROM messages WHERE seq > ? AND sender = ? ORDER BY seq LIMIT ?", after, sender, limit + 1)
      : db.all<{ body: string }>("SELECT body FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", after, limit + 1);
    const hasMore = rows.length > limit;
    if (hasMore) rows.pop();
    return answer({ messages: rows.map((r) => JSON.parse(r.body) as Message), hasMore });
  }

  function files({ after, limit }: RouteBody<"chat.exportFiles">) {
    const rows = db.all<{ file_id: string; uploader: string; attachment: string; used_by_seq: number | null; created_at: number }>(
      "SELECT file_id, uploader, attachment, used_by_seq, created_at FROM files WHERE file_id > ? ORDER BY file_id LIMIT ?",
      after,
      limit + 1,
    );
    const more = rows.length > limit;
    if (more) rows.pop();
    const out: FileRow[] = rows.map((r) => ({
      uploaderId: r.uploader,
      attachment: JSON.parse(r.attachment),
      usedBySeq: r.used_by_seq,
      createdAt: r.created_at,
    }));
    // Share rows are few (one per card); they come with the first page.
    const shares: ShareRow[] = after
      ? []
      : db
          .all<{ share_id: string; seq: number; original: number }>("SELECT share_id, seq, original FROM shares ORDER BY seq, share_id")
          .map((r) => ({ shareId: r.share_id, seq: r.seq, original: r.original === 1 }));
    return answer({ files: out, shares, next: more ? rows.at(-1)!.file_id : null });
  }

  function restoreHead({ direct, base }: RouteBody<"chat.restoreHead">) {
    if (direct && !state.meta) {
      const pair = directChatMembers(chatId);
      const given = [...direct.members].sort();
      if (!pair || pair[0] !== given[0] || pair[1] !== given[1]) return refusal("invalid_body", "membros não são os da conversa", "direct");
      state.commit((tx) => tx.createDirect(chatId, pair, direct.createdAt));
    }
    // Where a retained log starts; the same base again is a no-op (a retried restore).
    if (base && base.seq > 0 && readBase(db).seq !== base.seq) {
      if (state.lastSeq > 0) return refusal("invalid_body", "a conversa já tem mensagens", "base");
      writeKv(db, "base", JSON.stringify(base));
      state.load();
    }
    if (state.meta) host.waitUntil(host.call("tenant.chatSeen", tenant, { chatId }));
    return answer({ lastSeq: state.lastSeq });
  }

  function restoreFiles({ files: rows, shares }: RouteBody<"chat.restoreFiles">) {
    let f = 0;
    let s = 0;
    db.transaction(() => {
      for (const r of rows)
        f += db.run(
          "INSERT OR IGNORE INTO files(file_id, uploader, attachment, used_by_seq, created_at) VALUES (?, ?, ?, ?, ?)",
          r.attachment.fileId,
          r.uploaderId,
          JSON.stringify(r.attachment),
          r.usedBySeq,
          r.createdAt,
        );
      for (const r of shares)
        s += db.run("INSERT OR IGNORE INTO shares(share_id, seq, original) VALUES (?, ?, ?)", r.shareId, r.seq, r.original ? 1 : 0);
    });
    return answer({ files: f, shares: s });
  }

  /** Erasure: the user's messages, a batch at a time, as "Deletar" would; their uploads too. */
  async function eraseUser({ userId }: RouteBody<"chat.eraseUser">) {
    let messages = 0;
    const objects: string[] = [];
    for (let after = 0; ;) {
      const rows = db.all<{ seq: number; body: string }>(
        "SELECT seq, body FROM messages WHERE sender = ? AND seq > ? AND deleted = 0 AND counted = 1 ORDER BY seq LIMIT ?",
        userId,
        after,
        ERASE_BATCH,
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.seq;
      const changed: Message[] = [];
      state.commit((tx) => {
        for (const r of rows) {
          const decision = decideDelete(JSON.parse(r.body) as Message, userId);
          if ("refused" in decision) continue;
          tx.update(decision.deleted);
          changed.push(decision.deleted);
          if (decision.file) {
            deleteFileRecord(db, decision.file.fileId);
            objects.push(fileKey(tenant, chatId, decision.file.fileId));
          }
          db.run("INSERT INTO index_outbox(seq) VALUES (?)", r.seq);
          for (const reply of db.all<{ body: string }>("SELECT body FROM messages WHERE reply_to = ?", r.seq)) {
            const blanked = withDeletedQuote(JSON.parse(reply.body) as Message);
            tx.update(blanked);
            changed.push(blanked);
          }
        }
      });
      messages += rows.length;
      for (const m of changed) ctx.broadcast({ type: "message.updated", message: m });
    }
    // Uploads of theirs that no message used.
    const unused = db.all<{ file_id: string }>("SELECT file_id FROM files WHERE uploader = ? AND used_by_seq IS NULL", userId);
    db.transaction(() => {
      for (const r of unused) deleteFileRecord(db, r.file_id);
    });
    objects.push(...unused.map((r) => fileKey(tenant, chatId, r.file_id)));
    if (messages) {
      // `removed`: deletions wait in the index outbox (the fan-out reads it on this flag where it has one).
      const deletions: Changed & { removed?: boolean } = { members: "all", index: true, removed: true };
      ctx.changed(deletions);
      await ctx.indexSettled();
    }
    if (objects.length) await host.files?.delete(objects);
    return answer({ messages, files: objects.length });
  }

  return {
    handlers: {
      "chat.exportHead": () => answer(head()),
      "chat.exportPage": page,
      "chat.exportFiles": files,
      "chat.restoreHead": (body: RouteBody<"chat.restoreHead">) => ctx.serial(async () => restoreHead(body)),
      "chat.restoreFiles": restoreFiles,
      "chat.eraseUser": (body: RouteBody<"chat.eraseUser">) => ctx.serial(() => eraseUser(body)),
    },
  };
}
