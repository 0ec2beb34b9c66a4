/**
 * Issue 17.6, mentions in a message's text: which members a message mentions
 * (read from the text when it is sent, so a name deleted before sending is no
 * mention), and where "@Name" stands in a text. Names are matched like the search
 * does: case and accents do not matter. (Highlighting them is mention-highlight.ts, on demand.)
 */
import { EVERYONE, EVERYONE_WORD, type Member } from "./mentions";
import { fold } from "./search";

/** Where "@name" stands in the text as a whole word: [start, end) of each. */
export function occurrences(text: string, name: string): [number, number][] {
  const out: [number, number][] = [];
  const folded = fold(text);
  const needle = `@${fold(name)}`;
  // Folding keeps the length for Latin letters with accents (one char each), which names are made of.
  if (folded.length !== text.length) return occurrencesExact(text, `@${name}`);
  for (let i = folded.indexOf(needle); i !== -1; i = folded.indexOf(needle, i + needle.length)) {
    if (wordEdges(text, i, i + needle.length)) out.push([i, i + needle.length]);
  }
  return out;
}

function occurrencesExact(text: string, needle: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) {
    if (wordEdges(text, i, i + needle.length)) out.push([i, i + needle.length]);
  }
  return out;
}

const LETTER = /[\p{L}\p{N}_]/u;
function wordEdges(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  return (before === undefined || !LETTER.test(before)) && (after === undefined || !LETTER.test(after));
}

/**
 * Who a message mentions, as the room wants them: the members named "@Name" in
 * it (never oneself), or only "*" when an admin wrote "@todos". Longer names win
 * ("@Ana Souza" is Ana Souza, not an "Ana").
 */
export function mentionsIn(text: string, members: readonly Member[], me: string, isAdmin: boolean): string[] {
  if (isAdmin && occurrences(text, EVERYONE_WORD).length > 0) return [EVERYONE];
  const taken: [number, number][] = [];
  const found: { id: string; at: number }[] = [];
  for (const m of [...members].sort((a, b) => b.name.length - a.name.length)) {
    if (!m.name.trim()) continue;
    const free = occurrences(text, m.name).filter(([s, e]) => !taken.some(([ts, te]) => s < te && e > ts));
    if (free.length === 0) continue;
    taken.push(...free);
    if (m.id !== me && !found.some((f) => f.id === m.id)) found.push({ id: m.id, at: free[0]![0] });
  }
  // In the order they are written.
  return found.sort((a, b) => a.at - b.at).map((f) => f.id);
}
