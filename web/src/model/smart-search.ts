/**
 * The smart search of the "Pesquisar" field (R12), client side: which
 * conversations and contacts match (every typed word found, case- and
 * accent-insensitive, a word start ranking above a match inside a word, as the
 * server ranks "Mensagens"), the pieces of a message hit to show highlighted,
 * and the merging of paged message hits.
 */
import type { SearchHit } from "../../../protocol/hub";
import { matchScore, queryTerms } from "../../../protocol/text-match";
import { fold, isSearchQuery } from "./search";

export { queryTerms };

/** 0 when some word is missing; otherwise 2 per word found at a word start, 1 per word found inside one. */
export function nameScore(name: string, terms: readonly string[]): number {
  return matchScore(fold(name), terms);
}

/** The items whose name matches, best first, keeping the given order among equals; null for a short query. */
export function rankByName<T>(items: readonly T[], query: string, nameOf: (item: T) => string): T[] | null {
  if (!isSearchQuery(query)) return null;
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  return items
    .map((item, i) => ({ item, i, score: nameScore(nameOf(item), terms) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.item);
}

export type TextPart = { text: string; mark: boolean };

/**
 * The text cut into plain and matched pieces, to render the matches in `<mark>`
 * from text nodes (never as HTML). Matching is on folded text; the pieces are the
 * original characters, accents included.
 */
export function highlightParts(text: string, query: string): TextPart[] {
  const terms = queryTerms(query);
  // Folded character i came from original characters [from[i], to[i]).
  let folded = "";
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    // A lone combining mark folds to nothing: it belongs to the character before it.
    if (f.length === 0 && to.length > 0) to[to.length - 1] = i + ch.length;
    folded += f;
    i += ch.length;
  }
  const ranges: [number, number][] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) {
      ranges.push([from[at]!, to[at + term.length - 1]!]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: TextPart[] = [];
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (end <= cursor) continue;
    const s = Math.max(start, cursor);
    if (s > cursor) parts.push({ text: text.slice(cursor, s), mark: false });
    const last = parts.at(-1);
    if (last?.mark && s === cursor) last.text += text.slice(s, end);
    else parts.push({ text: text.slice(s, end), mark: true });
    cursor = end;
  }
  if (cursor < text.length) parts.push({ text: text.slice(cursor), mark: false });
  return parts;
}

/** Hits after a page: a first page replaces, a next page (offset = hits held) appends, anything else is stale. */
export function mergeHits(current: readonly SearchHit[], page: { offset: number; hits: readonly SearchHit[] }): SearchHit[] | null {
  if (page.offset === 0) return [...page.hits];
  if (page.offset !== current.length) return null;
  const seen = new Set(current.map((h) => `${h.chatId}:${h.seq}`));
  return [...current, ...page.hits.filter((h) => !seen.has(`${h.chatId}:${h.seq}`))];
}
