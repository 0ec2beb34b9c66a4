/**
 * Issue 17.6, highlighting (on demand): a received message cut into plain text
 * and the mentions it carries, to render them highlighted.
 */
import { occurrences } from "./mention-text";
import { EVERYONE, EVERYONE_WORD, type MentionPart } from "./mentions";

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
