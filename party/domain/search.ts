/**
 * Matching for the smart search (R12): case- and accent-insensitive, every query
 * word must be found, and a word found at the start of a word of the text
 * ("rel" in "relatório") ranks above one found inside a word ("lat" in
 * "relatório"). Results across chats: best first, then newest.
 */
import type { SearchHit } from "../../protocol";

/** Lower case without diacritics: "Relatório" → "relatorio". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The query's distinct words, folded. */
export function queryTerms(query: string): string[] {
  return [
    ...new Set(
      foldText(query)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    ),
  ];
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** 0 when some term is missing; otherwise 2 per term at a word start, 1 per term inside a word. */
export function matchScore(folded: string, terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) {
    let best = 0;
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + 1)) {
      if (!isWordChar(folded[at - 1])) {
        best = 2;
        break;
      }
      best = 1;
    }
    if (best === 0) return 0;
    score += best;
  }
  return score;
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
