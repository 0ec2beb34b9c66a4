/**
 * What a conversation room derives from its log for the inbox and the smart
 * search (R6, R12, R20): unread counts that cannot drift, because they are never
 * counted on the side — they are read off the log and a member's read cursor —
 * and the text index that "Mensagens" searches.
 *
 * A member's unread messages are those after their effective cursor — the latest
 * of their read cursor, the log line that added them to the group, and their own
 * last message (sending means they are looking at the chat) — that are not
 * theirs, not deleted and not group notices. The index keeps those "countable"
 * seqs in order, in all and per sender, so a count is two binary searches.
 */
import type { Message } from "../../protocol";
import { foldText, matchScore, queryTerms } from "./search";

/** Only the folded text is kept (memory is shared by every room in an isolate); hits are read back from storage. */
type Entry = { seq: number; senderId: string; createdAt: number; folded: string };

/** First index in the ascending array whose value is greater than `x`. */
function firstAfter(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function removeSorted(sorted: number[], x: number): void {
  const i = firstAfter(sorted, x) - 1;
  if (i >= 0 && sorted[i] === x) sorted.splice(i, 1);
}

/** The words a message is found by: its text or caption, its file's name, a share card's protocol, customer and note. */
export function searchableText(m: Message): string {
  const parts = [m.text];
  if (m.attachment) parts.push(m.attachment.name);
  if (m.share) parts.push(m.share.protocol, m.share.customer.name, m.share.note ?? "");
  return parts.filter(Boolean).join(" ");
}

export type UnreadState = { unread: number; lastUnreadAt: number | null };
export type IndexHit = { seq: number; senderId: string; createdAt: number; score: number };

export class ChatIndex {
  /** Highest seq taken in; messages must arrive in seq order. */
  upTo = 0;
  private readonly countable: number[] = [];
  private readonly bySender = new Map<string, number[]>();
  private readonly entries = new Map<number, Entry>();
  /** The seq of the log line that last added each member to the group (created/added). */
  private readonly joins = new Map<string, number>();
  /** The seq of each member's last message, deleted or not. */
  private readonly lastSent = new Map<string, number>();

  /** Takes in the next message of the log (seq order); a deleted or system one only moves `upTo`. */
  add(m: Message): void {
    if (m.seq <= this.upTo) return;
    this.upTo = m.seq;
    if (m.system) {
      const e = m.system;
      if (e.kind === "created") this.joins.set(e.actor, m.seq);
      if (e.kind === "added") for (const t of e.targets) this.joins.set(t, m.seq);
      return;
    }
    this.lastSent.set(m.senderId, m.seq);
    if (m.deleted) return;
    this.countable.push(m.seq);
    let own = this.bySender.get(m.senderId);
    if (!own) this.bySender.set(m.senderId, (own = []));
    own.push(m.seq);
    this.entries.set(m.seq, { seq: m.seq, senderId: m.senderId, createdAt: m.createdAt, folded: foldText(searchableText(m)) });
  }

  /** A message was deleted ("Mensagem apagada"): it no longer counts nor is found. */
  delete(seq: number): void {
    const e = this.entries.get(seq);
    if (!e) return;
    this.entries.delete(seq);
    removeSorted(this.countable, seq);
    removeSorted(this.bySender.get(e.senderId) ?? [], seq);
  }

  /** Where a member's unread messages start: their read cursor, or later if they joined or wrote after it. */
  effectiveCursor(member: string, cursor: number): number {
    return Math.max(cursor, this.joins.get(member) ?? 0, this.lastSent.get(member) ?? 0);
  }

  unread(member: string, cursor: number): UnreadState {
    const from = this.effectiveCursor(member, cursor);
    const own = this.bySender.get(member) ?? [];
    const unread = this.countable.length - firstAfter(this.countable, from) - (own.length - firstAfter(own, from));
    if (unread === 0) return { unread: 0, lastUnreadAt: null };
    for (let i = this.countable.length - 1; i >= 0 && this.countable[i]! > from; i--) {
      const e = this.entries.get(this.countable[i]!)!;
      if (e.senderId !== member) return { unread, lastUnreadAt: e.createdAt };
    }
    return { unread, lastUnreadAt: null };
  }

  /** The best `limit` messages for the query: more query words at word starts first, then newest. */
  search(query: string, limit: number): IndexHit[] {
    const terms = queryTerms(query);
    if (!terms.length || limit <= 0) return [];
    const hits: IndexHit[] = [];
    for (let i = this.countable.length - 1; i >= 0; i--) {
      const e = this.entries.get(this.countable[i]!)!;
      const score = matchScore(e.folded, terms);
      if (score > 0) hits.push({ seq: e.seq, senderId: e.senderId, createdAt: e.createdAt, score });
    }
    hits.sort((a, b) => b.score - a.score || b.seq - a.seq);
    return hits.slice(0, limit);
  }
}
