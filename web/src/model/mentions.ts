/**
 * Issue 17.6, mentions in groups: how the wire names them ("*" for "@todos") and
 * whether a message mentions the reader (it is shown highlighted). Reading them
 * from text is mention-text.ts; highlighting them (mention-highlight.ts) and the
 * list "@" opens (mention-typing.ts) load on demand with the parts that use them.
 */

export type Member = { id: string; name: string };

/** A piece of a message's text: plain, or a mention to highlight (one's own more so). */
export type MentionPart = { text: string; mention: boolean; me?: boolean };

/** The word for everyone, and its id on the wire. */
export const EVERYONE_WORD = "todos";
export const EVERYONE = "*";

/** Whether a message mentions this user (by name or "@todos"): it is shown highlighted. */
export function mentionsMe(m: { mentions?: readonly string[] | undefined; senderId: string }, me: string): boolean {
  return m.senderId !== me && !!m.mentions && (m.mentions.includes(me) || m.mentions.includes(EVERYONE));
}
