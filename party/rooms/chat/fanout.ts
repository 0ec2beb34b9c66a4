/**
 * What a conversation room tells others after a change is stored (issue 15):
 *
 * Lists (R6, R20). One call per change per hub shard, not per member: the chat
 * reads the summary once and each member's unread state (an indexed lookup
 * each), and the company's hub tells the members who have the app open. Members
 * without an open app are not called at all: their own room asks the chat again
 * when they next connect (user.snapshot), so a lost update cannot make a list
 * wrong. Changes coalesce, paced (runtime/paced.ts): the first change after a
 * quiet spell goes at once, later ones at most every LISTS_EVERY_MS, read fresh
 * when they go; so a busy chat's sends pay no room-to-room call of their own.
 * Someone leaving, and a delete, go at once. A read changes one member's list
 * only, so only that member is sent. The same loop, in order, tells users' rooms
 * that the chat joined or left their list (first message of a DM, added to or
 * removed from a group), so a late update can never bring a left group back.
 *
 * Search (R12). New messages are handed to the company's index in batches after
 * the `indexed` mark, in the same paced run and before the lists are told, so a
 * message a list shows can be found; a busy chat's, at most once a second in big
 * batches (INDEX_EVERY_MS); deleted and edited ones wait in `index_outbox` until the
 * index has dropped them (and taken the new text). A failed hand-off is retried
 * by the room's alarm.
 *
 * Receipts (issue 17.1). The hub answers each update with the members it reached
 * (an app of theirs is open): their messages up to that one are "Entregue".
 */
import { previewOf } from "../../domain/chat";
import { searchableText } from "../../domain/search";
import { hubRoomId, shardOf, userRoomId } from "../../../protocol/ids";
import type { MemberState, SummaryBase } from "../../../protocol/internal";
import type { Message } from "../../../protocol/chat";
import type { ConversationSummary } from "../../../protocol/hub";
import type { ChatContext, Changed } from "./context";
import { messagesAt, readKv, writeKv } from "./schema";
import { paced } from "../../runtime/paced";
import { encode } from "../../runtime/host";

const INDEX_BATCH = 500;
const RETRY_MS = 5_000;
/** A stretch of messages longer than this is not read to find who sent them: delivery marks then go to everyone. */
const SENDERS_SCAN = 2_000;
/** At most one write of delivery marks ("Entregue", issue 17.1) a chat per this long. */
export const DELIVERED_EVERY_MS = 1_000;
/** At most one update of the members' lists a chat per this long (issue 15: a list p99 ≤ 150 ms). */
export const LISTS_EVERY_MS = 50;
/** A busy chat hands its messages to the search index at most once per this long: they can be found within a second. */
export const INDEX_EVERY_MS = 1_000;
/** More messages than this waiting for the index when the lists are told: the chat is busy (see `after`). */
export const BUSY_BACKLOG = 20;

/** The chat as one member's list shows it. */
export function summaryFor(ctx: Pick<ChatContext, "state" | "chatId">, userId: string): ConversationSummary | null {
  const { state } = ctx;
  const meta = state.meta;
  if (!meta || !state.isMember(userId)) return null;
  const last = state.lastMessage();
  const lastMessage = last ? previewOf(last) : null;
  const u = state.unread(userId);
  if (meta.kind === "group")
    return {
      chatId: meta.chatId,
      kind: "group",
      name: meta.group.name,
      imageFileId: meta.group.imageFileId,
      lastMessage,
      rev: state.rev,
      ...u,
    };
  const peerId = meta.members.find((m) => m !== userId) ?? userId;
  return { chatId: meta.chatId, kind: "direct", peerId, lastMessage, rev: state.rev, ...u };
}

export function chatFanout(ctx: ChatContext) {
  const { host, state, tenant, chatId } = ctx;
  let everyone = false;
  const some = new Set<string>();
  const leaving: string[] = [];

  function base(): SummaryBase {
    const meta = state.meta!;
    const last = state.lastMessage();
    return {
      chatId,
      kind: meta.kind,
      ...(meta.kind === "direct" ? { members: meta.members } : { name: meta.group.name, imageFileId: meta.group.imageFileId }),
      lastMessage: last ? previewOf(last) : null,
      rev: state.rev,
    };
  }

  /** Puts the chat in these members' lists if it is not there yet (idempotent on both sides). */
  async function enlist(userIds: string[]): Promise<void> {
    const unlisted = userIds.filter((u) => state.isMember(u) && !state.listed(u));
    if (!unlisted.length) return;
    const added = await Promise.all(unlisted.map((u) => host.call("user.listAdd", userRoomId(tenant, u), { chatId })));
    const done = unlisted.filter((_, i) => added[i]!.ok);
    if (done.length) state.commit((tx) => tx.setListed(done, true));
  }

  async function pushOnce(): Promise<void> {
    // Those who left first, in order with the updates: their list drops the chat, their hub forgets it.
    const gone = leaving.splice(0);
    if (gone.length) {
      await Promise.all(gone.map((u) => host.call("user.listRemove", userRoomId(tenant, u), { chatId })));
      await Promise.all(
        byShard(gone).map(([shard, userIds]) => host.call("hub.listRemove", hubRoomId(tenant, shard), { userIds, chatId })),
      );
    }
    if (!state.meta) return;
    const members = state.members();
    const targets = everyone ? members : members.filter((m) => some.has(m));
    everyone = false;
    some.clear();
    if (targets.length === 0) return;
    // Every target's view in one read (a big group's room woken: not a few statements per member), then a list
    // that does not know the chat yet learns it first (a DM's first message, a group's new members).
    state.warm(targets);
    await enlist(targets);
    const summary = base();
    const states: MemberState[] = targets.map((u) => {
      const s = state.unread(u);
      return [u, s.unread, s.lastUnreadAt, s.mentioned];
    });
    const answers = await Promise.all(
      byShard(states.map((s) => s[0])).map(([shard, userIds]) => {
        const mine = new Set(userIds);
        return host.call("hub.chatChanged", hubRoomId(tenant, shard), { base: summary, members: states.filter((s) => mine.has(s[0])) });
      }),
    );
    const upTo = summary.lastMessage?.seq ?? 0;
    const reached = answers
      .flatMap((a) => (a.ok ? a.value.reached : []))
      .filter((u) => state.cursor(u).delivered < upTo && (pendingDelivered.get(u) ?? 0) < upTo);
    if (reached.length) delivered(reached, upTo);
  }

  /**
   * Messages up to `seq` reached a device of each of these members ("Entregue"): stored, then told to
   * the chat's sockets. At most one write a DELIVERED_EVERY_MS: the first mark goes at once, what comes
   * within the interval waits for its end, so a busy group pays one cursor write per member a second,
   * not per message. A mark lost to an eviction in between is made again when that app next reads the chat.
   */
  const pendingDelivered = new Map<string, number>();
  const deliveries = paced(host, DELIVERED_EVERY_MS, flushDelivered);

  function delivered(userIds: string[], seq: number): void {
    for (const u of userIds) if ((pendingDelivered.get(u) ?? 0) < seq) pendingDelivered.set(u, seq);
    deliveries.ask();
  }

  function flushDelivered(): void {
    const due = [...pendingDelivered].filter(([u, seq]) => state.cursor(u).delivered < seq);
    pendingDelivered.clear();
    if (!due.length) return;
    // Only messages above the lowest mark that moves can turn "Entregue" (a message at or below a member's
    // read mark, or from before they joined, already counts them).
    const from = Math.min(
      ...due.map(([u]) => {
        const c = state.cursor(u);
        return Math.max(c.delivered, c.read, c.joined);
      }),
    );
    const to = Math.max(...due.map(([, seq]) => seq));
    state.commit((tx) => {
      for (const [u, seq] of due) tx.setDelivered(u, seq);
    }, host.now());
    const frame = { type: "delivered.updated" as const, cursors: Object.fromEntries(due) };
    const senders = sendersBetween(from, to);
    if (!senders) return ctx.broadcast(frame);
    // Only a sender of one of those messages sees a tick change: the others' marks of a busy group would
    // otherwise go to every member each second (members² a second). A cursor a member's app did not get
    // crosses none of their messages, so their ticks stay right (web/src/model/receipts.ts).
    const data = encode(frame);
    for (const s of host.sockets()) if (senders.has(s.identity.userId)) s.sendEncoded(data);
  }

  /** Who wrote the messages in (from, to]; null when that is too long a stretch to read (everyone is told). */
  function sendersBetween(from: number, to: number): Set<string> | null {
    if (to - from > SENDERS_SCAN) return null;
    const rows = host.storage.all<{ sender: string }>("SELECT sender FROM messages WHERE seq > ? AND seq <= ?", from, to);
    return new Set(rows.map((r) => r.sender));
  }

  function byShard(userIds: string[]): [number, string[]][] {
    const shards = new Map<number, string[]>();
    for (const u of userIds) {
      const s = shardOf(u, host.config.hubShards);
      const list = shards.get(s);
      if (list) list.push(u);
      else shards.set(s, [u]);
    }
    return [...shards];
  }

  // ---- search ----------------------------------------------------------------------
  /** The `indexed` mark as stored (read once), and whether the outbox may hold deletions. */
  let mark: number | null = null;
  let outboxPending = true;

  /** The last seq handed to the index (read from storage once). */
  const indexedMark = (): number => (mark ??= Number(readKv(host.storage, "indexed") ?? 0));

  /** Hands one batch to the index; true when more is known to wait. */
  async function indexOnce(): Promise<boolean> {
    const from = indexedMark();
    const fresh =
      from < state.lastSeq
        ? host.storage.all<{ seq: number; body: string }>(
            "SELECT seq, body FROM messages WHERE seq > ? ORDER BY seq LIMIT ?",
            from,
            INDEX_BATCH,
          )
        : [];
    const outbox = outboxPending
      ? host.storage.all<{ id: number; seq: number }>("SELECT id, seq FROM index_outbox ORDER BY id LIMIT ?", INDEX_BATCH)
      : [];
    if (outbox.length < INDEX_BATCH) outboxPending = false;
    if (fresh.length === 0 && outbox.length === 0) return false;
    // An outbox entry is dropped from the index, then indexed again as it is now (gone if deleted, the new text if edited).
    const changed = [
      ...messagesAt(
        host.storage,
        [...new Set(outbox.map((o) => o.seq))].filter((s) => s <= from),
      ).values(),
    ];
    const docs = [...changed, ...fresh.map((r) => JSON.parse(r.body) as Message)]
      .map((m) => ({ seq: m.seq, senderId: m.senderId, createdAt: m.createdAt, text: searchableText(m) }))
      .filter((d) => d.text);
    const res = await host.call("search.index", tenant, { chatId, docs, removed: outbox.map((o) => o.seq) });
    if (!res.ok) throw new Error(`search index: ${res.message}`);
    host.storage.transaction(() => {
      if (fresh.length) writeKv(host.storage, "indexed", String(fresh.at(-1)!.seq));
      if (outbox.length) host.storage.run("DELETE FROM index_outbox WHERE id <= ?", outbox.at(-1)!.id);
    });
    if (fresh.length) mark = fresh.at(-1)!.seq;
    // A full batch means a backlog (a restart, an import): the next goes at once; anything newer waits its turn.
    return fresh.length === INDEX_BATCH || outbox.length === INDEX_BATCH;
  }

  /** Everything stored but not yet in the index goes (a failure is retried by the alarm). */
  async function indexAll(): Promise<void> {
    try {
      while (await indexOnce());
    } catch (err) {
      console.error(`search feed of ${chatId}`, err);
      outboxPending = true;
      host.wakeAt(host.now() + RETRY_MS);
    }
  }

  /** Messages stored but not yet handed to the index. */
  const backlog = (): number => state.lastSeq - indexedMark();

  let indexWanted = false;
  const indexing = paced(host, INDEX_EVERY_MS, indexAll);
  /**
   * The index first, then the lists: a quiet chat's message can be searched for once a list shows it.
   * A busy chat (more than BUSY_BACKLOG messages since the last hand-off) hands its messages over at
   * most every INDEX_EVERY_MS instead, in big batches that cost the index a fraction of small ones.
   */
  const after = paced(host, LISTS_EVERY_MS, async () => {
    if (indexWanted) {
      indexWanted = false;
      if (backlog() > BUSY_BACKLOG && !outboxPending) indexing.ask();
      else await indexing.flush();
    }
    try {
      await pushOnce();
    } catch (err) {
      console.error(`lists of ${chatId}`, err);
    }
  });

  return {
    changed(what: Changed): void {
      if (what.members === "all") everyone = true;
      else for (const m of what.members) some.add(m);
      if (what.removed) outboxPending = true;
      if (what.index) indexWanted = true;
      if (what.removed) void after.flush();
      else after.ask();
    },
    /** People who left the chat: their list and hub drop it at once, in order with the updates. */
    gone(userIds: string[]): void {
      leaving.push(...userIds);
      void after.flush();
    },
    /** Resolves once every stored deletion has reached the index (or failed and been scheduled again). */
    indexSettled(): Promise<void> {
      return indexing.flush();
    },
    delivered,
    /**
     * Someone opens the chat: it is in their list before they see it (a DM nobody has written in yet), so
     * "Sair" and a disabled account, which close a person's sockets through the chats in their list, reach it.
     */
    enlist,
    /** On start and on the alarm: anything stored but not yet indexed goes now. */
    resumeIndex(): void {
      indexWanted = true;
      after.ask();
    },
  };
}
