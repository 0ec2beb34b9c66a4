/**
 * Issue 17.6, typing a mention (loaded with the member list, on demand): the "@"
 * under the caret (what filters the list), the members it offers ("@todos" only
 * to admins) and the text after one is picked.
 */
import { EVERYONE, EVERYONE_WORD, type Member } from "./mentions";
import { fold } from "./search";

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
  // A name already written in full, with the space after it: that mention is done.
  const done = /\s$/.test(query) && fold(query).trim();
  if (done && (done === EVERYONE_WORD || members.some((m) => fold(m.name) === done))) return [];
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
