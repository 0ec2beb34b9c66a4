/**
 * A conversation room that still holds the key-value layout of earlier releases
 * (documented in schema.ts) moves into the tables the first time it starts:
 * the log is copied in pages, each page in one transaction with its progress
 * mark, so a start cut short resumes where it stopped; the counts are checked
 * against the old keys; only then are the old keys deleted. A room with no old
 * keys costs one empty list.
 */
import type { Attachment, Message } from "../../../protocol/chat";
import type { ChatMeta } from "../../domain/chat";
import type { FileRecord } from "../../domain/messages";
import type { RoomStorage } from "../../runtime/host";
import { insertFile } from "./files";
import { createSchema, insertMessage, readKv, writeKv } from "./schema";

const PAGE = 500;

/** Lists every old key with a prefix, in key order. */
async function listAll<T>(storage: RoomStorage, prefix: string): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (let start: string | undefined; ;) {
    const page = await storage.legacy.list({ prefix, ...(start ? { start } : {}), limit: 1000 });
    for (const [k, v] of page) out.set(k, v as T);
    if (page.size < 1000) return out;
    start = `${[...page.keys()].at(-1)!}\u0000`;
  }
}

/** Counts the old keys with a prefix, a page at a time (values are not kept). */
async function countAll(storage: RoomStorage, prefix: string): Promise<number> {
  let n = 0;
  for (let start: string | undefined; ;) {
    const page = await storage.legacy.list({ prefix, ...(start ? { start } : {}), limit: 1000 });
    n += page.size;
    if (page.size < 1000) return n;
    start = `${[...page.keys()].at(-1)!}\u0000`;
  }
}

/** The old layout's keys (partyserver keeps keys of its own in the same store, which stay). */
const OLD_PREFIXES = ["m:", "cid:", "fwd:", "read:", "file:", "att:", "rep:", "share:", "shcopy:"];

export async function migrateLegacy(storage: RoomStorage, chatId: string): Promise<void> {
  const head = await storage.legacy.get(["meta", "seq"]);
  const anyMessage = await storage.legacy.list({ prefix: "m:", limit: 1 });
  if (head.size === 0 && anyMessage.size === 0) return;
  createSchema(storage);
  if (readKv(storage, "legacy") !== "copied") await copy(storage, chatId);
  // Copied and checked: the old keys go, a page at a time.
  for (const prefix of OLD_PREFIXES) {
    for (;;) {
      const page = await storage.legacy.list({ prefix, limit: 1000 });
      if (page.size === 0) break;
      await storage.legacy.delete([...page.keys()]);
    }
  }
  await storage.legacy.delete(["meta", "seq"]);
}

async function copy(storage: RoomStorage, chatId: string): Promise<void> {
  const head = await storage.legacy.get(["meta"]);
  const meta = head.get("meta") as ChatMeta | undefined;
  // Which stored copy each forward made: its idempotency key carries the clientId and the source.
  const forwards = new Map<number, string>();
  for (const [key, seq] of await listAll<number>(storage, "fwd:")) {
    const [, , clientId, ...source] = key.split(":");
    forwards.set(seq, `fwd:${clientId}:${source.join(":")}`);
  }
  let after = Number(readKv(storage, "legacy_after") ?? 0);
  for (;;) {
    const page = await storage.legacy.list({ prefix: "m:", start: `m:${String(after + 1).padStart(12, "0")}`, limit: PAGE });
    if (page.size === 0) break;
    storage.transaction(() => {
      let ord = storage.one<{ ord: number }>("SELECT ord FROM messages ORDER BY seq DESC LIMIT 1")?.ord ?? 0;
      for (const m of page.values() as IterableIterator<Message>) {
        if (!m.system) ord += 1;
        let key = m.system ? `system:${m.seq}` : m.share && !m.forwarded ? `share:${m.share.shareId}` : (forwards.get(m.seq) ?? m.clientId);
        if (storage.one("SELECT 1 FROM messages WHERE sender = ? AND client_key = ?", m.senderId, key)) key = `legacy:${m.seq}`;
        insertMessage(storage, m, ord, key);
        if (!m.system)
          storage.run(
            "INSERT INTO cursors(user_id, sent_seq) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET sent_seq = excluded.sent_seq",
            m.senderId,
            m.seq,
          );
        const joined = m.system?.kind === "created" ? [m.system.actor] : m.system?.kind === "added" ? m.system.targets : [];
        for (const id of joined)
          storage.run(
            "INSERT INTO cursors(user_id, joined_seq) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET joined_seq = excluded.joined_seq",
            id,
            m.seq,
          );
        after = m.seq;
      }
      writeKv(storage, "legacy_after", String(after));
    });
  }
  const reads = await listAll<number>(storage, "read:");
  const files = await listAll<FileRecord>(storage, "file:");
  const shares = await listAll<number>(storage, "share:");
  const copies = await listAll<number>(storage, "shcopy:");
  const oldCount = await countAll(storage, "m:");
  storage.transaction(() => {
    if (meta) {
      const head =
        meta.kind === "direct"
          ? { kind: "direct", createdAt: meta.createdAt }
          : {
              kind: "group",
              createdAt: meta.createdAt,
              name: meta.group.name,
              imageFileId: meta.group.imageFileId,
              createdBy: meta.group.createdBy,
            };
      writeKv(storage, "chat", JSON.stringify(head));
      const members =
        meta.kind === "direct" ? meta.members.map((userId) => ({ userId, role: "member", since: meta.createdAt })) : meta.group.members;
      members.forEach((m, i) =>
        storage.run("INSERT OR REPLACE INTO members(user_id, role, since, position) VALUES (?, ?, ?, ?)", m.userId, m.role, m.since, i),
      );
    }
    for (const [key, seq] of reads)
      storage.run(
        "INSERT INTO cursors(user_id, read_seq) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET read_seq = excluded.read_seq",
        key.slice("read:".length),
        seq,
      );
    for (const r of files.values()) {
      if (!storage.one("SELECT 1 FROM files WHERE file_id = ?", (r.attachment as Attachment).fileId)) insertFile(storage, r);
    }
    for (const [key, seq] of shares)
      storage.run("INSERT OR IGNORE INTO shares(share_id, seq, original) VALUES (?, ?, 1)", key.slice("share:".length), seq);
    for (const [key, seq] of copies) {
      const shareId = key.slice("shcopy:".length, key.lastIndexOf(":"));
      storage.run("INSERT OR IGNORE INTO shares(share_id, seq, original) VALUES (?, ?, 0)", shareId, seq);
    }
    const copied = storage.one<{ n: number }>("SELECT count(*) AS n FROM messages")!.n;
    const copiedFiles = storage.one<{ n: number }>("SELECT count(*) AS n FROM files")!.n;
    // Verified before anything old is deleted: a mismatch leaves both layouts in place and fails the start loudly.
    if (copied !== oldCount || copiedFiles < files.size)
      throw new Error(`migração de ${chatId}: ${copied}/${oldCount} mensagens, ${copiedFiles}/${files.size} arquivos`);
    writeKv(storage, "legacy", "copied");
  });
}
