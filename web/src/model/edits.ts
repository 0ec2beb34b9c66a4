/**
 * Issue 17.4, "Editar": which messages offer it (one's own text messages, not a
 * file, a shared card, a forwarded copy, a group notice or a deleted message, up
 * to the protocol's EDIT_WINDOW_MS after sending, given by the caller — the room's
 * own rule, so the menu never offers what the room would refuse), and the edit
 * shown before the room confirms it.
 */
import type { Message } from "../../../protocol/chat";

type Editable = Pick<Message, "senderId" | "createdAt" | "deleted" | "system" | "attachment" | "share" | "forwarded">;

export function canEdit(m: Editable, me: string, now: number, windowMs: number): boolean {
  if (m.senderId !== me || m.deleted || m.system || m.attachment || m.share || m.forwarded) return false;
  return now - m.createdAt <= windowMs;
}

/** What an edit may send: a changed, non-empty text (the room refuses the same text). */
export function editToSend(original: string, text: string): string | null {
  const next = text.replace(/\r\n?/g, "\n");
  if (next.trim().length === 0 || next === original) return null;
  return next;
}

/** seq → the text being saved, until the room's `message.updated` carries it (or refuses it). */
export type PendingEdits = ReadonlyMap<number, string>;

/** A stored message as shown: with the edit being saved, if any ("editada" at once). */
export function withPendingEdit<M extends Pick<Message, "seq" | "text" | "editedAt" | "deleted">>(
  m: M,
  pending: PendingEdits,
  now: number,
): M {
  const text = pending.get(m.seq);
  if (text === undefined || m.deleted) return m;
  return { ...m, text, editedAt: m.editedAt ?? now };
}

/** The room's word on a message settles a pending edit of it: its text now, or its deletion. */
export function settleEdit(pending: PendingEdits, m: Pick<Message, "seq" | "text" | "deleted">): PendingEdits {
  const text = pending.get(m.seq);
  if (text === undefined || (text !== m.text && !m.deleted)) return pending;
  const next = new Map(pending);
  next.delete(m.seq);
  return next;
}
