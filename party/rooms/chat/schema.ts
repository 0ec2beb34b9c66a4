/**
 * The storage layout of a conversation room (one SQLite database per chat) and
 * the paged reads over it. Nothing here loads a whole log: every read is a page
 * or an indexed lookup, so a room's memory does not grow with its history.
 *
 *   chat_kv(key, value)        'schema' → layout version; 'chat' → ChatHead (JSON:
 *                              kind, created, a group's name/image/creator);
 *                              'rev' → the change counter lists order summaries by;
 *                              'indexed' → last seq handed to the company's search index;
 *                              'base' → {seq, ord}: the log up to seq is gone (retention.ts),
 *                              ord counted up to there, so seqs and unread stay right
 *   members(user_id, role, since, position)
 *                              who takes part now (a DM's two people; a group's members
 *                              in the order they joined, with their role)
 *   cursors(user_id, read_seq, joined_seq, sent_seq, listed, delivered_seq)
 *                              per person who was ever in the chat: their read cursor, the
 *                              seq of the line that last added them to the group, of their
 *                              own last message as layouts before 3 kept it (since then it is
 *                              read from the log: `sentSeq`), and whether their list knows the chat —
 *                              the three seqs give where their unread starts (domain/chat.ts);
 *                              and how far messages reached a device of theirs ("Entregue")
 *   receipt_log(user_id, kind, seq, at)
 *                              every move of a read or delivery cursor ('read' | 'delivered'),
 *                              so "Informações da mensagem" can say when each member read it
 *   mentions(seq, user_id)     who a message mentions ("*" for "@todos")
 *   messages(seq, sender, client_key, created_at, counted, ord, deleted, gallery, reply_to, body)
 *                              the log; `body` is the Message as JSON. `client_key` makes a
 *                              resend idempotent (a send's clientId; `fwd:<clientId>:<source>`
 *                              for a forwarded copy; `share:<shareId>`; `system:<seq>`).
 *                              `counted` is 1 for what can be unread (not a group notice),
 *                              `ord` counts those up to this message, so "how many after
 *                              my cursor" is one lookup however long the log is.
 *                              `gallery` ('media' | 'documents' | 'audio') indexes attachments; `reply_to`
 *                              lets a delete blank the quotes of its replies.
 *   files(file_id, uploader, attachment, used_by_seq, created_at)
 *                              uploads (R9); one not used by a message within the upload TTL
 *                              is swept with its bytes
 *   shares(share_id, seq, original)
 *                              which messages show a shared attendance's card (R30): the
 *                              webhook's original (idempotency) and forwarded copies, so the
 *                              transcript stays readable while any copy does
 *   index_outbox(id, seq)      deleted messages the company's search index must still drop
 *
 * File bytes live in R2 under <tenant>/<chatId>/<fileId> (domain/files.ts `fileKey`),
 * share transcripts under shares/<tenant>/<chatId>/<shareId>.json.
 *
 * Version 1 of this layout replaced the key-value layout of earlier releases
 * (`meta`, `seq`, `m:<seq>`, `cid:…`, `read:…`, `file:…`, `att:…`, `rep:…`, `share:…`,
 * `shcopy:…`, `fwd:…`): `migrateLegacy` copies such a room into the tables the first
 * time it starts, checks the counts, then deletes the old keys.
 */
import type { Message } from "../../../protocol/chat";
import { galleryOf, type Gallery } from "../../domain/files";
import type { RoomStorage } from "../../runtime/host";

export const SCHEMA_VERSION = 3;

const DDL = `
CREATE TABLE IF NOT EXISTS chat_kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (user_id TEXT PRIMARY KEY, role TEXT NOT NULL, since INTEGER NOT NULL, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cursors (
  user_id TEXT PRIMARY KEY,
  read_seq INTEGER NOT NULL DEFAULT 0,
  joined_seq INTEGER NOT NULL DEFAULT 0,
  sent_seq INTEGER NOT NULL DEFAULT 0,
  listed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  sender TEXT NOT NULL,
  client_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  counted INTEGER NOT NULL,
  ord INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  gallery TEXT,
  reply_to INTEGER,
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client ON messages(sender, client_key);
CREATE INDEX IF NOT EXISTS messages_gallery ON messages(gallery, seq) WHERE gallery IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_replies ON messages(reply_to) WHERE reply_to IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_deleted ON messages(seq) WHERE deleted = 1 AND counted = 1;
CREATE TABLE IF NOT EXISTS files (
  file_id TEXT PRIMARY KEY,
  uploader TEXT NOT NULL,
  attachment TEXT NOT NULL,
  used_by_seq INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS files_unused ON files(created_at) WHERE used_by_seq IS NULL;
CREATE TABLE IF NOT EXISTS shares (share_id TEXT NOT NULL, seq INTEGER NOT NULL, original INTEGER NOT NULL, PRIMARY KEY (share_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS index_outbox (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
`;

/** Version 2 (issue 17): delivery cursors, when each cursor moved (message info), and who each message mentions. */
const V2 = [
  "ALTER TABLE cursors ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0",
  "CREATE TABLE IF NOT EXISTS receipt_log (user_id TEXT NOT NULL, kind TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL)",
  "CREATE INDEX IF NOT EXISTS receipt_log_by_seq ON receipt_log(kind, seq)",
  "CREATE TABLE IF NOT EXISTS mentions (seq INTEGER NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (user_id, seq)) WITHOUT ROWID",
];

/** Version 3 (issue 15): a sender's last message is found in the log, so a send writes no cursor. */
const V3 = ["CREATE INDEX IF NOT EXISTS messages_by_sender ON messages(sender, seq) WHERE counted = 1"];

/** Creates the tables (idempotent) and moves an older layout up to this version, recording it. */
export function createSchema(storage: RoomStorage): void {
  for (const statement of DDL.split(";")
    .map((s) => s.trim())
    .filter(Boolean))
    storage.run(statement);
  storage.run("INSERT OR IGNORE INTO chat_kv(key, value) VALUES ('schema', '1')");
  const version = Number(readKv(storage, "schema"));
  if (version < SCHEMA_VERSION)
    storage.transaction(() => {
      for (const statement of [...(version < 2 ? V2 : []), ...V3]) storage.run(statement);
      writeKv(storage, "schema", String(SCHEMA_VERSION));
    });
}

/** Where a member's own last counted message is: the log says, or an older layout's stored cursor if higher. */
export const SENT_SEQ = "max(sent_seq, coalesce((SELECT max(seq) FROM messages WHERE sender = user_id AND counted = 1), 0))";

/** A sender's last counted message in the log (0 if none). */
export function sentSeq(storage: RoomStorage, userId: string): number {
  return storage.one<{ seq: number | null }>("SELECT max(seq) AS seq FROM messages WHERE sender = ? AND counted = 1", userId)?.seq ?? 0;
}

export function readKv(storage: RoomStorage, key: string): string | null {
  return storage.one<{ value: string }>("SELECT value FROM chat_kv WHERE key = ?", key)?.value ?? null;
}

export function writeKv(storage: RoomStorage, key: string, value: string): void {
  storage.run("INSERT INTO chat_kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
}

/** Where the stored log starts: messages up to `seq` were removed by retention, `ord` counted up to there. */
export function readBase(storage: RoomStorage): { seq: number; ord: number } {
  const text = readKv(storage, "base");
  return text ? (JSON.parse(text) as { seq: number; ord: number }) : { seq: 0, ord: 0 };
}

/** The idempotency key of a message (see the layout above). */
export function clientKeyOf(m: Message, source?: string): string {
  if (m.system) return `system:${m.seq}`;
  if (m.share && !m.forwarded) return `share:${m.share.shareId}`;
  if (source) return `fwd:${m.clientId}:${source}`;
  return m.clientId;
}

/** Inserts one message; `ord` is the counted messages up to and including it. */
export function insertMessage(storage: RoomStorage, m: Message, ord: number, clientKey: string): void {
  storage.run(
    "INSERT INTO messages(seq, sender, client_key, created_at, counted, ord, deleted, gallery, reply_to, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    m.seq,
    m.senderId,
    clientKey,
    m.createdAt,
    m.system ? 0 : 1,
    ord,
    m.deleted ? 1 : 0,
    m.attachment && !m.deleted ? galleryOf(m.attachment.kind) : null,
    m.replyTo && !m.replyTo.deleted ? m.replyTo.seq : null,
    JSON.stringify(m),
  );
}

/** Rewrites a stored message's body (a delete, a blanked quote). */
export function updateMessage(storage: RoomStorage, m: Message): void {
  storage.run(
    "UPDATE messages SET body = ?, deleted = ?, gallery = ?, reply_to = ? WHERE seq = ?",
    JSON.stringify(m),
    m.deleted ? 1 : 0,
    m.attachment && !m.deleted ? galleryOf(m.attachment.kind) : null,
    m.replyTo && !m.replyTo.deleted ? m.replyTo.seq : null,
    m.seq,
  );
}

const parse = (rows: { body: string }[]): Message[] => rows.map((r) => JSON.parse(r.body) as Message);

export function messageAt(storage: RoomStorage, seq: number): Message | null {
  const row = storage.one<{ body: string }>("SELECT body FROM messages WHERE seq = ?", seq);
  return row ? (JSON.parse(row.body) as Message) : null;
}

export function messagesAt(storage: RoomStorage, seqs: number[]): Map<number, Message> {
  const out = new Map<number, Message>();
  for (let i = 0; i < seqs.length; i += 100) {
    const part = seqs.slice(i, i + 100);
    const rows = storage.all<{ body: string }>(`SELECT body FROM messages WHERE seq IN (${part.map(() => "?").join(",")})`, ...part);
    for (const m of parse(rows)) out.set(m.seq, m);
  }
  return out;
}

export type Page = { messages: Message[]; hasMore: boolean };

/** Messages with seq < before, the newest `limit`, oldest first. */
export function pageBefore(storage: RoomStorage, before: number, limit: number): Page {
  const rows = storage.all<{ body: string }>("SELECT body FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, limit + 1);
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  return { messages: parse(rows).reverse(), hasMore };
}

/** Messages with seq > after, the oldest `limit`; hasMore says newer ones remain. */
export function pageAfter(storage: RoomStorage, after: number, limit: number): Page {
  const rows = storage.all<{ body: string }>("SELECT body FROM messages WHERE seq > ? ORDER BY seq ASC LIMIT ?", after, limit + 1);
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  return { messages: parse(rows), hasMore };
}

/** A contiguous page holding `seq`: up to `half` before it, it, and up to `half` after; hasMore says older ones exist. */
export function pageAround(storage: RoomStorage, seq: number, half: number): Page {
  const older = pageBefore(storage, seq, half);
  const newer = parse(storage.all<{ body: string }>("SELECT body FROM messages WHERE seq >= ? ORDER BY seq ASC LIMIT ?", seq, half + 1));
  return { messages: [...older.messages, ...newer], hasMore: older.hasMore };
}

/** A gallery page: the attachments' messages with seq < before (newest first), through the gallery index. */
export function galleryPage(
  storage: RoomStorage,
  gallery: Gallery,
  before: number | null,
  limit: number,
): { items: Message[]; hasMore: boolean } {
  const rows = storage.all<{ body: string }>(
    "SELECT body FROM messages WHERE gallery = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
    gallery,
    before ?? Number.MAX_SAFE_INTEGER,
    limit + 1,
  );
  const hasMore = rows.length > limit;
  if (hasMore) rows.pop();
  return { items: parse(rows), hasMore };
}
