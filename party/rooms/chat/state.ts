/**
 * A conversation room's state: the chat's head and members (as the domain's
 * ChatMeta), the last seq, the counted-message ordinal and the change counter,
 * held in memory and written only through `commit`, which runs one transaction
 * and updates memory after it succeeds — so a failed write leaves the room as
 * it was. Unread counts are read off the log and the cursors (domain/chat.ts
 * says where a member's unread starts), never counted on the side.
 */
import type { Message } from "../../../protocol/chat";
import type { GroupInfo } from "../../../protocol/groups";
import { effectiveCursor, membersOf, type ChatMeta, type UnreadState } from "../../domain/chat";
import type { RoomStorage } from "../../runtime/host";
import { clientKeyOf, createSchema, insertMessage, readBase, readKv, updateMessage, writeKv } from "./schema";

/** What `chat_kv.chat` holds: the chat's own facts; members live in their table. */
type ChatHead =
  { kind: "direct"; createdAt: number } | { kind: "group"; createdAt: number; name: string; imageFileId: string | null; createdBy: string };

export type Cursor = { read: number; joined: number; sent: number; listed: boolean };

/** The writes of one commit; each also says what memory becomes once the transaction succeeds. */
export class Tx {
  lastSeq: number;
  lastOrd: number;
  meta: ChatMeta | null;
  constructor(
    private readonly storage: RoomStorage,
    state: ChatState,
  ) {
    this.lastSeq = state.lastSeq;
    this.lastOrd = state.lastOrd;
    this.meta = state.meta;
  }

  /** Appends a message (its seq must be lastSeq + 1); a sender's message also moves their own cursor. */
  append(m: Message, source?: string): void {
    if (m.seq !== this.lastSeq + 1) throw new Error(`seq ${m.seq} after ${this.lastSeq}`);
    const counted = !m.system;
    this.lastOrd += counted ? 1 : 0;
    insertMessage(this.storage, m, this.lastOrd, clientKeyOf(m, source));
    this.lastSeq = m.seq;
    if (counted)
      this.storage.run(
        "INSERT INTO cursors(user_id, sent_seq) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET sent_seq = excluded.sent_seq",
        m.senderId,
        m.seq,
      );
    if (m.system?.kind === "created") this.joined([m.system.actor], m.seq);
    if (m.system?.kind === "added") this.joined(m.system.targets, m.seq);
  }

  update(m: Message): void {
    updateMessage(this.storage, m);
  }

  private joined(userIds: string[], seq: number): void {
    for (const id of userIds)
      this.storage.run(
        "INSERT INTO cursors(user_id, joined_seq) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET joined_seq = excluded.joined_seq",
        id,
        seq,
      );
  }

  setRead(userId: string, seq: number): void {
    this.storage.run(
      "INSERT INTO cursors(user_id, read_seq) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET read_seq = excluded.read_seq",
      userId,
      seq,
    );
  }

  setListed(userIds: string[], listed: boolean): void {
    for (const id of userIds)
      this.storage.run(
        "INSERT INTO cursors(user_id, listed) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET listed = excluded.listed",
        id,
        listed ? 1 : 0,
      );
  }

  /** A DM is made on first use, with its two members. */
  createDirect(chatId: string, members: [string, string], now: number): void {
    writeKv(this.storage, "chat", JSON.stringify({ kind: "direct", createdAt: now } satisfies ChatHead));
    members.forEach((id, i) =>
      this.storage.run("INSERT OR IGNORE INTO members(user_id, role, since, position) VALUES (?, 'member', ?, ?)", id, now, i),
    );
    this.meta = { chatId, kind: "direct", members: [...members], createdAt: now };
  }

  /** A group's new facts (domain/groups.ts decided them): head and member rows rewritten to match. */
  setGroup(chatId: string, group: GroupInfo, createdAt: number): void {
    const head: ChatHead = { kind: "group", createdAt, name: group.name, imageFileId: group.imageFileId, createdBy: group.createdBy };
    writeKv(this.storage, "chat", JSON.stringify(head));
    const now = new Set(group.members.map((m) => m.userId));
    const before = this.meta?.kind === "group" ? this.meta.group.members : [];
    for (const m of before) if (!now.has(m.userId)) this.storage.run("DELETE FROM members WHERE user_id = ?", m.userId);
    group.members.forEach((m, i) =>
      this.storage.run(
        "INSERT INTO members(user_id, role, since, position) VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET role = excluded.role, since = excluded.since, position = excluded.position",
        m.userId,
        m.role,
        m.since,
        i,
      ),
    );
    this.meta = { chatId, kind: "group", group, createdAt };
  }
}

export class ChatState {
  meta: ChatMeta | null = null;
  lastSeq = 0;
  lastOrd = 0;
  rev = 0;
  /** Where the stored log starts (retention.ts): a log emptied by retention keeps its seq and ordinal. */
  base = { seq: 0, ord: 0 };

  constructor(
    private readonly storage: RoomStorage,
    readonly chatId: string,
  ) {}

  /** Creates the tables if needed and loads the head, the members and the log's end. */
  load(): void {
    createSchema(this.storage);
    const last = this.storage.one<{ seq: number; ord: number }>("SELECT seq, ord FROM messages ORDER BY seq DESC LIMIT 1");
    this.base = readBase(this.storage);
    this.lastSeq = last?.seq ?? this.base.seq;
    this.lastOrd = last?.ord ?? this.base.ord;
    this.rev = Number(readKv(this.storage, "rev") ?? 0);
    const headText = readKv(this.storage, "chat");
    if (!headText) {
      this.meta = null;
      return;
    }
    const head = JSON.parse(headText) as ChatHead;
    const rows = this.storage.all<{ user_id: string; role: "admin" | "member"; since: number }>(
      "SELECT user_id, role, since FROM members ORDER BY position",
    );
    this.meta =
      head.kind === "direct"
        ? { chatId: this.chatId, kind: "direct", members: rows.map((r) => r.user_id), createdAt: head.createdAt }
        : {
            chatId: this.chatId,
            kind: "group",
            createdAt: head.createdAt,
            group: {
              name: head.name,
              imageFileId: head.imageFileId,
              createdBy: head.createdBy,
              createdAt: head.createdAt,
              members: rows.map((r) => ({ userId: r.user_id, role: r.role, since: r.since })),
            },
          };
  }

  /** Runs `work` as one transaction that also raises the change counter; memory follows only if it commits. */
  commit<T>(work: (tx: Tx) => T): T {
    let tx!: Tx;
    const result = this.storage.transaction(() => {
      tx = new Tx(this.storage, this);
      const out = work(tx);
      writeKv(this.storage, "rev", String(this.rev + 1));
      return out;
    });
    this.lastSeq = tx.lastSeq;
    this.lastOrd = tx.lastOrd;
    this.meta = tx.meta;
    this.rev += 1;
    return result;
  }

  members(): string[] {
    return this.meta ? membersOf(this.meta) : [];
  }

  isMember(userId: string): boolean {
    return this.members().includes(userId);
  }

  cursor(userId: string): Cursor {
    const row = this.storage.one<{ read_seq: number; joined_seq: number; sent_seq: number; listed: number }>(
      "SELECT read_seq, joined_seq, sent_seq, listed FROM cursors WHERE user_id = ?",
      userId,
    );
    return { read: row?.read_seq ?? 0, joined: row?.joined_seq ?? 0, sent: row?.sent_seq ?? 0, listed: row?.listed === 1 };
  }

  /** Every read cursor (chat.ready shows who read what). */
  readCursors(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.storage.all<{ user_id: string; read_seq: number }>("SELECT user_id, read_seq FROM cursors WHERE read_seq > 0"))
      out[r.user_id] = r.read_seq;
    return out;
  }

  /** Members whose list does not show the chat yet. */
  unlisted(): string[] {
    const members = this.members();
    if (members.length === 0) return [];
    const listed = new Set(this.storage.all<{ user_id: string }>("SELECT user_id FROM cursors WHERE listed = 1").map((r) => r.user_id));
    return members.filter((m) => !listed.has(m));
  }

  /**
   * A member's unread state, read off the log: the counted messages after where
   * their unread starts (none of them theirs: it starts after their own last
   * message), less the deleted ones; and the newest such message's time.
   */
  unread(userId: string): UnreadState {
    const from = effectiveCursor(this.cursor(userId));
    if (from >= this.lastSeq) return { unread: 0, lastUnreadAt: null };
    const before =
      this.storage.one<{ ord: number }>("SELECT ord FROM messages WHERE seq <= ? ORDER BY seq DESC LIMIT 1", from)?.ord ?? this.base.ord;
    const deleted = this.storage.one<{ n: number }>(
      "SELECT count(*) AS n FROM messages WHERE deleted = 1 AND counted = 1 AND seq > ?",
      from,
    )!.n;
    const unread = this.lastOrd - before - deleted;
    if (unread <= 0) return { unread: 0, lastUnreadAt: null };
    const newest = this.storage.one<{ created_at: number }>(
      "SELECT created_at FROM messages WHERE seq > ? AND counted = 1 AND deleted = 0 ORDER BY seq DESC LIMIT 1",
      from,
    );
    return { unread, lastUnreadAt: newest?.created_at ?? null };
  }

  /** The newest message (deleted or not), for previews. */
  lastMessage(): Message | null {
    const row = this.storage.one<{ body: string }>("SELECT body FROM messages ORDER BY seq DESC LIMIT 1");
    return row ? (JSON.parse(row.body) as Message) : null;
  }
}
