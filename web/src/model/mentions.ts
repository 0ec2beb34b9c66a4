/**
 * Issue 17.6, mentions in groups: how the wire names them ("*" for "@todos"),
 * for reading them from text (mention-text.ts), highlighting them
 * (mention-highlight.ts) and the list "@" opens (mention-typing.ts). (Whether a
 * message mentions the reader is part of the timeline, model/timeline.ts.)
 */

export type Member = { id: string; name: string };

/** A piece of a message's text: plain, or a mention to highlight (one's own more so). */
export type MentionPart = { text: string; mention: boolean; me?: boolean };

/** The word for everyone, and its id on the wire. */
export const EVERYONE_WORD = "todos";
export const EVERYONE = "*";
