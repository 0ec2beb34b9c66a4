/**
 * The smart search's results across chats (R12): best first, then newest, in
 * stable pages. How words match text is shared with the browser
 * (protocol/text-match.ts).
 */
import type { Message, SearchHit } from "../../protocol";
export { foldText, matchScore, queryTerms } from "../../protocol/text-match";

/** The words a message is found by: its text or caption, its file's name, a share card's protocol, customer and note. */
export function searchableText(m: Message): string {
  if (m.deleted || m.system) return "";
  const parts = [m.text];
  if (m.attachment) parts.push(m.attachment.name);
  if (m.share) parts.push(m.share.protocol, m.share.customer.name);
  return parts.filter(Boolean).join(" ");
}

/** What ranking reads of a hit (its text is fetched for the winners only). */
type Ranked = Omit<SearchHit, "text">;

/** Best first, then newest; ties by chat and seq so pages are stable. */
export function compareHits(a: Ranked, b: Ranked): number {
  return b.score - a.score || b.createdAt - a.createdAt || a.chatId.localeCompare(b.chatId) || b.seq - a.seq;
}

/** One page of the merged results of every chat (each list holds at least offset + limit + 1 of its best). */
export function mergePage<T extends Ranked>(lists: readonly T[][], offset: number, limit: number): { hits: T[]; hasMore: boolean } {
  const all = lists.flat().sort(compareHits);
  return { hits: all.slice(offset, offset + limit), hasMore: all.length > offset + limit };
}
