/**
 * A conversation room's state: the chat's head and members (as the domain's
 * ChatMeta), the end of the log (last seq, last message, the counted-message
 * ordinal) and the change counter, held in memory and written only through
 * `commit`, which runs one transaction and updates memory after it succeeds —
 * so a failed write leaves the room as it was.
 *
 * Unread counts are derived, never counted on the side (domain/chat.ts says
 * where a member's unread starts): unread = the counted messages after that
 * point, less the deleted ones. Each member's view of that point — the ordinal
 * there and the deletions after it — is read from the log once, when first
 * needed, and then moved by the same events that move the log (a message, a
 * read, a delete), so a message to a 2,000-member group reads nothing per
 * member (issue 15). Memory holds one small record per member, never history.
 */
import type { Message } from "../../../protocol/chat";
import type { GroupInfo } from "../../../protocol/groups";
import { effectiveCursor, membersOf, type ChatMeta, type UnreadState } from "../../domain/chat";
import type { RoomStorage } from "../../runtime/host";
import { clientKeyOf, createSchema, insertMessage, readBase, readKv, sentSeq, updateMessage, writeKv } from "./schema";

/** What `chat_kv.chat` holds: the chat's own facts; members live in their table. */
type ChatHead =
  { kind: "direct"; createdAt: number } | { kind: "group"; createdAt: number; name: string; imageFileId: string | null; createdBy: string };

export type Cursor = { read: number; joined: number; sent: number; listed: boolean; delivered: number };

/** A member's unread start, what the log holds after it, and their newest mention, kept in step with the log. */
type View = Cursor & { from: number; ordAt: number; deletedAfter: number; mentionAt: number };

/** What a commit changed, applied to memory once its transaction succeeded. */
type Change =
  | { kind: "append"; message: Message; ord: number }
  | { kind: "delete"; seq: number }
  | { kind: "update"; message: Message }
  | { kind: "cursor"; userId: string; field: "read" | "joined" | "sent" | "delivered"; seq: number }
  | { kind: "listed"; userIds: string[]; listed: boolean };

/**
 * A list as a table of `key` (its order) and `value`, bound as one parameter: the JSON array through
 * `json_each`, or a lone value as it is (most reads want one member or one point: no JSON to encode).
 */
function sqlList(xs: readonly (string | number)[]): [string, string | number] {
  return xs.length === 1 ? ["(SELECT 0 AS key, ? AS value)", xs[0]!] : ["json_each(?)", JSON.stringify(xs)];
}

/** The writes of one commit. */
export class Tx {
  lastSeq: number;
  lastOrd: number;
  meta: ChatMeta | null;
  readonly changes: Change[] = [];
  constructor(
    private readonly storage: RoomStorage,
    state: ChatState,
    private readonly now: number,
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
    this.changes.push({ kind: "append", message: m, ord: this.lastOrd });
    for (const who of m.mentions ?? []) this.storage.run("INSERT OR IGNORE INTO mentions(seq, user_id) VALUES (?, ?)", m.seq, who);
    // One's own message moves where one's unread starts; the log itself is the record (schema.ts `sentSeq`).
    if (counted) this.changes.push({ kind: "cursor", userId: m.senderId, field: "sent", seq: m.seq });
    if (m.system?.kind === "created") this.cursor(m.system.actor, "joined", m.seq);
    if (m.system?.kind === "added") for (const t of m.system.targets) this.cursor(t, "joined", m.seq);
  }

  /** Rewrites a stored message: a delete (it stops counting) or a blanked quote. */
  update(m: Message): void {
    updateMessage(this.storage, m);
    this.changes.push(m.deleted ? { kind: "delete", seq: m.seq } : { kind: "update", message: m });
  }

  private cursor(userId: string, field: "read" | "joined" | "delivered", seq: number): void {
    const column = { read: "read_seq", joined: "joined_seq", delivered: "delivered_seq" }[field];
    if (field === "read" || field === "delivered")
      this.storage.run("INSERT INTO receipt_log(user_id, kind, seq, at) VALUES (?, ?, ?, ?)", userId, field, seq, this.now);
    this.storage.run(
      `INSERT INTO cursors(user_id, ${column}) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET ${column} = excluded.${column}`,
      userId,
      seq,
    );
    this.changes.push({ kind: "cursor", userId, field, seq });
  }

  setRead(userId: string, seq: number): void {
    this.cursor(userId, "read", seq);
  }

  /** Messages up to `seq` reached a device of this member ("Entregue"). */
  setDelivered(userId: string, seq: number): void {
    this.cursor(userId, "delivered", seq);
  }

  setListed(userIds: string[], listed: boolean): void {
    for (const id of userIds)
      this.storage.run(
        "INSERT INTO cursors(user_id, listed) VALUES (?, ?) ON CONFLICT(user_id) DO UPDATE SET listed = excluded.listed",
        id,
        listed ? 1 : 0,
      );
    this.changes.push({ kind: "listed", userIds, listed });
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

/** What a plain send changes: the message and its sender's own cursor. */
const appendOnly = (c: Change) => c.kind === "append" || (c.kind === "cursor" && c.field === "sent");

/**
 * The change counter after a restart. Stored as `rev@seq` by every commit but a plain send (one write fewer
 * per message, issue 15); each send since then is one more commit and at least one more seq, so adding the
 * seqs since is never below the true count, and revs only ever grow. An older `rev` without `@` counts from 0.
 */
export function revAfter(stored: string | null, lastSeq: number): number {
  if (!stored) return lastSeq;
  const [rev, at] = stored.split("@");
  return Number(rev) + Math.max(0, lastSeq - Number(at ?? 0));
}

export class ChatState {
  meta: ChatMeta | null = null;
  lastSeq = 0;
  lastOrd = 0;
  rev = 0;
  /** The newest stored message (deleted or not): what previews show. */
  private last: Message | null = null;
  /** The newest counted message not deleted: its time is every member's `lastUnreadAt`. */
  private newest: { seq: number; createdAt: number } | null = null;
  private readonly views = new Map<string, View>();
  private memberSet = new Set<string>();
  /** Where the stored log starts (retention.ts): a log emptied by retention keeps its seq and ordinal. */
  base = { seq: 0, ord: 0 };

  constructor(
    private readonly storage: RoomStorage,
    readonly chatId: string,
  ) {}

  /** Creates the tables if needed and loads the head, the members and the log's end. */
  load(): void {
    createSchema(this.storage);
    const last = this.storage.one<{ seq: number; ord: number; body: string }>(
      "SELECT seq, ord, body FROM messages ORDER BY seq DESC LIMIT 1",
    );
    this.base = readBase(this.storage);
    this.lastSeq = last?.seq ?? this.base.seq;
    this.lastOrd = last?.ord ?? this.base.ord;
    this.last = last ? (JSON.parse(last.body) as Message) : null;
    this.newest = this.readNewest();
    this.rev = revAfter(readKv(this.storage, "rev"), this.lastSeq);
    this.views.clear();
    const headText = readKv(this.storage, "chat");
    if (!headText) {
      this.setMeta(null);
      return;
    }
    const head = JSON.parse(headText) as ChatHead;
    const rows = this.storage.all<{ user_id: string; role: "admin" | "member"; since: number }>(
      "SELECT user_id, role, since FROM members ORDER BY position",
    );
    this.setMeta(
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
          },
    );
  }

  private setMeta(meta: ChatMeta | null): void {
    this.meta = meta;
    this.memberSet = new Set(meta ? membersOf(meta) : []);
    for (const id of this.views.keys()) if (!this.memberSet.has(id)) this.views.delete(id);
  }

  private readNewest(): { seq: number; createdAt: number } | null {
    const row = this.storage.one<{ seq: number; created_at: number }>(
      "SELECT seq, created_at FROM messages WHERE counted = 1 AND deleted = 0 ORDER BY seq DESC LIMIT 1",
    );
    return row ? { seq: row.seq, createdAt: row.created_at } : null;
  }

  /** Runs `work` as one transaction that also raises the change counter; memory follows only if it commits. */
  commit<T>(work: (tx: Tx) => T, now = Date.now()): T {
    let tx!: Tx;
    const result = this.storage.transaction(() => {
      tx = new Tx(this.storage, this, now);
      const out = work(tx);
      // A commit that only appended is counted on load from the log (revAfter); any other stores the counter.
      const plainSend = tx.meta === this.meta && tx.changes.length > 0 && tx.changes.every(appendOnly);
      if (!plainSend) writeKv(this.storage, "rev", `${this.rev + 1}@${tx.lastSeq}`);
      return out;
    });
    this.lastSeq = tx.lastSeq;
    this.lastOrd = tx.lastOrd;
    this.rev += 1;
    if (tx.meta !== this.meta) this.setMeta(tx.meta);
    // Where each message of this commit sits: a cursor moved onto one of them reads nothing (a batch of sends).
    const appended = new Map<number, number>();
    for (const c of tx.changes) if (c.kind === "append") appended.set(c.message.seq, c.ord);
    for (const c of tx.changes) this.apply(c, appended);
    return result;
  }

  /** Moves memory as a committed change moved the log. */
  private apply(c: Change, appended: ReadonlyMap<number, number>): void {
    switch (c.kind) {
      case "append": {
        this.last = c.message;
        if (!c.message.system) this.newest = { seq: c.message.seq, createdAt: c.message.createdAt };
        const mentioned = c.message.mentions ?? [];
        for (const [id, v] of this.views) if (mentioned.includes("*") || mentioned.includes(id)) v.mentionAt = c.message.seq;
        return;
      }
      case "delete": {
        if (this.last?.seq === c.seq) this.last = this.storageMessage(c.seq);
        if (this.newest?.seq === c.seq) this.newest = this.readNewest();
        for (const v of this.views.values()) if (v.from < c.seq) v.deletedAfter += 1;
        // A deleted mention no longer counts: the views are read again when next needed.
        if (this.storage.one("SELECT 1 FROM mentions WHERE seq = ? LIMIT 1", c.seq)) this.views.clear();
        return;
      }
      case "update":
        if (this.last?.seq === c.message.seq) this.last = c.message;
        return;
      case "cursor": {
        const v = this.views.get(c.userId);
        if (!v) return;
        v[c.field] = Math.max(v[c.field], c.seq);
        if (c.field === "delivered") return;
        const from = effectiveCursor(v);
        if (from === v.from) return;
        // Only the moving member's point is read again. At the log's end, or at a message of this very commit,
        // its ordinal is known and nothing after it is deleted yet.
        const ordAt = from === this.lastSeq ? this.lastOrd : appended.get(from);
        if (ordAt !== undefined) Object.assign(v, { from, ordAt, deletedAfter: 0 });
        else Object.assign(v, this.pointAt(from));
        return;
      }
      case "listed":
        for (const id of c.userIds) {
          const v = this.views.get(id);
          if (v) v.listed = c.listed;
        }
        return;
    }
  }

  private storageMessage(seq: number): Message | null {
    const row = this.storage.one<{ body: string }>("SELECT body FROM messages WHERE seq = ?", seq);
    return row ? (JSON.parse(row.body) as Message) : null;
  }

  /** The ordinal at a point of the log and the deleted counted messages after it. */
  private pointAt(from: number): { from: number; ordAt: number; deletedAfter: number } {
    return this.pointsAt([from]).get(from)!;
  }

  /** `pointAt` for several points, in one statement. */
  private pointsAt(froms: readonly number[]): Map<number, { from: number; ordAt: number; deletedAfter: number }> {
    const [list, bound] = sqlList(froms);
    const rows = this.storage.all<{ from_seq: number; ord: number | null; deleted_after: number }>(
      `SELECT f.value AS from_seq,
         (SELECT ord FROM messages WHERE seq <= f.value ORDER BY seq DESC LIMIT 1) AS ord,
         (SELECT count(*) FROM messages WHERE deleted = 1 AND counted = 1 AND seq > f.value) AS deleted_after
       FROM ${list} f`,
      bound,
    );
    return new Map(rows.map((r) => [r.from_seq, { from: r.from_seq, ordAt: r.ord ?? this.base.ord, deletedAfter: r.deleted_after }]));
  }

  /**
   * Members' views as the log has them, in two statements however many members (issue 15: a big group's
   * first list update after its room woke read five statements per member, ~10,000 for 2,000 members).
   */
  private readViews(userIds: readonly string[]): View[] {
    const [list, bound] = sqlList(userIds);
    const rows = this.storage.all<{
      read_seq: number | null;
      joined_seq: number | null;
      sent_seq: number | null;
      listed: number | null;
      delivered_seq: number | null;
      sent_log: number | null;
      mention: number | null;
    }>(
      `SELECT c.read_seq, c.joined_seq, c.sent_seq, c.listed, c.delivered_seq,
         (SELECT max(seq) FROM messages WHERE sender = j.value AND counted = 1) AS sent_log,
         (SELECT max(m.seq) FROM mentions m JOIN messages g ON g.seq = m.seq
           WHERE (m.user_id = j.value OR m.user_id = '*') AND g.deleted = 0) AS mention
       FROM ${list} j LEFT JOIN cursors c ON c.user_id = j.value
       ORDER BY j.key`,
      bound,
    );
    const cursors = rows.map((r): Cursor => ({
      read: r.read_seq ?? 0,
      joined: r.joined_seq ?? 0,
      sent: Math.max(r.sent_seq ?? 0, r.sent_log ?? 0),
      listed: r.listed === 1,
      delivered: r.delivered_seq ?? 0,
    }));
    const points = this.pointsAt([...new Set(cursors.map(effectiveCursor))]);
    return cursors.map((c, i) => ({ ...c, ...points.get(effectiveCursor(c))!, mentionAt: rows[i]!.mention ?? 0 }));
  }

  /** A member's view, read from the log the first time it is needed. */
  private view(userId: string): View {
    const known = this.views.get(userId);
    if (known) return known;
    const [v] = this.readViews([userId]);
    if (this.memberSet.has(userId)) this.views.set(userId, v!);
    return v!;
  }

  /** Reads the views of these members that memory does not hold yet, all at once (before a list update to many). */
  warm(userIds: readonly string[]): void {
    const cold = userIds.filter((u) => this.memberSet.has(u) && !this.views.has(u));
    if (cold.length === 0) return;
    this.readViews(cold).forEach((v, i) => this.views.set(cold[i]!, v));
  }

  members(): string[] {
    return this.meta ? membersOf(this.meta) : [];
  }

  isMember(userId: string): boolean {
    return this.memberSet.has(userId);
  }

  cursor(userId: string): Cursor {
    const known = this.views.get(userId);
    if (known) return { read: known.read, joined: known.joined, sent: known.sent, listed: known.listed, delivered: known.delivered };
    const row = this.storage.one<{ read_seq: number; joined_seq: number; sent_seq: number; listed: number; delivered_seq: number }>(
      "SELECT read_seq, joined_seq, sent_seq, listed, delivered_seq FROM cursors WHERE user_id = ?",
      userId,
    );
    return {
      read: row?.read_seq ?? 0,
      joined: row?.joined_seq ?? 0,
      sent: Math.max(row?.sent_seq ?? 0, sentSeq(this.storage, userId)),
      listed: row?.listed === 1,
      delivered: row?.delivered_seq ?? 0,
    };
  }

  /** Every delivery cursor, at least the read one (what was read reached a device). */
  deliveredCursors(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.storage.all<{ user_id: string; d: number }>(
      "SELECT user_id, max(delivered_seq, read_seq) AS d FROM cursors WHERE delivered_seq > 0 OR read_seq > 0",
    ))
      out[r.user_id] = r.d;
    return out;
  }

  /** "Informações da mensagem": when each member's read and delivery cursors first passed `seq`. */
  receipts(seq: number): { readBy: { userId: string; at: number }[]; deliveredTo: { userId: string; at: number }[] } {
    const first = (kind: string) =>
      this.storage
        .all<{ user_id: string; at: number }>(
          "SELECT user_id, min(at) AS at FROM receipt_log WHERE kind = ? AND seq >= ? GROUP BY user_id",
          kind,
          seq,
        )
        .map((r) => ({ userId: r.user_id, at: r.at }));
    const readBy = first("read");
    const delivered = new Map(first("delivered").map((r) => [r.userId, r.at]));
    // What was read had reached a device, at the latest when it was read.
    for (const r of readBy) delivered.set(r.userId, Math.min(r.at, delivered.get(r.userId) ?? r.at));
    return { readBy, deliveredTo: [...delivered].map(([userId, at]) => ({ userId, at })) };
  }

  /** Every read cursor (chat.ready shows who read what). */
  readCursors(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.storage.all<{ user_id: string; read_seq: number }>("SELECT user_id, read_seq FROM cursors WHERE read_seq > 0"))
      out[r.user_id] = r.read_seq;
    return out;
  }

  /** Whether a member's list shows the chat. */
  listed(userId: string): boolean {
    return this.view(userId).listed;
  }

  /** A member's unread state: the counted messages after where their unread starts, less the deleted ones. */
  unread(userId: string): UnreadState {
    const v = this.view(userId);
    const unread = this.lastOrd - v.ordAt - v.deletedAfter;
    return unread > 0
      ? { unread, lastUnreadAt: this.newest?.createdAt ?? null, mentioned: v.mentionAt > v.from }
      : { unread: 0, lastUnreadAt: null, mentioned: false };
  }

  /** The newest message (deleted or not), for previews. */
  lastMessage(): Message | null {
    return this.last;
  }
}
