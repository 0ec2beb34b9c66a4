/**
 * Issue 17.6, mentions in groups: the "@" being typed in the composer (what
 * filters the member list), the members it offers ("@todos" only to admins),
 * the text after one is picked, which members a message mentions (read from the
 * text when it is sent, so a name deleted before sending is no mention), and the
 * pieces of a received message to show mentions highlighted. Names are matched
 * like the search does: case and accents do not matter.
 */
import { fold } from "./search";

export type Member = { id: string; name: string };

/** The word for everyone, and its id on the wire. */
export const EVERYONE_WORD = "todos";
export const EVERYONE = "*";

/** The "@…" under the caret: where it starts and what follows the "@"; null when the caret is not in one. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf("@");
  if (at === -1) return null;
  // An "@" inside a word (an e-mail address) starts nothing.
  if (at > 0 && !/\s|[(["'“]/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  // A name has at most a few words; a line break or a second "@" ends it.
  if (query.length > 40 || /[\n@]/.test(query) || (query.match(/ /g) ?? []).length > 2 || query.startsWith(" ")) return null;
  return { start: at, query };
}

/** Whether every typed word starts a word of the name ("ana s" finds "Ana Souza"). */
function nameMatches(name: string, query: string): boolean {
  const words = fold(name).split(/\s+/);
  const typed = fold(query).trim().split(/\s+/).filter(Boolean);
  return typed.every((q) => words.some((w) => w.startsWith(q)));
}

export type MentionOption = { id: string; name: string };

/**
 * The member list under the composer: "@todos" first for admins, then the other
 * members whose name matches, by name; at most `limit`.
 */
export function mentionOptions(members: readonly Member[], query: string, me: string, isAdmin: boolean, limit = 8): MentionOption[] {
  const people = members.filter((m) => m.id !== me && nameMatches(m.name, query)).sort((a, b) => a.name.localeCompare(b.name, "pt-BR"));
  const everyone = isAdmin && fold(EVERYONE_WORD).startsWith(fold(query).trim()) ? [{ id: EVERYONE, name: EVERYONE_WORD }] : [];
  return [...everyone, ...people].slice(0, limit);
}

/** The text with "@query" under the caret replaced by "@Name ", and where the caret goes. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const after = text.slice(caret).replace(/^ /, "");
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length };
}

/** Where "@name" stands in the text as a whole word: [start, end) of each. */
function occurrences(text: string, name: string): [number, number][] {
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

export type MentionPart = { text: string; mention: boolean; me?: boolean };

/**
 * A received message cut into plain text and the mentions it carries ("@Ana
 * Souza", "@todos"), to render them highlighted (and one's own more so). Only
 * what the room stored as mentions is highlighted, never any "@word".
 */
export function mentionParts(
  text: string,
  mentions: readonly string[] | undefined,
  nameOf: (id: string) => string,
  me: string,
): MentionPart[] {
  if (!mentions?.length) return [{ text, mention: false }];
  const ranges: { s: number; e: number; me: boolean }[] = [];
  const names = mentions
    .map((id) => ({ id, name: id === EVERYONE ? EVERYONE_WORD : nameOf(id) }))
    .sort((a, b) => b.name.length - a.name.length);
  for (const { id, name } of names) {
    for (const [s, e] of occurrences(text, name)) {
      if (!ranges.some((r) => s < r.e && e > r.s)) ranges.push({ s, e, me: id === me || id === EVERYONE });
    }
  }
  ranges.sort((a, b) => a.s - b.s);
  const parts: MentionPart[] = [];
  let cursor = 0;
  for (const r of ranges) {
    if (r.s > cursor) parts.push({ text: text.slice(cursor, r.s), mention: false });
    parts.push({ text: text.slice(r.s, r.e), mention: true, ...(r.me ? { me: true } : {}) });
    cursor = r.e;
  }
  if (cursor < text.length || parts.length === 0) parts.push({ text: text.slice(cursor), mention: false });
  return parts;
}

/** Whether a message mentions this user (by name or "@todos"): it is shown highlighted. */
export function mentionsMe(m: { mentions?: readonly string[] | undefined; senderId: string }, me: string): boolean {
  return m.senderId !== me && !!m.mentions && (m.mentions.includes(me) || m.mentions.includes(EVERYONE));
}
